//! One invalid site per error class (`tests/invalid/<case>/`): each is the small valid site in
//! `tests/invalid/_base/` with the case's files laid over it (and the paths listed in its
//! `remove` file taken away). `seisaku check` must fail with exactly the errors its `expected`
//! file lists, one `CODE file:line` a line, and `build` must fail the same way.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let dir = fixture("../invalid");
    let mut v: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("_base"))
        .collect();
    v.sort();
    v
}

/// The case's site: the base, its files over it, its removals applied.
fn site_of(case: &Path) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("../invalid/_base"), site.path());
    for e in walkdir::WalkDir::new(case) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(case).unwrap();
        if rel.as_os_str().is_empty() || rel == Path::new("expected") || rel == Path::new("remove")
        {
            continue;
        }
        let dest = site.path().join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
    if let Ok(list) = fs::read_to_string(case.join("remove")) {
        for p in list.lines().filter(|l| !l.trim().is_empty()) {
            let p = site.path().join(p.trim());
            if p.is_dir() {
                fs::remove_dir_all(&p).unwrap();
            } else {
                fs::remove_file(&p).unwrap();
            }
        }
    }
    site
}

/// `CODE file:line` of every error `check --format json` prints.
fn errors(out: &std::process::Output) -> BTreeSet<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!(
                "{} {}:{}",
                d["code"].as_str().unwrap_or(""),
                d["file"].as_str().unwrap_or(""),
                d["line"]
            )
        })
        .collect()
}

#[test]
fn the_base_site_is_valid() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("../invalid/_base"), site.path());
    let o = run(&["check"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn each_invalid_site_fails_with_its_expected_errors() {
    let mut wrong = Vec::new();
    let all = cases();
    assert!(all.len() >= 20, "cases: {}", all.len());
    for case in all {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected: BTreeSet<String> = fs::read_to_string(case.join("expected"))
            .unwrap_or_else(|_| panic!("{name}: no expected file"))
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        let site = site_of(&case);
        let check = run(&["check", "--format", "json"], site.path());
        let build = run(&["build", "--format", "json"], site.path());
        for (cmd, o) in [("check", &check), ("build", &build)] {
            let got = errors(o);
            if o.status.code() != Some(1) || got != expected {
                wrong.push(format!(
                    "{name} ({cmd}, exit {:?}): expected {expected:?}, got {got:?}\n{}",
                    o.status.code(),
                    stderr(o)
                ));
            }
        }
        // Nothing was written by a failed build.
        assert!(
            !site.path().join("public").exists(),
            "{name}: public/ written"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
