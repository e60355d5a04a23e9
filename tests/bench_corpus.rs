//! The benchmark's corpus generator makes a valid site that builds (timing is not tested here).

mod common;
use common::*;
use std::process::Command;

#[test]
fn generated_corpus_builds_and_matches_for_both_generators() {
    let d = tempfile::tempdir().unwrap();
    let gen = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_corpus.py");
    let ok = Command::new("python3")
        .arg(&gen)
        .arg("60")
        .arg(d.path())
        .status()
        .expect("python3 runs");
    assert!(ok.success());
    let o = run(&["build", "--root", "seisaku", "--out", "out"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let policies = std::fs::read_dir(d.path().join("out/policies"))
        .unwrap()
        .count();
    assert!(policies >= 60, "{policies}");
    assert_eq!(
        std::fs::read_dir(d.path().join("hugo/content/policies"))
            .unwrap()
            .count(),
        60
    );
    assert!(broken_links(&d.path().join("out")).is_empty());
    // Deterministic: a second run writes the same files.
    let d2 = tempfile::tempdir().unwrap();
    assert!(Command::new("python3")
        .arg(&gen)
        .arg("60")
        .arg(d2.path())
        .status()
        .unwrap()
        .success());
    assert_eq!(
        snapshot(&d.path().join("seisaku")),
        snapshot(&d2.path().join("seisaku"))
    );
}
