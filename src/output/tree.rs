//! The tree a build writes: the hidden tree of the build before, updated in place (or a
//! fresh temporary tree), completed and exchanged with the output in one atomic rename.

use super::index::{self, Dir, FileRecord, Meta, Records};
use super::{sibling, write_error, OutFile, Output, MANIFEST, MANIFEST_HEADER, OLD_TAG, TMP_TAG};
use crate::diag::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

impl Output {
    /// Starts writing a site, file by file ([`Tree::put`], from any thread), into the hidden
    /// tree (updated in place) or, without one, a fresh temporary tree; [`Tree::finish`] puts
    /// it in place. Nothing a reader sees changes before `finish`.
    pub fn begin(&self) -> Result<Tree<'_>, Diagnostic> {
        self.check()?;
        self.clean_leftovers();
        let prev = self.prev_dir();
        let prev_usable = std::fs::symlink_metadata(&prev).is_ok_and(|m| m.is_dir());
        if prev_usable && (!self.dir.exists() || cfg!(target_os = "linux")) {
            let known = index::read(&index::path_for(&self.dir), &prev);
            let (present, mut folders) = contents(&prev, &known.folders)?;
            folders.sort_unstable();
            return Ok(Tree {
                out: self,
                dir: Dir::open(&prev),
                root: prev,
                in_place: true,
                present,
                folders,
                records: known.records,
                written: Default::default(),
                linked: Default::default(),
            });
        }
        if std::fs::symlink_metadata(&prev).is_ok() {
            let _ = std::fs::remove_file(&prev).or_else(|_| std::fs::remove_dir_all(&prev));
        }
        let tmp = sibling(&self.dir, TMP_TAG);
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)
                .map_err(|e| write_error("clear the temporary folder", &tmp, e))?;
        }
        std::fs::create_dir_all(&tmp)
            .map_err(|e| write_error("create the temporary folder", &tmp, e))?;
        Ok(Tree {
            out: self,
            dir: Dir::open(&tmp),
            root: tmp,
            in_place: false,
            present: Default::default(),
            folders: Vec::new(),
            records: index::read(&index::path_for(&self.dir), &self.dir).records,
            written: Default::default(),
            linked: Default::default(),
        })
    }
}

/// What a tree holds: every entry but folders (true for a regular file), and the folders
/// (those the index knows, unchanged since, are not read).
fn contents(
    root: &Path,
    known: &index::KnownFolders,
) -> Result<(rustc_hash::FxHashMap<String, bool>, Vec<String>), Diagnostic> {
    let listing = super::walk::list_known(root, known)
        .map_err(|e| write_error("read the previous tree", root, e))?;
    Ok((listing.files.into_iter().collect(), listing.folders))
}

/// A site being written, file by file, into a folder no reader sees.
///
/// In place (the hidden tree of the build before): a file whose bytes are unchanged is left
/// untouched; a changed one is replaced by a new file (never written into, as an unchanged
/// file may share its inode with the output's); what the tree holds is read from the tree
/// itself, so a tree left half-updated by a killed build, or holding anything else, comes out
/// right. Fresh (a temporary folder): a file identical to the output's is hard-linked, not
/// written.
pub struct Tree<'o> {
    out: &'o Output,
    root: PathBuf,
    /// The tree's folder, its entries looked at from there.
    dir: Dir,
    in_place: bool,
    /// In place: what the tree held (true for a regular file), and its folders.
    present: rustc_hash::FxHashMap<String, bool>,
    folders: Vec<String>,
    /// What the index says of the files of the tree compared against (the tree itself in
    /// place, the output for a fresh tree): files it vouches for are not read back.
    records: Records,
    /// Paths put so far, with what was written there (none while being written).
    written: std::sync::Mutex<rustc_hash::FxHashMap<String, Option<FileRecord>>>,
    /// Fresh tree: the paths whose file is the output's own, hard-linked.
    linked: std::sync::Mutex<Vec<String>>,
}

impl Tree<'_> {
    /// Writes one file of the site (the first of two with the same path wins).
    pub fn put(&self, f: OutFile) -> Result<(), Diagnostic> {
        let lock = || self.written.lock().unwrap_or_else(|e| e.into_inner());
        if lock().insert(f.path.clone(), None).is_some() {
            return Ok(());
        }
        let record = self.write(&f)?;
        lock().insert(f.path, record);
        Ok(())
    }

    /// Writes `f` (or finds it unchanged) and says what the file holds now.
    fn write(&self, f: &OutFile) -> Result<Option<FileRecord>, Diagnostic> {
        let path = self.root.join(&f.path);
        let (len, hash) = (f.bytes.len() as u64, index::hash(&f.bytes));
        let record = |m: &Meta| FileRecord {
            len,
            hash,
            stat: m.stat,
        };
        // What the file at `p` is (`m`) when it holds the bytes of `f`: vouched for by the
        // index, or read and compared.
        let same_as = |p: &Path, m: Option<Meta>| {
            let m = m?;
            if !m.is_file || m.len != len {
                return None;
            }
            let same = match self
                .records
                .get(&f.path)
                .and_then(|r| r.holds(&m, len, hash))
            {
                Some(same) => same,
                None => std::fs::read(p).is_ok_and(|b| b[..] == f.bytes[..]),
            };
            same.then_some(m)
        };
        if self.in_place {
            match self.present.get(&f.path) {
                Some(true) => match same_as(&path, self.dir.meta(&f.path)) {
                    Some(m) => return Ok(Some(record(&m))),
                    None => remove_entry(&path).map_err(|e| write_error("replace", &path, e))?,
                },
                Some(_) => remove_entry(&path).map_err(|e| write_error("replace", &path, e))?,
                None if self.folders.binary_search(&f.path).is_ok() => {
                    std::fs::remove_dir_all(&path).map_err(|e| write_error("replace", &path, e))?;
                }
                None => {}
            }
        } else {
            let current = self.out.dir.join(&f.path);
            if same_as(&current, Meta::at(&current)).is_some() {
                let link = || std::fs::hard_link(&current, &path);
                if link().is_ok() || (self.make_parent(&path).is_ok() && link().is_ok()) {
                    // Linking moved the file's change time: its identity is read again.
                    self.linked
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(f.path.clone());
                    return Ok(self.dir.meta(&f.path).map(|m| record(&m)));
                }
            }
        }
        let create = || {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            std::io::Write::write_all(&mut file, &f.bytes)?;
            Ok(file.metadata().ok().map(|m| record(&Meta::of(&m))))
        };
        // A missing folder, or a file of the tree before where a folder goes: make the
        // folders and try once more.
        create().or_else(|_| {
            self.make_parent(&path)?;
            create().map_err(|e| write_error("write", &path, e))
        })
    }

    /// Creates the folders above `path`, removing a file that stands where one goes.
    fn make_parent(&self, path: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if std::fs::create_dir_all(parent).is_ok() {
            return Ok(());
        }
        let mut p = self.root.clone();
        if let Ok(rel) = parent.strip_prefix(&self.root) {
            for c in rel.components() {
                p.push(c);
                if std::fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
                    let _ = std::fs::remove_file(&p);
                }
            }
        }
        std::fs::create_dir_all(parent).map_err(|e| write_error("create a folder", parent, e))
    }

    /// Completes the tree (stale entries of the tree before removed, the manifest written) and
    /// puts it in place: exchanged with the output, whose site becomes the hidden tree.
    pub fn finish(self) -> Result<(), Diagnostic> {
        let t = std::time::Instant::now();
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let mut paths: Vec<&str> = written.keys().map(String::as_str).collect();
        paths.sort_unstable();
        let mut text = String::from(MANIFEST_HEADER);
        text.push('\n');
        for p in &paths {
            text.push_str(p);
            text.push('\n');
        }
        match self.complete(&written, text) {
            Ok(manifest) => {
                written.insert(MANIFEST.into(), manifest);
            }
            Err(d) => {
                self.abandon();
                return Err(d);
            }
        }
        let t = crate::trace::stage("  write: complete", t);
        let out = self.out;
        self.write_index(&written);
        crate::trace::stage("  write: index", t);
        if self.in_place {
            if !out.dir.exists() {
                return std::fs::rename(&self.root, &out.dir).map_err(|e| out.swap_error(e));
            }
            if exchange(&self.root, &out.dir).is_ok() {
                // The hidden tree now holds the previous site: the next build's starting point.
                return Ok(());
            }
            // No atomic exchange on this file system: the old site is moved aside instead.
            let old = sibling(&out.dir, OLD_TAG);
            std::fs::rename(&out.dir, &old).map_err(|e| out.swap_error(e))?;
            if let Err(e) = std::fs::rename(&self.root, &out.dir) {
                let _ = std::fs::rename(&old, &out.dir);
                return Err(out.swap_error(e));
            }
            let _ = std::fs::remove_dir_all(&old);
            return Ok(());
        }
        out.swap_in(&self.root).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&self.root);
        })
    }

    /// Writes the index of what the tree holds now, for the build that next updates it. Only
    /// a shortcut: without it, that build reads the files back instead, so a failure to write
    /// it is not an error.
    fn write_index(&self, written: &rustc_hash::FxHashMap<String, Option<FileRecord>>) {
        let mut records: Vec<(&str, FileRecord)> = written
            .iter()
            .filter_map(|(p, r)| Some((p.as_str(), (*r)?)))
            .collect();
        records.sort_unstable_by_key(|(p, _)| *p);
        // A fresh tree hard-linked the output's unchanged files, which moved their change
        // times: the output's records of those files are the new tree's (one file for both),
        // the others are kept.
        let linked = std::mem::take(&mut *self.linked.lock().unwrap_or_else(|e| e.into_inner()));
        let output_records: Option<Vec<(&str, FileRecord)>> = (!self.in_place).then(|| {
            let mut all: rustc_hash::FxHashMap<&str, FileRecord> =
                self.records.iter().map(|(p, r)| (p.as_str(), *r)).collect();
            for p in &linked {
                if let Some(Some(r)) = written.get(p) {
                    all.insert(p.as_str(), *r);
                }
            }
            let mut v: Vec<(&str, FileRecord)> = all.into_iter().collect();
            v.sort_unstable_by_key(|(p, _)| *p);
            v
        });
        let folders = if records.len() == written.len() {
            folder_stats(&self.root, written.keys())
        } else {
            None
        };
        let section = index::Section {
            records: &records,
            folders: folders.as_deref().unwrap_or_default(),
        };
        let _ = index::write(
            &index::path_for(&self.out.dir),
            &self.root,
            section,
            &self.out.dir,
            output_records.as_deref().map(|records| index::Section {
                records,
                folders: &[],
            }),
        );
    }

    fn complete(
        &self,
        written: &rustc_hash::FxHashMap<String, Option<FileRecord>>,
        manifest: String,
    ) -> Result<Option<FileRecord>, Diagnostic> {
        if self.in_place {
            // Entries no longer in the site, then folders no file needs any more, deepest first.
            let gone: Vec<&String> = self
                .present
                .keys()
                .filter(|p| !written.contains_key(p.as_str()) && p.as_str() != MANIFEST)
                .collect();
            gone.par_iter().try_for_each(|p| {
                let path = self.root.join(p);
                remove_entry(&path).map_err(|e| write_error("remove", &path, e))
            })?;
            let needed = folders_of(written.keys());
            let mut empty: Vec<&String> = self
                .folders
                .iter()
                .filter(|d| !needed.contains(d.as_str()) && !written.contains_key(d.as_str()))
                .collect();
            empty.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
            for d in empty {
                let path = self.root.join(d);
                if let Err(e) = std::fs::remove_dir(&path) {
                    if e.kind() != std::io::ErrorKind::NotFound {
                        std::fs::remove_dir_all(&path)
                            .map_err(|e| write_error("remove", &path, e))?;
                    }
                }
            }
        }
        let m = OutFile {
            path: MANIFEST.into(),
            bytes: manifest.into_bytes().into(),
        };
        self.write(&m)
    }

    /// Gives up: a fresh tree is removed; a hidden tree stays, for the next build to update.
    pub fn abandon(self) {
        if !self.in_place {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

/// The folders above the files at `paths` (the root left out).
fn folders_of<'p>(paths: impl Iterator<Item = &'p String>) -> rustc_hash::FxHashSet<&'p str> {
    let mut folders: rustc_hash::FxHashSet<&str> = Default::default();
    for f in paths {
        let mut p = f.as_str();
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if !folders.insert(p) {
                break;
            }
        }
    }
    folders
}

/// The identity of every folder of the tree at `root` holding the files at `paths` (those
/// folders and no others, once the tree is complete), or none if one of them cannot be read.
/// Only where a folder's times move with every entry added or removed.
fn folder_stats<'p>(
    root: &Path,
    paths: impl Iterator<Item = &'p String>,
) -> Option<Vec<(&'p str, index::Stat)>> {
    if !cfg!(unix) {
        return None;
    }
    let mut folders: Vec<&str> = folders_of(paths).into_iter().collect();
    folders.sort_unstable();
    let dir = Dir::open(root);
    folders
        .par_iter()
        .map(|f| {
            let m = dir.meta(f)?;
            m.is_dir.then_some((*f, m.stat))
        })
        .collect()
}

/// Removes a file or link (absent is fine, also when a folder above it became a file).
fn remove_entry(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e)
            if e.kind() != std::io::ErrorKind::NotFound
                && e.raw_os_error() != Some(rustix::io::Errno::NOTDIR.raw_os_error()) =>
        {
            Err(e)
        }
        _ => Ok(()),
    }
}

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}
