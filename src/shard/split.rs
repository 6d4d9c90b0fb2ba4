//! Which part of the work a shard does. Shard `I` of `N` (counted from 0)
//! covers the units (trials, or design points of an analysis) with indices
//! in `[floor(I T / N), floor((I + 1) T / N))` out of `T`: the shards tile
//! `0..T` in order, without gaps or overlaps, and their sizes differ by at
//! most one.
//!
//! `--shard auto` reads the index from the scheduler's environment: a Slurm
//! job array (`SLURM_ARRAY_TASK_ID` less `SLURM_ARRAY_TASK_MIN`, so arrays
//! counted from 0 or from 1 both work, with `SLURM_ARRAY_TASK_COUNT` shards)
//! or a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, with the number of
//! shards from `--shards` or [`SHARDS_ENV`]).

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Environment variable giving the number of shards to `--shard auto`
/// when the scheduler does not (a Kubernetes Indexed Job).
pub const SHARDS_ENV: &str = "BRINK_SHARDS";

/// Shard `index` of `count`, counted from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, from 0 to `count - 1`.
    pub index: u64,
    /// How many shards the work is split into.
    pub count: u64,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Shard `index` of `count`; the index must be below the count.
    pub fn new(index: u64, count: u64) -> Result<Shard, String> {
        if count == 0 {
            return Err("the number of shards must be at least 1".into());
        }
        if index >= count {
            return Err(format!(
                "shard {index}/{count} does not exist: shards are counted from 0, \
                 so the shards of {count} are 0/{count} to {}/{count}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// Parses `I/N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!("--shard `{text}` is not I/N or auto (for example 0/4, the first of 4 shards)")
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let i: u64 = i.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(i, n)
    }

    /// The shard given by a scheduler's environment, read through `var`:
    /// a Slurm job array, else a Kubernetes Indexed Job. `count` is the
    /// number of shards if given (`--shards`, else [`SHARDS_ENV`]); a Slurm
    /// array must then have exactly that many tasks.
    pub fn from_env(
        var: &dyn Fn(&str) -> Option<String>,
        count: Option<u64>,
    ) -> Result<Shard, String> {
        let number = |name: &str| -> Result<Option<u64>, String> {
            match var(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{name}=`{v}` is not a whole number")),
            }
        };
        let count = match count {
            Some(n) => Some(n),
            None => number(SHARDS_ENV)?,
        };
        if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            return slurm(id, &number, count);
        }
        if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            let Some(count) = count else {
                return Err(format!(
                    "JOB_COMPLETION_INDEX is set but not the number of shards: \
                     pass --shards N or set {SHARDS_ENV} to the Job's completions"
                ));
            };
            if index >= count {
                return Err(format!(
                    "JOB_COMPLETION_INDEX is {index} but there are {count} shards: \
                     --shards (or {SHARDS_ENV}) must equal the Job's completions"
                ));
            }
            return Shard::new(index, count);
        }
        Err(
            "--shard auto found neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor \
             JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) in the environment; \
             outside a scheduler, give the shard as --shard I/N (I from 0 to N-1)"
                .into(),
        )
    }

    /// The indices of this shard's units, out of `total`.
    pub fn range(&self, total: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(i) * u128::from(total) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }

    /// The name of the shard's result folder for work whose unsharded result
    /// goes to folder `output`, e.g. `muscat-2026.shard-03-of-16`: indices are
    /// padded so that the folders sort in shard order.
    pub fn dir_name(&self, output: &str) -> String {
        let width = self.count.to_string().len();
        format!("{output}.shard-{:0width$}-of-{}", self.index, self.count)
    }
}

fn slurm(
    id: u64,
    number: &dyn Fn(&str) -> Result<Option<u64>, String>,
    count: Option<u64>,
) -> Result<Shard, String> {
    let min = number("SLURM_ARRAY_TASK_MIN")?.ok_or(
        "SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_MIN; give the shard as --shard I/N",
    )?;
    let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
    let max = number("SLURM_ARRAY_TASK_MAX")?;
    let tasks = match (number("SLURM_ARRAY_TASK_COUNT")?, max) {
        (Some(c), _) => c,
        (None, Some(max)) if max >= min => (max - min) / step + 1,
        _ => {
            return Err(
                "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor \
                 SLURM_ARRAY_TASK_MAX; give the shard as --shard I/N"
                    .into(),
            );
        }
    };
    let contiguous = id >= min
        && (id - min).is_multiple_of(step)
        && max.is_none_or(|max| max >= min && (max - min) / step + 1 == tasks);
    if !contiguous {
        return Err(format!(
            "the Slurm array is not one range of task ids (task {id}, min {min}, max {}, \
             {tasks} tasks): submit it as --array=0-{} or --array=1-{tasks}, and re-run \
             single shards with --shard I/N",
            max.map_or("?".into(), |m| m.to_string()),
            tasks.saturating_sub(1),
        ));
    }
    if let Some(n) = count
        && n != tasks
    {
        return Err(format!(
            "the Slurm array has {tasks} tasks but the number of shards is {n}; \
             to re-run single shards of a finished array, use --shard I/{n}"
        ));
    }
    Shard::new((id - min) / step, tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn shards_tile_the_units_in_order() {
        for total in [0, 1, 2, 5, 1023, 1024, 5003, 10_000_019] {
            for count in [1, 2, 3, 7, 16, 100] {
                let mut next = 0;
                for index in 0..count {
                    let r = Shard::new(index, count).unwrap().range(total);
                    assert_eq!(r.start, next, "{index}/{count} of {total}");
                    assert!(r.end - r.start <= total / count + 1);
                    assert!(r.end - r.start >= total / count);
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
        assert_eq!(Shard::new(1, 3).unwrap().range(5003), 1667..3335);
        let huge = Shard::new(5, 7).unwrap().range(u64::MAX);
        assert!(huge.start < huge.end);
    }

    #[test]
    fn parses_index_over_count() {
        assert_eq!(Shard::parse("0/4"), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(Shard::parse(" 3 / 4 "), Ok(Shard { index: 3, count: 4 }));
        assert!(Shard::parse("4/4").unwrap_err().contains("0/4 to 3/4"));
        assert!(Shard::parse("0/0").is_err());
        assert!(Shard::parse("1").is_err());
        assert!(Shard::parse("a/b").is_err());
        assert!(Shard::parse("-1/4").is_err());
    }

    #[test]
    fn folder_names_sort_in_shard_order() {
        let s = Shard::new(3, 16).unwrap();
        assert_eq!(s.dir_name("muscat-2026"), "muscat-2026.shard-03-of-16");
        assert_eq!(Shard::new(0, 1).unwrap().dir_name("x"), "x.shard-0-of-1");
        assert_eq!(s.to_string(), "3/16");
    }

    #[test]
    fn slurm_arrays_from_zero_or_one() {
        let from_zero = env(&[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "15"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
        ]);
        assert_eq!(Shard::from_env(&from_zero, None), Shard::new(0, 16));
        let from_one = env(&[
            ("SLURM_ARRAY_TASK_ID", "16"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "16"),
            ("SLURM_ARRAY_TASK_COUNT", "16"),
        ]);
        assert_eq!(Shard::from_env(&from_one, None), Shard::new(15, 16));
        assert_eq!(Shard::from_env(&from_one, Some(16)), Shard::new(15, 16));
        let err = Shard::from_env(&from_one, Some(8)).unwrap_err();
        assert!(err.contains("16 tasks"), "{err}");
        let stepped = env(&[
            ("SLURM_ARRAY_TASK_ID", "6"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "8"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ]);
        assert_eq!(Shard::from_env(&stepped, None), Shard::new(3, 5));
        let list = env(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "7"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        let err = Shard::from_env(&list, None).unwrap_err();
        assert!(err.contains("not one range"), "{err}");
    }

    #[test]
    fn kubernetes_index_needs_a_count() {
        let k8s = env(&[("JOB_COMPLETION_INDEX", "2")]);
        assert_eq!(Shard::from_env(&k8s, Some(4)), Shard::new(2, 4));
        assert!(
            Shard::from_env(&k8s, None)
                .unwrap_err()
                .contains("--shards")
        );
        assert!(Shard::from_env(&k8s, Some(2)).is_err());
        let with_env = env(&[("JOB_COMPLETION_INDEX", "2"), (SHARDS_ENV, "5")]);
        assert_eq!(Shard::from_env(&with_env, None), Shard::new(2, 5));
        assert_eq!(Shard::from_env(&with_env, Some(3)), Shard::new(2, 3));
        let bad = env(&[("JOB_COMPLETION_INDEX", "x")]);
        assert!(
            Shard::from_env(&bad, Some(3))
                .unwrap_err()
                .contains("whole number")
        );
    }

    #[test]
    fn no_scheduler_is_an_error() {
        let err = Shard::from_env(&env(&[]), Some(4)).unwrap_err();
        assert!(err.contains("SLURM_ARRAY_TASK_ID"), "{err}");
        assert!(err.contains("JOB_COMPLETION_INDEX"), "{err}");
    }
}
