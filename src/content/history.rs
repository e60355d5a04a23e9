//! When each source file was last changed, from the site's git history, read in one pass: one
//! `git log` process for the whole site, started before the files are read and collected after
//! (so it costs the build next to nothing), never one process per file.
//!
//! A site that is not in a git repository, or a machine without git, simply has no such dates;
//! the build time is never used, so builds stay deterministic.

use crate::diag::Diagnostic;
use crate::format::date::JpDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Source file (relative to the site root, `content/policies/x.md`) → the committer date of
/// the last commit that touched it.
#[derive(Debug, Clone, Default)]
pub struct History {
    dates: HashMap<PathBuf, JpDate>,
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
        let mut dates: HashMap<PathBuf, JpDate> = HashMap::new();
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

/// A `git log` of the site's `content/` running while the files are loaded.
pub struct Pending {
    child: Option<Child>,
}

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
    Pending { child }
}

impl Pending {
    /// The history, and a warning when git is there but could not read it.
    pub fn finish(self) -> (History, Option<Diagnostic>) {
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
}
