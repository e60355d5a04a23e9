//! Replays every input the fuzzers found (and the seeds they started from): none may panic.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::Path;

fn replay(target: &str, f: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        f(&std::fs::read(&p).unwrap());
        n += 1;
    }
    assert!(n > 0, "no inputs for {target}");
}

#[test]
fn content_parser_inputs() {
    replay("content_parser", targets::content_parser);
}

#[test]
fn autolink_inputs() {
    replay("autolink", targets::autolink);
}

#[test]
fn markdown_inputs() {
    replay("markdown", targets::markdown);
}

#[test]
fn deeply_nested_and_very_large_inputs_do_not_panic() {
    targets::markdown(">".repeat(50_000).as_bytes());
    targets::markdown("- ".repeat(20_000).as_bytes());
    targets::markdown("[".repeat(30_000).as_bytes());
    targets::markdown("医療機器IMDRF".repeat(20_000).as_bytes());
    targets::content_parser(format!("+++\n{}+++\n", "a = [".repeat(10_000)).as_bytes());
}
