//! Killing a build at any moment (SIGKILL, mid-write) leaves the old or the new complete
//! output, never a mix; the next build cleans up what the killed one left.

mod common;
use common::*;
use std::fs;
use std::process::Command;
use std::time::Duration;

fn add_policies(root: &std::path::Path, n: usize, version: &str) {
    for i in 0..n {
        fs::write(
            root.join(format!("content/policies/gen-{i:04}.md")),
            format!("+++\ntitle = \"生成された施策{i} {version}\"\nkind = \"programme\"\norganisations = [\"test-ministry\"]\nsource = [\"plan.txt#L8\"]\n+++\n医療機器の研究開発を支援する。IMDRFとデバイスラグ。{version}\n"),
        )
        .unwrap();
    }
}

#[test]
fn sigkill_during_build_leaves_old_or_new_output() {
    let site = copy_fixture("basic");
    let root = site.path();
    add_policies(root, 1500, "旧");
    assert!(run(&["build"], root).status.success());
    let old = snapshot(&root.join("public"));
    add_policies(root, 1500, "新");
    assert!(run(&["build", "--out", "expected-new"], root)
        .status
        .success());
    let new = snapshot(&root.join("expected-new"));
    assert_ne!(old, new);
    let mut seen_new = false;
    for delay_ms in [
        0u64, 5, 10, 20, 30, 45, 60, 80, 100, 130, 160, 200, 250, 300,
    ] {
        let mut child = Command::new(bin())
            .arg("build")
            .current_dir(root)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&root.join("public"));
        assert!(now == old || now == new, "after a kill at {delay_ms} ms the output is neither the old nor the new site ({} files)", now.len());
        seen_new |= now == new;
    }
    // The next build completes and removes what killed builds left behind.
    assert!(run(&["build"], root).status.success());
    assert_eq!(snapshot(&root.join("public")), new);
    let leftovers: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".seisaku-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    eprintln!("a killed build left the new site in place at least once: {seen_new}");
}
