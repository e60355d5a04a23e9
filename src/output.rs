//! The write stage: the whole site goes into a temporary folder beside the output, which is
//! then swapped into place. A failed or killed build leaves the previous output untouched.

use crate::diag::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

const TMP_TAG: &str = ".seisaku-tmp-";
const OLD_TAG: &str = ".seisaku-old-";

/// The output folder of a build, written as a whole.
pub struct Output {
    pub dir: PathBuf,
}

/// A file of the built site: path relative to the output root, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: String,
    /// Shared, so that watch mode can keep and hand out pages without copying them.
    pub bytes: std::sync::Arc<[u8]>,
}

fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    dir.with_file_name(format!(".{name}{tag}{}", std::process::id()))
}

impl Output {
    pub fn new(dir: PathBuf) -> Output {
        Output { dir }
    }

    /// Removes temporary folders left by builds that were killed, and restores an output
    /// that was moved aside when the swap was interrupted.
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
        for p in leftovers {
            let Some(n) = p.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            if n.starts_with(&format!(".{name}{OLD_TAG}")) && !self.dir.exists() {
                let _ = std::fs::rename(&p, &self.dir);
            } else if n.starts_with(&format!(".{name}{TMP_TAG}"))
                || n.starts_with(&format!(".{name}{OLD_TAG}"))
            {
                let _ = std::fs::remove_dir_all(&p);
            }
        }
    }

    /// Checks that the output location can take a folder.
    pub fn check(&self) -> Result<(), Diagnostic> {
        if self.dir.exists() && !self.dir.is_dir() {
            return Err(Diagnostic::error(
                "E030",
                &self.dir,
                "the output path exists and is not a folder",
            )
            .hint("remove or rename that file, or choose another output with --out"));
        }
        Ok(())
    }

    /// Writes all files into a fresh temporary folder, then swaps it into place.
    pub fn write_all(&self, files: &[OutFile]) -> Result<(), Diagnostic> {
        self.check()?;
        self.clean_leftovers();
        let tmp = sibling(&self.dir, TMP_TAG);
        let fail = |what: &str, p: &Path, e: std::io::Error| {
            Diagnostic::error("E031", p, format!("cannot {what}: {e}"))
                .hint("check free space and permissions of the output's parent folder")
        };
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)
                .map_err(|e| fail("clear the temporary folder", &tmp, e))?;
        }
        std::fs::create_dir_all(&tmp).map_err(|e| fail("create the temporary folder", &tmp, e))?;
        let mut dirs: Vec<PathBuf> = files
            .iter()
            .filter_map(|f| Path::new(&f.path).parent().map(|p| tmp.join(p)))
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            if let Err(e) = std::fs::create_dir_all(d) {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(fail("create a folder", d, e));
            }
        }
        // A file identical to the one in the current output is hard-linked rather than written:
        // no new inode, no data written, and removing the old tree later frees nothing. The
        // shared inode is never written to: changed files are new files in the new tree.
        if let Err(d) = files.par_iter().try_for_each(|f| {
            let p = tmp.join(&f.path);
            let current = self.dir.join(&f.path);
            let same = std::fs::metadata(&current)
                .is_ok_and(|m| m.is_file() && m.len() == f.bytes.len() as u64)
                && std::fs::read(&current).is_ok_and(|b| b[..] == f.bytes[..]);
            if same && std::fs::hard_link(&current, &p).is_ok() {
                return Ok(());
            }
            std::fs::write(&p, &f.bytes).map_err(|e| fail("write", &p, e))
        }) {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(d);
        }
        self.swap_in(&tmp).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&tmp);
        })
    }

    fn swap_in(&self, tmp: &Path) -> Result<(), Diagnostic> {
        let err = |e: std::io::Error| {
            Diagnostic::error(
                "E031",
                &self.dir,
                format!("cannot move the new site into place: {e}"),
            )
            .hint("check permissions of the output's parent folder")
        };
        if !self.dir.exists() {
            return std::fs::rename(tmp, &self.dir).map_err(err);
        }
        if exchange(tmp, &self.dir).is_ok() {
            // `tmp` now holds the previous site.
            let _ = std::fs::remove_dir_all(tmp);
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

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(p: &str, s: &str) -> OutFile {
        OutFile {
            path: p.into(),
            bytes: s.as_bytes().into(),
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
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
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

    #[test]
    fn leftovers_are_cleaned_and_moved_output_restored() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".public.seisaku-tmp-1/x")).unwrap();
        std::fs::create_dir_all(d.path().join(".public.seisaku-old-1")).unwrap();
        std::fs::write(d.path().join(".public.seisaku-old-1/index.html"), "old").unwrap();
        let out = Output::new(d.path().join("public"));
        out.clean_leftovers();
        assert_eq!(
            std::fs::read_to_string(d.path().join("public/index.html")).unwrap(),
            "old"
        );
        assert!(!d.path().join(".public.seisaku-tmp-1").exists());
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
