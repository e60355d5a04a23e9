//! Stage timings for profiling: with `SEISAKU_TRACE=1` in the environment, each traced
//! stage prints its wall time to stderr. Off by default, and then costs one load.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
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
