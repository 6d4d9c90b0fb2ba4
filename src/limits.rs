//! Sizes a user asks for, checked before anything is allocated or spawned:
//! an analysis that would hold more in memory than the machine has free, or
//! a thread count far beyond its cores, is bad input with the figure asked
//! for and the limit, instead of an abort or a machine brought to a halt.
//! The limits decide only whether work starts, never what it computes.

use std::io;

/// Memory assumed free where the system cannot tell (no `/proc/meminfo`).
const FALLBACK_MEMORY: u64 = 4 << 30;

/// Worker threads allowed per core: more only adds switching.
const THREADS_PER_CORE: usize = 4;

/// Worker threads always allowed, whatever the core count.
const MIN_THREAD_LIMIT: usize = 16;

/// Bytes of memory available to new work: `MemAvailable` of
/// `/proc/meminfo` where there is one, else a fixed 4 GiB.
pub fn memory_available() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| parse_meminfo(&text))
        .unwrap_or(FALLBACK_MEMORY)
}

fn parse_meminfo(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// A byte count for people: `512 B`, `3.2 MB`, `41.0 TB`.
pub fn human_bytes(bytes: u128) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Checks that `bytes` (what `what` would hold in memory) fits in the
/// memory available; bad input naming both figures, with `hint`, if not.
pub fn check_memory(what: &str, bytes: u128, hint: &str) -> io::Result<()> {
    check_memory_within(what, bytes, memory_available(), hint)
}

/// [`check_memory`] against a given limit.
pub fn check_memory_within(what: &str, bytes: u128, limit: u64, hint: &str) -> io::Result<()> {
    if bytes <= u128::from(limit) {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{what} would need about {} of memory; {} is available\n  = hint: {hint}",
            human_bytes(bytes),
            human_bytes(u128::from(limit))
        ),
    ))
}

/// Checks that `units` units of work of `per_unit` bytes each fit in the
/// memory available; the hint names the most units that would.
pub fn check_units(what: &str, units: u64, per_unit: u64, unit_name: &str) -> io::Result<()> {
    let limit = memory_available();
    let most = limit / per_unit.max(1);
    check_memory_within(
        &format!("{what} with {units} {unit_name}"),
        u128::from(units) * u128::from(per_unit),
        limit,
        &format!("use fewer {unit_name} (at most about {most} here)"),
    )
}

/// The most worker threads accepted: four per core, and at least 16.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_mul(THREADS_PER_CORE).max(MIN_THREAD_LIMIT)
}

/// Checks a requested thread count (0: every core); a message naming the
/// limit when it is too many.
pub fn check_threads(threads: usize) -> Result<usize, String> {
    let limit = max_threads();
    if threads > limit {
        return Err(format!(
            "{threads} threads is more than the {limit} this machine can use \
             ({THREADS_PER_CORE} per core, at least {MIN_THREAD_LIMIT}); results never depend \
             on the thread count, so 0 (every core) is the fastest choice"
        ));
    }
    Ok(threads)
}

/// A pool of `threads` workers (0: one per core), checked against
/// [`max_threads`] before any is spawned.
pub fn thread_pool(threads: usize) -> io::Result<rayon::ThreadPool> {
    let bad = |message: String| io::Error::new(io::ErrorKind::InvalidInput, message);
    check_threads(threads).map_err(bad)?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| {
            io::Error::other(format!(
                "cannot start {threads} worker threads: {e}\n  = hint: try fewer with --threads"
            ))
        })
}

/// Parses `--threads` on the command line: a whole number within
/// [`max_threads`].
pub fn parse_threads(text: &str) -> Result<usize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of threads"))?;
    check_threads(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meminfo_gives_available_bytes() {
        let text = "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   20000000 kB\n";
        assert_eq!(parse_meminfo(text), Some(20_000_000 * 1024));
        assert_eq!(parse_meminfo("MemTotal: 5 kB\n"), None);
    }

    #[test]
    fn too_much_memory_is_bad_input_with_both_figures() {
        check_memory_within("x", 1000, 1000, "h").unwrap();
        let e = check_memory_within("discovery over 10 trials", 41_000_000_000_000, 1 << 30, "h")
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        let msg = e.to_string();
        assert!(msg.contains("41.0 TB") && msg.contains("1.1 GB"), "{msg}");
    }

    #[test]
    fn thread_counts_beyond_the_limit_are_refused() {
        assert_eq!(parse_threads("0"), Ok(0));
        assert_eq!(parse_threads("16"), Ok(16));
        assert!(parse_threads("1000000").unwrap_err().contains("more than"));
        assert!(parse_threads("-1").is_err());
    }

    #[test]
    fn byte_counts_read_well() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(3_200_000), "3.2 MB");
    }
}
