//! The write stage, in time proportional to what changed. Beside the output a hidden folder
//! (`.<name>.seisaku-prev`) keeps the tree of the build before; a build updates that tree in
//! place to the new site (writes the files that differ, deletes the ones no longer there,
//! leaves the others untouched), then exchanges the two folders in one atomic
//! `renameat2(RENAME_EXCHANGE)`: the old site becomes the hidden tree the next build updates.
//! The output itself is never written into, so a failed or killed build leaves the previous
//! output untouched. The first build, or one where the hidden tree is missing, writes a whole
//! new tree into a temporary folder instead (hard-linking unchanged files).
//!
//! The output folder is seisaku's own: a build replaces it only when it is empty, absent or
//! was written by seisaku (its `.seisaku-manifest` lists every file a build wrote), never
//! the sources, the site root, a parent of them, a filesystem root or the home folder. Builds
//! into one folder take turns on a lock file beside it.

mod index;
mod place;
mod tree;
mod walk;

pub use place::{forbidden, resolve};
pub use tree::Tree;

use crate::diag::Diagnostic;
use rayon::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};
use tree::exchange;

pub(super) const TMP_TAG: &str = ".seisaku-tmp-";
pub(super) const OLD_TAG: &str = ".seisaku-old-";
const LOCK_TAG: &str = ".seisaku-lock";
/// The hidden tree of the build before the current one, updated in place by the next build.
pub const PREV_TAG: &str = ".seisaku-prev";

/// The file in the output that lists every file the build wrote.
pub const MANIFEST: &str = ".seisaku-manifest";
pub(super) const MANIFEST_HEADER: &str =
    "# Written by seisaku: the files below are the site; the next build replaces them.";

/// The output folder of a build, written as a whole.
pub struct Output {
    /// The folder, with symbolic links resolved.
    pub dir: PathBuf,
    /// The folder as the user named it, for messages.
    pub shown: PathBuf,
}

/// A file of the built site: path relative to the output root, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: String,
    /// Shared, so that watch mode can keep and hand out pages without copying them.
    pub bytes: bytes::Bytes,
}

pub(super) fn sibling(dir: &Path, tag: &str) -> PathBuf {
    sibling_name(dir, &format!("{tag}{}", std::process::id()))
}

fn sibling_name(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    dir.with_file_name(format!(".{name}{tag}"))
}

/// Held while a build writes its output; removes the lock file when dropped.
pub struct OutputLock {
    _file: File,
    path: PathBuf,
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, so a waiting build notices and locks the next file.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// Whether a process with this id is running (or exists under another user).
#[cfg(unix)]
fn process_exists(pid: u32) -> bool {
    use rustix::process::{test_kill_process, Pid};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    // Signal 0 only checks that the process exists; nothing is sent.
    match test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

#[cfg(not(unix))]
fn process_exists(_: u32) -> bool {
    true
}

impl Output {
    pub fn new(dir: PathBuf) -> Output {
        Output {
            shown: dir.clone(),
            dir,
        }
    }

    /// The output `dir`, named `shown` in messages.
    pub fn named(dir: PathBuf, shown: PathBuf) -> Output {
        Output { dir, shown }
    }

    /// Removes temporary folders left by builds that were killed, and restores an output
    /// that was moved aside when the swap was interrupted. Folders of a process that is still
    /// running are left alone.
    pub fn clean_leftovers(&self) {
        let Some(parent) = self.dir.parent() else {
            return;
        };
        let name = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(rd) = std::fs::read_dir(parent) else {
            return;
        };
        let mut leftovers: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        leftovers.sort();
        let (tmp, old) = (format!(".{name}{TMP_TAG}"), format!(".{name}{OLD_TAG}"));
        for p in leftovers {
            let Some(n) = p.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            let Some(pid) = n
                .strip_prefix(&tmp)
                .or_else(|| n.strip_prefix(&old))
                .and_then(|pid| pid.parse::<u32>().ok())
            else {
                continue;
            };
            if pid != std::process::id() && process_exists(pid) {
                continue;
            }
            if n.starts_with(&old) && !self.dir.exists() {
                let _ = std::fs::rename(&p, &self.dir);
            } else {
                let _ = std::fs::remove_dir_all(&p);
            }
        }
    }

    /// Waits until no other build writes into this output, and holds it until the guard is
    /// dropped. Says so on stderr when it has to wait.
    pub fn lock(&self) -> Result<OutputLock, Diagnostic> {
        let path = sibling_name(&self.dir, LOCK_TAG);
        let fail = |e: std::io::Error| {
            Diagnostic::error("E031", &path, format!("cannot lock the output: {e}"))
                .hint("check permissions of the output's parent folder")
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        let mut announced = false;
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(fail)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    if !announced {
                        eprintln!(
                            "waiting for another build into {} to finish",
                            self.shown.display()
                        );
                        announced = true;
                    }
                    file.lock().map_err(fail)?;
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(fail(e)),
            }
            // The holder before us removes the lock file on its way out; a lock on a removed
            // file guards nothing, so take the lock again on the file now at the path.
            if same_file(&file, &path) {
                return Ok(OutputLock { _file: file, path });
            }
        }
    }

    /// Checks that the output location can take a folder.
    pub fn check(&self) -> Result<(), Diagnostic> {
        if self.dir.exists() && !self.dir.is_dir() {
            return Err(Diagnostic::error(
                "E030",
                &self.shown,
                "the output path exists and is not a folder",
            )
            .hint("remove or rename that file, or choose another output with --out"));
        }
        Ok(())
    }

    /// The hidden tree beside the output that the next build updates in place.
    pub fn prev_dir(&self) -> PathBuf {
        sibling_name(&self.dir, PREV_TAG)
    }

    /// Writes the site: the hidden tree updated in place and exchanged with the output when
    /// there is one, otherwise a fresh temporary tree swapped into place.
    pub fn write_all(&self, files: &[OutFile]) -> Result<(), Diagnostic> {
        let tree = self.begin()?;
        let put = files.par_iter().try_for_each(|f| tree.put(f.clone()));
        match put {
            Ok(()) => tree.finish(),
            Err(d) => {
                tree.abandon();
                Err(d)
            }
        }
    }

    fn swap_error(&self, e: std::io::Error) -> Diagnostic {
        Diagnostic::error(
            "E031",
            &self.shown,
            format!("cannot move the new site into place: {e}"),
        )
        .hint("check permissions of the output's parent folder")
    }

    fn swap_in(&self, tmp: &Path) -> Result<(), Diagnostic> {
        let err = |e: std::io::Error| self.swap_error(e);
        if !self.dir.exists() {
            return std::fs::rename(tmp, &self.dir).map_err(err);
        }
        if exchange(tmp, &self.dir).is_ok() {
            // `tmp` now holds the previous site: kept as the next build's starting point.
            if std::fs::rename(tmp, self.prev_dir()).is_err() {
                let _ = std::fs::remove_dir_all(tmp);
            }
            return Ok(());
        }
        let old = sibling(&self.dir, OLD_TAG);
        std::fs::rename(&self.dir, &old).map_err(err)?;
        if let Err(e) = std::fs::rename(tmp, &self.dir) {
            let _ = std::fs::rename(&old, &self.dir);
            return Err(err(e));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

pub(super) fn write_error(what: &str, p: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("E031", p, format!("cannot {what}: {e}"))
        .hint("check free space and permissions of the output's parent folder")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(p: &str, s: &str) -> OutFile {
        OutFile {
            path: p.into(),
            bytes: bytes::Bytes::copy_from_slice(s.as_bytes()),
        }
    }

    #[test]
    fn swaps_and_removes_stale_files() {
        let d = tempfile::tempdir().unwrap();
        let out = Output::new(d.path().join("public"));
        out.write_all(&[f("a/index.html", "1"), f("old.html", "x")])
            .unwrap();
        out.write_all(&[f("a/index.html", "2")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("public/a/index.html")).unwrap(),
            "2"
        );
        assert!(!d.path().join("public/old.html").exists());
        // The output, the hidden tree the next build updates and the index of both; nothing
        // else.
        let mut names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [".public.seisaku-index", ".public.seisaku-prev", "public"]
        );
    }

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written_anew() {
        use std::os::unix::fs::MetadataExt;
        let d = tempfile::tempdir().unwrap();
        let out = Output::new(d.path().join("public"));
        out.write_all(&[f("same.html", "s"), f("changed.html", "1")])
            .unwrap();
        let ino = |p: &str| {
            std::fs::metadata(d.path().join("public").join(p))
                .unwrap()
                .ino()
        };
        let (same_before, changed_before) = (ino("same.html"), ino("changed.html"));
        out.write_all(&[f("same.html", "s"), f("changed.html", "2")])
            .unwrap();
        assert_eq!(ino("same.html"), same_before);
        assert_ne!(ino("changed.html"), changed_before);
        assert_eq!(
            std::fs::read_to_string(d.path().join("public/changed.html")).unwrap(),
            "2"
        );
    }

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(Result::unwrap)
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let kind = if e.file_type().is_dir() {
                    "/".to_string()
                } else {
                    std::fs::read_to_string(e.path()).unwrap()
                };
                (rel, kind)
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_hidden_tree_updated_in_place_equals_a_fresh_write() {
        use std::os::unix::fs::MetadataExt;
        let d = tempfile::tempdir().unwrap();
        let out = Output::new(d.path().join("public"));
        // Files become folders and back, folders empty out, files change and stay.
        let builds: Vec<Vec<OutFile>> = vec![
            vec![
                f("same.html", "s"),
                f("a/index.html", "1"),
                f("b", "file b"),
                f("c/d/e.html", "e"),
            ],
            vec![
                f("same.html", "s"),
                f("a/index.html", "2"),
                f("b/index.html", "b is a folder"),
            ],
            vec![
                f("same.html", "s"),
                f("a", "a is a file"),
                f("c/d/e.html", "e2"),
            ],
            vec![
                f("same.html", "s"),
                f("a/index.html", "3"),
                f("b", "file b again"),
            ],
            vec![f("same.html", "s")],
        ];
        let mut same_ino = None;
        let mut before: Option<Vec<(String, String)>> = None;
        for (i, files) in builds.iter().enumerate() {
            out.write_all(files).unwrap();
            let fresh = tempfile::tempdir().unwrap();
            let fresh_out = Output::new(fresh.path().join("public"));
            fresh_out.write_all(files).unwrap();
            assert_eq!(tree(&out.dir), tree(&fresh_out.dir), "build {i}");
            // The hidden tree holds the build before, for the next build to update.
            if let Some(b) = &before {
                assert_eq!(&tree(&out.prev_dir()), b, "hidden tree after build {i}");
            }
            before = Some(tree(&out.dir));
            // An unchanged file is never rewritten, whichever tree it is in.
            let ino = std::fs::metadata(out.dir.join("same.html")).unwrap().ino();
            assert_eq!(*same_ino.get_or_insert(ino), ino, "build {i}");
        }
    }

    #[test]
    fn a_file_the_index_vouches_for_is_not_read_back_and_a_touched_one_is() {
        let d = tempfile::tempdir().unwrap();
        let out = Output::new(d.path().join("public"));
        // Two builds: the output and the hidden tree both hold "1", and the index says so.
        out.write_all(&[f("a.html", "1")]).unwrap();
        out.write_all(&[f("a.html", "1")]).unwrap();
        let index = index::path_for(&out.dir);
        let text = std::fs::read_to_string(&index).unwrap();
        let (one, two) = (
            format!("{:032x}", index::hash(b"1")),
            format!("{:032x}", index::hash(b"2")),
        );
        assert!(text.contains(&format!("{one} 1 ")), "{text}");
        // An index claiming the files hold "2" (written a clock tick after them, as a build's
        // is): trusted while the files are untouched, so a build of "2" finds nothing to write
        // (which shows the files were not read).
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&index, text.replace(&one, &two)).unwrap();
        out.write_all(&[f("a.html", "2")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.dir.join("a.html")).unwrap(),
            "1"
        );
        // A file written into since (same length): read and compared, so it is replaced.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(out.prev_dir().join("a.html"), "3").unwrap();
        out.write_all(&[f("a.html", "2")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.dir.join("a.html")).unwrap(),
            "2"
        );
    }

    #[test]
    fn without_the_index_every_file_is_read_back() {
        let d = tempfile::tempdir().unwrap();
        let out = Output::new(d.path().join("public"));
        out.write_all(&[f("a.html", "1"), f("b.html", "b")])
            .unwrap();
        out.write_all(&[f("a.html", "1"), f("b.html", "b")])
            .unwrap();
        std::fs::remove_file(index::path_for(&out.dir)).unwrap();
        out.write_all(&[f("a.html", "2"), f("b.html", "b")])
            .unwrap();
        assert_eq!(
            tree(&out.dir)[1..],
            [
                ("a.html".to_string(), "2".to_string()),
                ("b.html".to_string(), "b".to_string())
            ]
        );
        // Written again for the next build.
        assert!(index::path_for(&out.dir).is_file());
    }

    #[test]
    fn foreign_entries_in_the_hidden_tree_do_not_reach_the_output() {
        let d = tempfile::tempdir().unwrap();
        let out = Output::new(d.path().join("public"));
        out.write_all(&[f("a.html", "1")]).unwrap();
        out.write_all(&[f("a.html", "2")]).unwrap();
        let prev = out.prev_dir();
        std::fs::write(prev.join("stray.txt"), "x").unwrap();
        std::fs::create_dir_all(prev.join("dir/sub")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", prev.join("b.html")).unwrap();
        out.write_all(&[f("a.html", "3"), f("b.html", "b")])
            .unwrap();
        assert_eq!(
            tree(&out.dir),
            [
                (
                    MANIFEST.into(),
                    std::fs::read_to_string(out.dir.join(MANIFEST)).unwrap()
                ),
                ("a.html".into(), "3".into()),
                ("b.html".into(), "b".into())
            ]
        );
        assert!(!std::fs::symlink_metadata(out.dir.join("b.html"))
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn leftovers_of_ended_processes_are_cleaned_and_moved_output_restored() {
        let d = tempfile::tempdir().unwrap();
        // No process has id 999999999 (Linux ids stay below 2^22).
        std::fs::create_dir_all(d.path().join(".public.seisaku-tmp-999999999/x")).unwrap();
        std::fs::create_dir_all(d.path().join(".public.seisaku-old-999999999")).unwrap();
        std::fs::write(
            d.path().join(".public.seisaku-old-999999999/index.html"),
            "old",
        )
        .unwrap();
        // Process 1 always runs: its folder is not a leftover.
        std::fs::create_dir_all(d.path().join(".public.seisaku-tmp-1")).unwrap();
        let out = Output::new(d.path().join("public"));
        out.clean_leftovers();
        assert_eq!(
            std::fs::read_to_string(d.path().join("public/index.html")).unwrap(),
            "old"
        );
        assert!(!d.path().join(".public.seisaku-tmp-999999999").exists());
        assert!(d.path().join(".public.seisaku-tmp-1").exists());
    }

    #[test]
    fn paths_are_resolved_through_links_and_dots() {
        let d = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(d.path()).unwrap();
        std::fs::create_dir_all(real.join("site/content")).unwrap();
        std::os::unix::fs::symlink(real.join("site/content"), real.join("link")).unwrap();
        assert_eq!(
            resolve(&real.join("link")).unwrap(),
            real.join("site/content")
        );
        assert_eq!(
            resolve(&real.join("site/./new/../content/x/y")).unwrap(),
            real.join("site/content/x/y")
        );
        assert_eq!(resolve(&real.join("site/..")).unwrap(), real);
    }

    #[test]
    fn forbidden_places() {
        let root = Path::new("/w/site");
        let home = Some(Path::new("/home/u"));
        let no = |out: &str| forbidden(Path::new(out), root, None, home);
        assert!(no("/").is_some());
        assert!(no("/w").is_some());
        assert!(no("/w/site").is_some());
        assert!(no("/w/site/content").is_some());
        assert!(no("/w/site/content/policies").is_some());
        assert!(no("/w/site/themes/default/static").is_some());
        assert!(no("/home/u").is_some());
        assert!(no("/home").is_some());
        assert_eq!(no("/w/site/public"), None);
        assert_eq!(no("/w/other"), None);
        assert_eq!(no("/home/u/www"), None);
    }

    #[test]
    fn manifest_lists_every_file_and_marks_the_folder() {
        let d = tempfile::tempdir().unwrap();
        let out = Output::new(d.path().join("public"));
        out.write_all(&[f("b.html", "1"), f("a/index.html", "2")])
            .unwrap();
        let m = std::fs::read_to_string(d.path().join("public").join(MANIFEST)).unwrap();
        assert!(m.ends_with("\na/index.html\nb.html\n"), "{m}");
        assert!(out.check_owned().is_ok());
        std::fs::write(d.path().join("public/mine.txt"), "x").unwrap();
        assert_eq!(out.check_owned().unwrap_err().code, "E032");
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let d = tempfile::tempdir().unwrap();
        let out = Output::new(d.path().join("public"));
        let first = out.lock().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let dir = d.path().join("public");
        let t = std::thread::spawn(move || {
            let _second = Output::new(dir).lock().unwrap();
            tx.send(()).unwrap();
        });
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(300))
            .is_err());
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        t.join().unwrap();
        assert!(!d.path().join(".public.seisaku-lock").exists());
    }

    #[test]
    fn output_that_is_a_file_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("public"), "x").unwrap();
        let out = Output::new(d.path().join("public"));
        assert_eq!(out.write_all(&[f("a.html", "1")]).unwrap_err().code, "E030");
        assert_eq!(
            std::fs::read_to_string(d.path().join("public")).unwrap(),
            "x"
        );
    }
}
