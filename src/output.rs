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

use crate::diag::Diagnostic;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Component, Path, PathBuf};

const TMP_TAG: &str = ".seisaku-tmp-";
const OLD_TAG: &str = ".seisaku-old-";
const LOCK_TAG: &str = ".seisaku-lock";
/// The hidden tree of the build before the current one, updated in place by the next build.
pub const PREV_TAG: &str = ".seisaku-prev";

/// The file in the output that lists every file the build wrote.
pub const MANIFEST: &str = ".seisaku-manifest";
const MANIFEST_HEADER: &str =
    "# Written by seisaku: the files below are the site; the next build replaces them.";

/// Top-level names of an output written by a seisaku version without a manifest, besides the
/// folders of the kinds of entity.
const LEGACY_TOP: &[&str] = &[
    "404.html",
    "index.html",
    "atom.xml",
    "sitemap.xml",
    "site-offline.zip",
    "static",
    "seeds",
    "search",
    "budgets",
    "dashboard",
    "funding",
    "compare",
];

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
    pub bytes: std::sync::Arc<[u8]>,
}

fn sibling(dir: &Path, tag: &str) -> PathBuf {
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
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_exists(_: u32) -> bool {
    true
}

/// Paths (with `/`) of the files and links under `dir`, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    files.sort();
    files
}

fn is_legacy_file(path: &str) -> bool {
    let top = path.split('/').next().unwrap_or("");
    LEGACY_TOP.contains(&top)
        || crate::registry::Kind::ALL.iter().any(|k| k.folder() == top)
        || (top.starts_with("search-index") && top.ends_with(".js"))
        || top == "search-index"
}

/// An output of a version that wrote no manifest: its home page, 404 page, stylesheet and
/// search index are there.
fn looks_like_earlier_output(files: &[String]) -> bool {
    let has = |p: &str| files.binary_search_by(|f| f.as_str().cmp(p)).is_ok();
    has("index.html")
        && has("404.html")
        && has("static/style.css")
        && has("static/site.js")
        && files
            .iter()
            .any(|f| f.starts_with("search-index") && f.ends_with(".js"))
}

/// An absolute form of `path` with every symbolic link of its existing part resolved and `.`
/// and `..` applied; the part that does not exist yet is kept as written.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => {
                out.push(n);
                if exists {
                    match std::fs::canonicalize(&out) {
                        Ok(c) => out = c,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Why `out` (resolved) may never be replaced by a build of the site at `root` (resolved),
/// whatever the flags; `None` when it may.
pub fn forbidden(
    out: &Path,
    root: &Path,
    cwd: Option<&Path>,
    home: Option<&Path>,
) -> Option<String> {
    if out.parent().is_none() {
        return Some("it is the root of the file system".into());
    }
    // (folder, what it is, whether an output inside it is refused too)
    let mut places: Vec<(PathBuf, String, bool)> = vec![(
        root.to_path_buf(),
        "the site root (the folder with site.toml)".into(),
        false,
    )];
    for sub in ["content", "seeds", "themes"] {
        let p = resolve(&root.join(sub)).unwrap_or_else(|_| root.join(sub));
        // Inside the sources, the next build would read or publish its own output.
        places.push((p, format!("the site's {sub}/ folder"), true));
    }
    if let Some(h) = home {
        places.push((h.to_path_buf(), "your home folder".into(), false));
    }
    if let Some(c) = cwd {
        places.push((c.to_path_buf(), "the current folder".into(), false));
    }
    for (p, what, inside_too) in &places {
        if out == p {
            return Some(format!("it is {what}"));
        }
        if p.starts_with(out) {
            return Some(format!("it contains {what}"));
        }
        if *inside_too && out.starts_with(p) {
            return Some(format!("it is inside {what}"));
        }
    }
    None
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

    /// Checks that the folder is seisaku's to replace: absent, empty, or holding only files
    /// that a build wrote (listed in its manifest, or laid out as an earlier version wrote it).
    pub fn check_owned(&self) -> Result<(), Diagnostic> {
        if !self.dir.is_dir() {
            return Ok(());
        }
        let files = files_under(&self.dir);
        if files.is_empty() {
            return Ok(());
        }
        let foreign: Vec<&String> = match std::fs::read_to_string(self.dir.join(MANIFEST)) {
            Ok(text) => {
                let listed: BTreeSet<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
                files
                    .iter()
                    .filter(|f| *f != MANIFEST && !listed.contains(f.as_str()))
                    .collect()
            }
            Err(_) if looks_like_earlier_output(&files) => {
                files.iter().filter(|f| !is_legacy_file(f)).collect()
            }
            Err(_) => files.iter().collect(),
        };
        if foreign.is_empty() {
            return Ok(());
        }
        let shown: Vec<&str> = foreign.iter().take(5).map(|s| s.as_str()).collect();
        let more = if foreign.len() > shown.len() {
            format!(" and {} more", foreign.len() - shown.len())
        } else {
            String::new()
        };
        Err(Diagnostic::error(
            "E032",
            &self.shown,
            format!(
                "the output folder holds files seisaku did not write: {}{more}; a build replaces the whole folder",
                shown.join(", ")
            ),
        )
        .hint("choose another output (--out DIR or output_dir in site.toml), move those files away, or pass --force to replace the folder with the site"))
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

    /// Starts writing a site, file by file ([`Tree::put`], from any thread), into the hidden
    /// tree (updated in place) or, without one, a fresh temporary tree; [`Tree::finish`] puts
    /// it in place. Nothing a reader sees changes before `finish`.
    pub fn begin(&self) -> Result<Tree<'_>, Diagnostic> {
        self.check()?;
        self.clean_leftovers();
        let prev = self.prev_dir();
        let prev_usable = std::fs::symlink_metadata(&prev).is_ok_and(|m| m.is_dir());
        if prev_usable && (!self.dir.exists() || cfg!(target_os = "linux")) {
            let (present, mut folders) = contents(&prev)?;
            folders.sort_unstable();
            return Ok(Tree {
                out: self,
                root: prev,
                in_place: true,
                present,
                folders,
                written: Default::default(),
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
            root: tmp,
            in_place: false,
            present: Default::default(),
            folders: Vec::new(),
            written: Default::default(),
        })
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

fn write_error(what: &str, p: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("E031", p, format!("cannot {what}: {e}"))
        .hint("check free space and permissions of the output's parent folder")
}

/// What a tree holds: every entry but folders (true for a regular file), and the folders.
fn contents(root: &Path) -> Result<(rustc_hash::FxHashMap<String, bool>, Vec<String>), Diagnostic> {
    let mut present = rustc_hash::FxHashMap::default();
    let mut folders: Vec<String> = Vec::new();
    for e in walkdir::WalkDir::new(root)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
    {
        let e = e.map_err(|e| write_error("read the previous tree", root, e.into()))?;
        let Ok(rel) = e.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if e.file_type().is_dir() {
            folders.push(rel);
        } else {
            present.insert(rel, e.file_type().is_file());
        }
    }
    Ok((present, folders))
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
    in_place: bool,
    /// In place: what the tree held (true for a regular file), and its folders.
    present: rustc_hash::FxHashMap<String, bool>,
    folders: Vec<String>,
    /// Paths put so far.
    written: std::sync::Mutex<rustc_hash::FxHashSet<String>>,
}

impl Tree<'_> {
    /// Writes one file of the site (the first of two with the same path wins).
    pub fn put(&self, f: OutFile) -> Result<(), Diagnostic> {
        if !self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(f.path.clone())
        {
            return Ok(());
        }
        self.write(&f)
    }

    fn write(&self, f: &OutFile) -> Result<(), Diagnostic> {
        let path = self.root.join(&f.path);
        let same_as = |p: &Path| {
            std::fs::symlink_metadata(p)
                .is_ok_and(|m| m.is_file() && m.len() == f.bytes.len() as u64)
                && std::fs::read(p).is_ok_and(|b| b[..] == f.bytes[..])
        };
        if self.in_place {
            match self.present.get(&f.path) {
                Some(true) if same_as(&path) => return Ok(()),
                Some(_) => remove_entry(&path).map_err(|e| write_error("replace", &path, e))?,
                None if self.folders.binary_search(&f.path).is_ok() => {
                    std::fs::remove_dir_all(&path).map_err(|e| write_error("replace", &path, e))?;
                }
                None => {}
            }
        } else {
            let current = self.out.dir.join(&f.path);
            if same_as(&current) {
                let link = || std::fs::hard_link(&current, &path);
                if link().is_ok() || (self.make_parent(&path).is_ok() && link().is_ok()) {
                    return Ok(());
                }
            }
        }
        let create = || {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut file| std::io::Write::write_all(&mut file, &f.bytes))
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
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let mut paths: Vec<&str> = written.iter().map(String::as_str).collect();
        paths.sort_unstable();
        let mut text = String::from(MANIFEST_HEADER);
        text.push('\n');
        for p in &paths {
            text.push_str(p);
            text.push('\n');
        }
        let r = self.complete(&written, text);
        if r.is_err() {
            self.abandon();
            return r;
        }
        let out = self.out;
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

    fn complete(
        &self,
        written: &rustc_hash::FxHashSet<String>,
        manifest: String,
    ) -> Result<(), Diagnostic> {
        if self.in_place {
            // Entries no longer in the site, then folders no file needs any more, deepest first.
            let gone: Vec<&String> = self
                .present
                .keys()
                .filter(|p| !written.contains(p.as_str()) && p.as_str() != MANIFEST)
                .collect();
            gone.par_iter().try_for_each(|p| {
                let path = self.root.join(p);
                remove_entry(&path).map_err(|e| write_error("remove", &path, e))
            })?;
            let mut needed: rustc_hash::FxHashSet<&str> = Default::default();
            for f in written {
                let mut p = f.as_str();
                while let Some(i) = p.rfind('/') {
                    p = &p[..i];
                    if !needed.insert(p) {
                        break;
                    }
                }
            }
            let mut empty: Vec<&String> = self
                .folders
                .iter()
                .filter(|d| !needed.contains(d.as_str()) && !written.contains(d.as_str()))
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

/// Removes a file or link (absent is fine, also when a folder above it became a file).
fn remove_entry(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e)
            if e.kind() != std::io::ErrorKind::NotFound
                && e.raw_os_error() != Some(libc::ENOTDIR) =>
        {
            Err(e)
        }
        _ => Ok(()),
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
        // The output and the hidden tree the next build updates; nothing else.
        let mut names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".public.seisaku-prev", "public"]);
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
