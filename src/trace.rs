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

/// Per template: CPU time rendering it, pages made with it and bytes written (counted only when
/// tracing).
type TemplateTimes = std::sync::Mutex<std::collections::BTreeMap<&'static str, (u64, u64, u64)>>;
static TEMPLATES: TemplateTimes = std::sync::Mutex::new(std::collections::BTreeMap::new());

/// Counts one rendering of `template` that took `took` and made `bytes` bytes.
pub fn template(template: &'static str, took: std::time::Duration, bytes: usize) {
    let mut t = TEMPLATES.lock().unwrap_or_else(|e| e.into_inner());
    let e = t.entry(template).or_default();
    e.0 += took.as_nanos() as u64;
    e.1 += 1;
    e.2 += bytes as u64;
}

/// Prints and resets the per-template counters, the costliest first.
pub fn templates() {
    if !enabled() {
        return;
    }
    let taken = std::mem::take(&mut *TEMPLATES.lock().unwrap_or_else(|e| e.into_inner()));
    let mut rows: Vec<_> = taken.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    for (name, (ns, pages, bytes)) in rows {
        eprintln!(
            "trace: template {name:<16} {:8.1} ms (cpu), {pages} pages, {:.1} MB",
            ns as f64 / 1e6,
            bytes as f64 / 1e6
        );
    }
}
