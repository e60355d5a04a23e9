//! Stage timings for profiling: with `SEISAKU_TRACE=1` in the environment, each traced
//! stage prints its wall time to stderr. Off by default, and then costs one load.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether tracing is on.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SEISAKU_TRACE").is_some_and(|v| v != "0"))
}

/// Prints `name` and the time since `since`, then returns now, for the next stage.
pub fn stage(name: &str, since: Instant) -> Instant {
    let now = Instant::now();
    if enabled() {
        eprintln!(
            "trace: {name:<24} {:8.1} ms",
            (now - since).as_secs_f64() * 1e3
        );
    }
    now
}

/// CPU time spent in phrase breaking, summed over threads (counted only when tracing).
pub static PHRASE_NS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// Bytes of text given to phrase breaking (counted only when tracing).
pub static PHRASE_BYTES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Prints and resets the phrase-break counters.
pub fn phrase_breaks() {
    use std::sync::atomic::Ordering::Relaxed;
    let ns = PHRASE_NS.swap(0, Relaxed);
    let bytes = PHRASE_BYTES.swap(0, Relaxed);
    if enabled() {
        eprintln!(
            "trace: phrase breaks (cpu)  {:8.1} ms over {:.1} MB of text",
            ns as f64 / 1e6,
            bytes as f64 / 1e6
        );
    }
}
