//! Scenario discovery: which region of the uncertain assumptions makes an
//! outcome likely. PRIM (Friedman and Fisher, 1999) peels a box down from the
//! full range, pasting back afterwards, and records the coverage/density
//! trade-off; a simpler ranking scores each parameter by the Kolmogorov-Smirnov
//! distance between its values in trials with and without the outcome.

use serde::Serialize;

/// PRIM settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PrimOptions {
    /// Share of the box's points removed by one peel.
    pub peel_alpha: f64,
    /// Share of the box's points added back by one paste.
    pub paste_alpha: f64,
    /// Peeling stops when the box holds fewer than this share of all points.
    pub min_support: f64,
    /// The chosen box is the densest whose coverage is at least this.
    pub min_coverage: f64,
}

impl Default for PrimOptions {
    fn default() -> Self {
        Self {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            min_support: 0.05,
            min_coverage: 0.5,
        }
    }
}

/// A box in parameter space with its statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrimBox {
    /// `[low, high]` per parameter.
    pub bounds: Vec<[f64; 2]>,
    /// Share of all cases of interest that fall inside.
    pub coverage: f64,
    /// Share of the points inside that are cases of interest.
    pub density: f64,
    /// Share of all points inside.
    pub support: f64,
}

/// What PRIM found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrimResult {
    /// Boxes after each peel, starting with the full range.
    pub trajectory: Vec<PrimBox>,
    /// Index into `trajectory` of the box chosen before pasting.
    pub chosen: usize,
    /// The chosen box after pasting.
    pub pasted: PrimBox,
    /// Whether the final box restricts each parameter.
    pub restricted: Vec<bool>,
}

struct Data<'a> {
    x: &'a [Vec<f64>],
    y: &'a [bool],
    positives: usize,
}

impl Data<'_> {
    fn stats(&self, inside: &[usize], bounds: Vec<[f64; 2]>) -> PrimBox {
        let pos = inside.iter().filter(|&&r| self.y[r]).count();
        PrimBox {
            bounds,
            coverage: if self.positives == 0 {
                0.0
            } else {
                pos as f64 / self.positives as f64
            },
            density: if inside.is_empty() {
                0.0
            } else {
                pos as f64 / inside.len() as f64
            },
            support: inside.len() as f64 / self.y.len() as f64,
        }
    }

    fn within(&self, r: usize, bounds: &[[f64; 2]]) -> bool {
        self.x[r]
            .iter()
            .zip(bounds)
            .all(|(v, b)| b[0] <= *v && *v <= b[1])
    }
}

/// Runs PRIM on points `x` (one row per trial, one column per parameter) and
/// the cases of interest `y`.
// Dimensions index the columns of row-major data, so loops run over them by index.
#[allow(clippy::needless_range_loop)]
pub fn prim(x: &[Vec<f64>], y: &[bool], opts: PrimOptions) -> PrimResult {
    let k = x.first().map_or(0, Vec::len);
    let data = Data {
        x,
        y,
        positives: y.iter().filter(|&&b| b).count(),
    };
    let full: Vec<[f64; 2]> = (0..k)
        .map(|j| {
            let (lo, hi) = x
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                    (lo.min(r[j]), hi.max(r[j]))
                });
            [lo, hi]
        })
        .collect();
    let mut bounds = full.clone();
    let mut inside: Vec<usize> = (0..x.len()).collect();
    let mut trajectory = vec![data.stats(&inside, bounds.clone())];
    let min_points = (opts.min_support * x.len() as f64).ceil() as usize;
    let mut values = Vec::with_capacity(x.len());
    while inside.len() > min_points.max(1) {
        let mut best: Option<(f64, usize, usize, f64)> = None; // (density, removed, dim, new bound)
        for j in 0..k {
            values.clear();
            values.extend(inside.iter().map(|&r| x[r][j]));
            values.sort_by(f64::total_cmp);
            let m = values.len();
            let cut = ((opts.peel_alpha * m as f64).ceil() as usize).clamp(1, m - 1);
            for (side, edge) in [(0, values[cut]), (1, values[m - 1 - cut])] {
                let keep = |v: f64| if side == 0 { v >= edge } else { v <= edge };
                let (mut n_in, mut pos) = (0usize, 0usize);
                for &r in &inside {
                    if keep(x[r][j]) {
                        n_in += 1;
                        pos += usize::from(y[r]);
                    }
                }
                let removed = inside.len() - n_in;
                if removed == 0 || n_in == 0 {
                    continue;
                }
                let density = pos as f64 / n_in as f64;
                if best.is_none_or(|(d, rem, _, _)| density > d || (density == d && removed < rem))
                {
                    best = Some((density, removed, 2 * j + side, edge));
                }
            }
        }
        let Some((_, _, code, edge)) = best else {
            break;
        };
        let (j, side) = (code / 2, code % 2);
        bounds[j][side] = edge;
        inside.retain(|&r| data.within(r, &bounds));
        trajectory.push(data.stats(&inside, bounds.clone()));
    }

    let chosen = (0..trajectory.len())
        .filter(|&i| trajectory[i].coverage >= opts.min_coverage)
        .max_by(|&a, &b| {
            trajectory[a]
                .density
                .total_cmp(&trajectory[b].density)
                .then(trajectory[a].coverage.total_cmp(&trajectory[b].coverage))
        })
        .unwrap_or(0);

    // Pasting: widen one side at a time while that raises the density.
    let mut bounds = trajectory[chosen].bounds.clone();
    let mut inside: Vec<usize> = (0..x.len()).filter(|&r| data.within(r, &bounds)).collect();
    let mut current = data.stats(&inside, bounds.clone());
    loop {
        let step = ((opts.paste_alpha * inside.len() as f64).ceil() as usize).max(1);
        let mut best: Option<(PrimBox, Vec<[f64; 2]>)> = None;
        for j in 0..k {
            for side in 0..2 {
                // Points outside only along dimension j, on this side.
                let mut outside: Vec<f64> = (0..x.len())
                    .filter(|&r| {
                        let v = x[r][j];
                        let beyond = if side == 0 {
                            v < bounds[j][0]
                        } else {
                            v > bounds[j][1]
                        };
                        beyond
                            && (0..k)
                                .filter(|&d| d != j)
                                .all(|d| bounds[d][0] <= x[r][d] && x[r][d] <= bounds[d][1])
                    })
                    .map(|r| x[r][j])
                    .collect();
                if outside.is_empty() {
                    continue;
                }
                outside.sort_by(f64::total_cmp);
                let take = step.min(outside.len());
                let mut wider = bounds.clone();
                if side == 0 {
                    wider[j][0] = outside[outside.len() - take];
                } else {
                    wider[j][1] = outside[take - 1];
                }
                let in_wider: Vec<usize> =
                    (0..x.len()).filter(|&r| data.within(r, &wider)).collect();
                let stats = data.stats(&in_wider, wider.clone());
                if stats.density > current.density
                    && best.as_ref().is_none_or(|(b, _)| stats.density > b.density)
                {
                    best = Some((stats, wider));
                }
            }
        }
        match best {
            Some((stats, wider)) => {
                bounds = wider;
                inside = (0..x.len()).filter(|&r| data.within(r, &bounds)).collect();
                current = stats;
            }
            None => break,
        }
    }
    let restricted = (0..k).map(|j| current.bounds[j] != full[j]).collect();
    PrimResult {
        trajectory,
        chosen,
        pasted: current,
        restricted,
    }
}

/// Kolmogorov-Smirnov distance between the values of each parameter in
/// trials with (`y`) and without the outcome: 0 when the parameter does not
/// separate them, 1 when it separates them completely.
pub fn ks_separation(x: &[Vec<f64>], y: &[bool]) -> Vec<f64> {
    let k = x.first().map_or(0, Vec::len);
    (0..k)
        .map(|j| {
            let mut with: Vec<f64> = x
                .iter()
                .zip(y)
                .filter(|(_, b)| **b)
                .map(|(r, _)| r[j])
                .collect();
            let mut without: Vec<f64> = x
                .iter()
                .zip(y)
                .filter(|(_, b)| !**b)
                .map(|(r, _)| r[j])
                .collect();
            if with.is_empty() || without.is_empty() {
                return 0.0;
            }
            with.sort_by(f64::total_cmp);
            without.sort_by(f64::total_cmp);
            let (mut i, mut l, mut d) = (0usize, 0usize, 0.0f64);
            while i < with.len() && l < without.len() {
                let v = with[i].min(without[l]);
                while i < with.len() && with[i] <= v {
                    i += 1;
                }
                while l < without.len() && without[l] <= v {
                    l += 1;
                }
                d = d.max((i as f64 / with.len() as f64 - l as f64 / without.len() as f64).abs());
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Streams, purpose_id};
    use rand::RngExt;

    /// War is certain when x0 > 0.7 and rare elsewhere; x1 and x2 do nothing.
    fn planted(n: usize) -> (Vec<Vec<f64>>, Vec<bool>) {
        let mut rng = Streams::new(3).generator(0, purpose_id("prim-test"));
        let x: Vec<Vec<f64>> = (0..n)
            .map(|_| (0..3).map(|_| rng.random::<f64>()).collect())
            .collect();
        let y = x
            .iter()
            .map(|r| r[0] > 0.7 || rng.random::<f64>() < 0.05)
            .collect();
        (x, y)
    }

    #[test]
    fn prim_finds_a_planted_region() {
        let (x, y) = planted(4000);
        let r = prim(&x, &y, PrimOptions::default());
        let b = &r.pasted;
        assert!(
            (b.bounds[0][0] - 0.7).abs() < 0.03,
            "lower bound of x0: {:?}",
            b.bounds[0]
        );
        assert!(b.bounds[0][1] > 0.99);
        assert!(b.density > 0.95, "density {}", b.density);
        assert!(b.coverage > 0.8, "coverage {}", b.coverage);
        assert_eq!(
            r.restricted,
            vec![true, false, false],
            "bounds {:?}",
            b.bounds
        );
        // Peeling trades coverage for density.
        assert_eq!(r.trajectory[0].coverage, 1.0);
        assert!(r.trajectory.last().unwrap().support <= 0.06);
    }

    #[test]
    fn ks_ranks_the_planted_parameter_first() {
        let (x, y) = planted(4000);
        let d = ks_separation(&x, &y);
        assert!(d[0] > 0.6, "{d:?}");
        assert!(d[1] < 0.1 && d[2] < 0.1, "{d:?}");
    }

    #[test]
    fn ks_is_one_for_separated_samples_and_small_for_interleaved_ones() {
        let x: Vec<Vec<f64>> = (0..10).map(|i| vec![f64::from(i)]).collect();
        let split: Vec<bool> = (0..10).map(|i| i >= 5).collect();
        assert_eq!(ks_separation(&x, &split), vec![1.0]);
        let alternate: Vec<bool> = (0..10).map(|i| i % 2 == 0).collect();
        assert!((ks_separation(&x, &alternate)[0] - 0.2).abs() < 1e-12);
    }
}
