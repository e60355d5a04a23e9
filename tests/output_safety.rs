//! The output folder: seisaku replaces only a folder it wrote itself, never the sources, the
//! site root, a parent of them, a filesystem root or the home folder; builds running at the
//! same time wait for each other instead of failing. Every test works on temporary copies.

mod common;
use common::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Asserts a refused build: exit 1, the code and the words in stderr.
fn assert_refused(o: &std::process::Output, code_: &str, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(code(o), 1, "{err}");
    assert!(err.contains(code_), "{code_} missing in:\n{err}");
    for w in words {
        assert!(err.contains(w), "`{w}` missing in:\n{err}");
    }
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn out_on_a_foreign_folder_is_refused_unless_forced() {
    let site = copy_fixture("basic");
    let foreign = site.path().join("mine");
    fs::create_dir_all(foreign.join("notes")).unwrap();
    fs::write(foreign.join("notes/todo.txt"), "keep me").unwrap();
    let o = run(&["build", "--out", "mine"], site.path());
    assert_refused(&o, "E032", &["mine", "notes/todo.txt", "--force"]);
    assert_eq!(
        fs::read_to_string(foreign.join("notes/todo.txt")).unwrap(),
        "keep me"
    );
    let o = run(&["build", "--out", "mine", "--force"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(foreign.join("index.html").is_file());
    assert!(!foreign.join("notes").exists());
    // Written by seisaku now: the next build needs no flag.
    let o = run(&["build", "--out", "mine"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_file_added_to_the_output_is_not_deleted_silently() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    fs::write(site.path().join("public/CNAME"), "example.go.jp").unwrap();
    let o = run(&["build"], site.path());
    assert_refused(&o, "E032", &["CNAME"]);
    assert!(site.path().join("public/CNAME").is_file());
}

#[test]
fn an_empty_or_missing_output_is_written() {
    let site = copy_fixture("basic");
    fs::create_dir(site.path().join("empty")).unwrap();
    for out in ["empty", "not/yet/there"] {
        let o = run(&["build", "--out", out], site.path());
        assert!(o.status.success(), "{out}: {}", stderr(&o));
        assert!(site.path().join(out).join("index.html").is_file());
    }
}

#[test]
fn an_output_of_an_earlier_version_is_recognised() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    let manifest = site.path().join("public/.seisaku-manifest");
    assert!(manifest.is_file());
    // An earlier seisaku wrote no manifest; its output is still recognised as its own.
    fs::remove_file(&manifest).unwrap();
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(manifest.is_file());
    // The same layout with a file seisaku never writes is somebody else's.
    fs::remove_file(&manifest).unwrap();
    fs::write(site.path().join("public/notes.txt"), "mine").unwrap();
    let o = run(&["build"], site.path());
    assert_refused(&o, "E032", &["notes.txt"]);
}

#[test]
fn out_on_content_is_refused_even_with_force() {
    let site = copy_fixture("basic");
    let before = snapshot(&site.path().join("content"));
    for args in [
        &["build", "--out", "content"][..],
        &["build", "--out", "content", "--force"],
        &["build", "--out", "content/policies"],
        &["build", "--out", "seeds", "--force"],
        &["build", "--out", "themes", "--force"],
    ] {
        let o = run(args, site.path());
        assert_refused(&o, "E033", &[]);
    }
    assert_eq!(snapshot(&site.path().join("content")), before);
    let o = run(&["check"], site.path());
    assert!(stderr(&o).contains("ok:"), "{}", stderr(&o));
}

#[test]
fn out_on_the_site_root_or_a_parent_is_refused() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    copy_dir(&fixture("basic"), &root);
    fs::write(parent.path().join("sibling.txt"), "keep").unwrap();
    let before = snapshot(parent.path());
    let abs_root = root.display().to_string();
    let abs_parent = parent.path().display().to_string();
    for args in [
        &["build", "--out", ".", "--force"][..],
        &["build", "--out", "./", "--force"],
        &["build", "--out", "..", "--force"],
        &["build", "--out", "../site", "--force"],
        &["build", "--out", &abs_root, "--force"],
        &["build", "--out", &abs_parent, "--force"],
        &["build", "--out", "/", "--force"],
    ] {
        let o = run(args, &root);
        assert_refused(&o, "E033", &[]);
        assert!(!stderr(&o).contains("E031"), "{}", stderr(&o));
    }
    assert_eq!(snapshot(parent.path()), before);
}

#[test]
fn out_through_a_symlink_to_the_sources_is_refused() {
    let site = copy_fixture("basic");
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("pub")).unwrap();
    let before = snapshot(&site.path().join("content"));
    let o = run(&["build", "--out", "pub", "--force"], site.path());
    assert_refused(&o, "E033", &[]);
    assert_eq!(snapshot(&site.path().join("content")), before);
}

#[test]
fn out_on_the_home_folder_is_refused() {
    let site = copy_fixture("basic");
    let home = tempfile::tempdir().unwrap();
    fs::write(home.path().join(".profile"), "keep").unwrap();
    let o = Command::new(bin())
        .args(["build", "--force", "--out"])
        .arg(home.path())
        .current_dir(site.path())
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_refused(&o, "E033", &["home"]);
    assert!(home.path().join(".profile").is_file());
}

#[test]
fn output_dir_in_site_toml_is_checked_the_same_way() {
    let site = copy_fixture("basic");
    let cfg = fs::read_to_string(site.path().join("site.toml")).unwrap();
    fs::write(
        site.path().join("site.toml"),
        format!("{cfg}output_dir = \"content\"\n"),
    )
    .unwrap();
    let before = snapshot(&site.path().join("content"));
    let o = run(&["build", "--force"], site.path());
    assert_refused(&o, "E033", &["site.toml:3"]);
    assert_eq!(snapshot(&site.path().join("content")), before);
    // `check` reports it too: it is a property of the site, not of one build.
    assert_eq!(code(&run(&["check"], site.path())), 1);

    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("data.csv"), "keep").unwrap();
    fs::write(
        site.path().join("site.toml"),
        format!("{cfg}output_dir = \"{}\"\n", elsewhere.path().display()),
    )
    .unwrap();
    let o = run(&["build"], site.path());
    assert_refused(&o, "E032", &["data.csv"]);
    assert!(elsewhere.path().join("data.csv").is_file());
}

fn add_policies(root: &Path, n: usize) {
    for i in 0..n {
        fs::write(
            root.join(format!("content/policies/gen-{i:04}.md")),
            format!("+++\ntitle = \"生成された施策{i}\"\nkind = \"programme\"\norganisations = [\"test-ministry\"]\nsource = [\"plan.txt#L8\"]\n+++\n医療機器の研究開発を支援する。IMDRFとデバイスラグ。\n"),
        )
        .unwrap();
    }
}

#[test]
fn two_builds_at_once_both_succeed_or_wait_for_the_lock() {
    let site = copy_fixture("basic");
    add_policies(site.path(), 300);
    let mut waited = 0;
    for round in 0..20 {
        let spawn = || {
            Command::new(bin())
                .arg("build")
                .current_dir(site.path())
                .env("NO_COLOR", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for o in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
            let err = stderr(&o);
            assert!(o.status.success(), "round {round}: {err}");
            assert!(!err.contains("E031"), "round {round}: {err}");
            waited += err.contains("waiting for another build") as usize;
        }
    }
    let leftovers: Vec<String> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(".seisaku-")
                && !n.ends_with(".seisaku-prev")
                && !n.ends_with(".seisaku-index")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(site
        .path()
        .join("public/policies/gen-0299/index.html")
        .is_file());
    eprintln!("{waited} of 40 builds waited for the lock");
}

#[test]
fn leftovers_of_a_running_build_are_kept() {
    let site = copy_fixture("basic");
    // A temporary folder of a live process (this test) is not touched; one of a process
    // that no longer exists is removed.
    let live = site
        .path()
        .join(format!(".public.seisaku-tmp-{}", std::process::id()));
    fs::create_dir_all(&live).unwrap();
    let dead = site.path().join(".public.seisaku-tmp-999999999");
    fs::create_dir_all(&dead).unwrap();
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(live.is_dir());
    assert!(!dead.exists());
}

/// A deep folder of the output (its page's own folder), which a build finds unchanged by its
/// identity rather than by reading it: a file added there shows the folder changed.
const DEEP: &str = "policies/research-support";

#[test]
fn a_file_added_deep_in_the_output_is_not_deleted_silently() {
    let site = copy_fixture("basic");
    // Three builds: the output, the hidden tree and the index of both, folders included.
    for _ in 0..3 {
        assert!(run(&["build"], site.path()).status.success());
    }
    let stray = site.path().join("public").join(DEEP).join("notes.txt");
    fs::write(&stray, "mine").unwrap();
    let o = run(&["build"], site.path());
    assert_refused(&o, "E032", &[&format!("{DEEP}/notes.txt")]);
    assert!(stray.is_file());
}

#[test]
fn anything_added_deep_in_the_hidden_tree_is_gone_after_the_build_that_updates_it() {
    let site = copy_fixture("basic");
    for _ in 0..3 {
        assert!(run(&["build"], site.path()).status.success());
    }
    let public = site.path().join("public");
    let expected = snapshot(&public);
    let hidden = site.path().join(".public.seisaku-prev").join(DEEP);
    fs::write(hidden.join("stray.txt"), "x").unwrap();
    fs::create_dir_all(hidden.join("stray/deeper")).unwrap();
    fs::write(hidden.join("stray/deeper/page.html"), "y").unwrap();
    // The build updates the hidden tree and puts it in place of the output.
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&public), expected);
    assert!(!public.join(DEEP).join("stray").exists());
}
