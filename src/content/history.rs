//! When each source file was last changed, from the site's git history, read in one pass: one
//! `git log` process for the whole site, started before the files are read and collected after
//! (so it costs the build next to nothing), never one process per file.
//!
//! A site that is not in a git repository, or a machine without git, simply has no such dates;
//! the build time is never used, so builds stay deterministic.

use crate::diag::Diagnostic;
use crate::format::date::JpDate;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

/// Source file (relative to the site root, `content/policies/x.md`) → the committer date of
/// the last commit that touched it.
#[derive(Debug, Clone, Default)]
pub struct History {
    dates: FxHashMap<PathBuf, JpDate>,
}

impl History {
    /// The date of the last commit of `path` (relative to the site root), if it was committed.
    pub fn last_commit(&self, path: &Path) -> Option<JpDate> {
        self.dates.get(path).copied()
    }

    pub fn len(&self) -> usize {
        self.dates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Reads `git log --name-only -z --format=%x01%cs` output: a date line (`\x01YYYY-MM-DD`)
    /// before the files of each commit, newest commit first; each file keeps its newest date.
    pub fn parse(out: &[u8]) -> History {
        let mut dates: FxHashMap<PathBuf, JpDate> = FxHashMap::default();
        let mut current: Option<JpDate> = None;
        for token in out.split(|b| *b == 0) {
            let token = String::from_utf8_lossy(token);
            let token = token.trim_start_matches('\n');
            if let Some(date) = token.strip_prefix('\u{1}') {
                current = JpDate::parse(date.trim()).ok();
            } else if let (false, Some(d)) = (token.is_empty(), current) {
                let e = dates.entry(PathBuf::from(token)).or_insert(d);
                // Commits come newest first, but committer dates need not be in order.
                if d > *e {
                    *e = d;
                }
            }
        }
        History { dates }
    }
}

/// A `git log` of the site's `content/` running while the files are loaded, or the history
/// read before (watch mode, when the repository has not moved since).
pub struct Pending {
    child: Option<Child>,
    ready: Option<Read>,
}

/// A history as read, and the warning of reading it.
pub type Read = (Arc<History>, Option<Diagnostic>);

/// Starts reading the history of `<root>/content`. Without git, or outside a repository, the
/// result is an empty history.
pub fn start(root: &Path) -> Pending {
    let child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotepath=off",
            "-c",
            "log.showSignature=false",
            "log",
            "--no-merges",
            "--name-only",
            "-z",
            "--format=%x01%cs",
            "--relative",
            "--",
            "content",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok();
    Pending { child, ready: None }
}

impl Pending {
    /// A history read before.
    pub fn ready(read: Read) -> Pending {
        Pending {
            child: None,
            ready: Some(read),
        }
    }

    /// The history, and a warning when git is there but could not read it.
    pub fn finish(self) -> Read {
        if let Some(read) = self.ready {
            return read;
        }
        let (history, warning) = self.wait();
        (Arc::new(history), warning)
    }

    fn wait(self) -> (History, Option<Diagnostic>) {
        let Some(child) = self.child else {
            return (History::default(), None);
        };
        let Ok(out) = child.wait_with_output() else {
            return (History::default(), None);
        };
        if out.status.success() {
            return (History::parse(&out.stdout), None);
        }
        let err = String::from_utf8_lossy(&out.stderr);
        // Not a repository (a copied site, a downloaded archive), or a repository without any
        // commit yet: no dates, and nothing to say.
        if err.contains("not a git repository")
            || err.contains("does not have any commits")
            || err.contains("bad default revision")
        {
            return (History::default(), None);
        }
        let first = err.lines().next().unwrap_or("").trim();
        let warning = Diagnostic::warning(
            "W005",
            "content",
            format!("the git history cannot be read, so pages without `updated` show no date: {first}"),
        )
        .hint("run `git log -- content` in the site folder to see why, or give each page an `updated` date");
        (History::default(), Some(warning))
    }
}

/// A hash of what a commit, an amend, a checkout, a reset or a pull rewrites in the repository
/// holding `root` (its `HEAD`, the branch it names, the packed refs and the log of `HEAD`),
/// found without running git; equal hashes mean the same history. `None` when that cannot be
/// told this way (git is steered by environment variables, or the repository is a linked
/// worktree or submodule whose `.git` is a file): then git is asked every time.
pub fn state(root: &Path) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    if STEERING.iter().any(|v| std::env::var_os(v).is_some()) {
        return None;
    }
    let root = std::fs::canonicalize(root).ok()?;
    let mut h = rustc_hash::FxHasher::default();
    // The nearest `.git` above the site, as git finds it; none: not a repository.
    let Some(dir) = root
        .ancestors()
        .map(|a| a.join(".git"))
        .find(|g| g.exists())
    else {
        "no repository".hash(&mut h);
        return Some(h.finish());
    };
    if !dir.is_dir() {
        return None;
    }
    let head = std::fs::read(dir.join("HEAD")).ok()?;
    let branch = std::str::from_utf8(&head)
        .ok()
        .and_then(|t| t.trim().strip_prefix("ref: "))
        .map(|r| dir.join(r));
    (&dir, &head).hash(&mut h);
    for f in [
        branch,
        Some(dir.join("packed-refs")),
        Some(dir.join("logs").join("HEAD")),
        Some(dir.join("shallow")),
    ]
    .into_iter()
    .flatten()
    {
        super::load::Stamp::of(&f).hash(&mut h);
    }
    Some(h.finish())
}

/// Environment variables that change which repository git reads, or what its history is.
const STEERING: [&str; 12] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_NAMESPACE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_REPLACE_REF_BASE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_GRAFT_FILE",
    "GIT_SHALLOW_FILE",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_keeps_its_newest_commit_date() {
        let out = b"\x012025-01-02\0\ncontent/b.md\0\x012024-03-05\0\ncontent/a/\xe6\x97\xa5.md\0content/b.md\0";
        let h = History::parse(out);
        assert_eq!(
            h.last_commit(Path::new("content/b.md")).map(|d| d.iso()),
            Some("2025-01-02".into())
        );
        assert_eq!(
            h.last_commit(Path::new("content/a/日.md")).map(|d| d.iso()),
            Some("2024-03-05".into())
        );
        assert_eq!(h.last_commit(Path::new("content/c.md")), None);
    }

    fn git(dir: &Path, args: &[&str]) {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.jp"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(o.status.success(), "git {args:?}: {o:?}");
    }

    #[test]
    fn the_state_changes_with_a_commit_and_not_with_an_edit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        if STEERING.iter().any(|v| std::env::var_os(v).is_some()) {
            assert_eq!(state(root), None, "git steered by the environment is asked");
            return;
        }
        let outside = state(root);
        git(root, &["init", "-q"]);
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "一").unwrap();
        git(root, &["add", "."]);
        git(root, &["commit", "-qm", "first"]);
        let committed = state(root);
        assert!(committed.is_some());
        assert_ne!(committed, outside);
        std::fs::write(root.join("content/a.md"), "二").unwrap();
        assert_eq!(state(root), committed, "an edit is not a commit");
        git(root, &["commit", "-qam", "second"]);
        let second = state(root);
        assert_ne!(second, committed);
        git(root, &["commit", "-q", "--amend", "-m", "second, amended"]);
        assert_ne!(state(root), second);
    }
}
