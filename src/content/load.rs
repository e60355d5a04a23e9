//! The load stage: walk `content/`, parse every file, collect every error.

use super::frontmatter::{decode, normalise_text, split};
use super::spans::LazySpans;
use super::{Corpus, Entity, Entry, Kind, Seed};
use crate::config::SiteConfig;
use crate::diag::{rel, Diagnostic};
use crate::format::slug;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// Whether a file in `content/` is an editor's leftover or system file, ignored silently
/// (Emacs writes `.#name` lock files and `#name#` auto-saves).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// Parsed source files kept between loads (watch mode): a file whose bytes are unchanged is
/// not parsed again, one whose metadata is unchanged is not even read, and when the watcher
/// has said which files changed, the others are not even looked at. Keyed by path.
#[derive(Default)]
pub struct ParseCache {
    /// Keyed by the path's bytes (hashed as one string, where a `Path` hashes component by
    /// component).
    entries: std::sync::Mutex<rustc_hash::FxHashMap<std::ffi::OsString, Parsed>>,
    /// Files the watcher reported since the last load began; `None` when that is not known
    /// (before the first load, or after events were lost).
    reported: std::sync::Mutex<Option<Reports>>,
    /// What the load in progress may have to read again: the files reported before it began
    /// (`None`: every file's metadata is checked).
    suspects: std::sync::RwLock<Option<Reports>>,
    /// Each kind's files (and the warnings of listing them) as the last load found them.
    listings: std::sync::Mutex<FxHashMap<Kind, Listing>>,
    /// Whether a watcher reports every change (set by watch mode before its first load).
    reporting: std::sync::atomic::AtomicBool,
    /// The git history as last read, by the repository's state ([`super::history::state`]).
    history: std::sync::Mutex<Option<(u64, super::history::Read)>>,
    /// Each kind's entries as the last load assembled them without a problem, with the
    /// listing they came from.
    kinds: std::sync::Mutex<FxHashMap<Kind, KindLoad>>,
    /// Seed documents as last read, by path.
    seeds: std::sync::Mutex<FxHashMap<PathBuf, ReadSeed>>,
}

impl ParseCache {
    /// From now on a watcher reports every change with [`ParseCache::changed`], or says that
    /// it cannot with [`ParseCache::unknown`].
    pub fn reported_by_watcher(&self) {
        self.reporting
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The watcher saw these files change (`came_or_went`: some were created, removed or
    /// moved): at the next load, only they (and files not loaded before) are checked, and the
    /// folders are listed again only if files came or went.
    pub fn changed(&self, paths: impl IntoIterator<Item = PathBuf>, came_or_went: bool) {
        if let Some(r) = self
            .reported
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            r.files
                .extend(paths.into_iter().map(PathBuf::into_os_string));
            r.came_or_went |= came_or_went;
        }
    }

    /// The files of `kind`: as the last load listed them when the watcher saw none come or
    /// go since, else listed again.
    fn listing(&self, root: &Path, kind: Kind, diags: &mut Vec<Diagnostic>) -> Arc<Vec<PathBuf>> {
        let dir = root.join("content").join(kind.source_folder());
        let suspects = self.suspects.read().unwrap_or_else(|e| e.into_inner());
        let mut listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        // The same files when none came or went, and every file reported in the kind's folder
        // is one listed before and still a file (whatever the watcher called its change).
        let same = |files: &[PathBuf]| {
            suspects.as_ref().is_some_and(|r| {
                !r.came_or_went
                    && r.files
                        .iter()
                        .map(Path::new)
                        .filter(|p| p.starts_with(&dir))
                        .all(|p| {
                            files.binary_search_by(|f| f.as_path().cmp(p)).is_ok() && p.is_file()
                        })
            })
        };
        if let Some((files, warnings)) = listings.get(&kind).filter(|(f, _)| same(f)) {
            diags.extend(warnings.iter().cloned());
            return files.clone();
        }
        let mut warnings = Vec::new();
        let files = Arc::new(files_of(root, kind, &mut warnings));
        diags.extend(warnings.iter().cloned());
        listings.insert(kind, (files.clone(), warnings));
        files
    }

    /// What changed is not known (events were lost, a folder moved): the next load checks
    /// every file.
    pub fn unknown(&self) {
        *self.reported.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// A load begins: it checks what was reported so far; reports from now on are for the next.
    fn begin(&self) {
        let reporting = self.reporting.load(std::sync::atomic::Ordering::SeqCst);
        let reported = std::mem::replace(
            &mut *self.reported.lock().unwrap_or_else(|e| e.into_inner()),
            reporting.then(Reports::default),
        );
        *self.suspects.write().unwrap_or_else(|e| e.into_inner()) = reported;
    }

    /// Whether the file may have changed since the last load.
    fn suspect(&self, path: &Path) -> bool {
        self.suspects
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_none_or(|r| r.files.contains(path.as_os_str()))
    }

    /// The entries of kind `T` made from the last ones, when the kind's files are the same
    /// (none came or went) and every file the watcher reported of them still parses to an
    /// entry with the same id and slug: then only those files are looked at, and no other
    /// check of the kind can have changed. `None` when the whole kind must be loaded.
    fn patched<T: Entity>(
        &self,
        root: &Path,
        files: &Arc<Vec<PathBuf>>,
    ) -> Option<Vec<Arc<Entry<T>>>> {
        let (listed, entries) = self
            .kinds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&T::KIND)
            .cloned()?;
        if !Arc::ptr_eq(&listed, files) {
            return None;
        }
        let entries = entries.downcast::<Vec<Arc<Entry<T>>>>().ok()?;
        let reported: Vec<PathBuf> = {
            let suspects = self.suspects.read().unwrap_or_else(|e| e.into_inner());
            suspects
                .as_ref()?
                .files
                .iter()
                .map(Path::new)
                .filter(|p| files.binary_search_by(|f| f.as_path().cmp(p)).is_ok())
                .map(Path::to_path_buf)
                .collect()
        };
        let mut out = (*entries).clone();
        for p in reported {
            let r = rel(root, &p);
            let i = out.iter().position(|e| e.path == r)?;
            let new = load_file::<T>(root, &p, Some(self)).ok()??;
            if new.id != out[i].id || new.slug != out[i].slug {
                return None;
            }
            out[i] = new;
        }
        Some(out)
    }

    fn forget_kind(&self, kind: Kind) {
        self.kinds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&kind);
    }

    fn keep_kind<T: Entity>(
        &self,
        kind: Kind,
        files: Arc<Vec<PathBuf>>,
        entries: &[Arc<Entry<T>>],
    ) {
        let entries: Arc<dyn std::any::Any + Send + Sync> = Arc::new(entries.to_vec());
        self.kinds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(kind, (files, entries));
    }

    /// The history read when the repository was in `state`.
    fn history(&self, state: u64) -> Option<super::history::Read> {
        let kept = self.history.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|(s, _)| *s == state)
            .map(|(_, r)| r.clone())
    }

    fn keep_history(&self, state: u64, read: super::history::Read) {
        *self.history.lock().unwrap_or_else(|e| e.into_inner()) = Some((state, read));
    }

    /// The seed at `path`: the one read before while the watcher did not report it or its
    /// stamp is the same, else read by `read`.
    fn seed(
        &self,
        path: &Path,
        read: impl FnOnce() -> Result<Seed, Diagnostic>,
    ) -> Result<Arc<Seed>, Diagnostic> {
        let known = |same: &dyn Fn(&Option<Stamp>) -> bool| {
            let m = self.seeds.lock().unwrap_or_else(|e| e.into_inner());
            m.get(path)
                .filter(|(s, _)| same(s))
                .map(|(_, seed)| seed.clone())
        };
        if !self.suspect(path) {
            if let Some(seed) = known(&|_| true) {
                return Ok(seed);
            }
        }
        let stamp = Stamp::of(path);
        if let Some(seed) = known(&|s| stamp.is_some() && *s == stamp) {
            return Ok(seed);
        }
        let seed = Arc::new(read()?);
        self.seeds.lock().unwrap_or_else(|e| e.into_inner()).insert(
            path.to_path_buf(),
            (stamp.filter(Stamp::settled), seed.clone()),
        );
        Ok(seed)
    }
}

/// What the watcher reported: the files changed, and whether any was created, removed or
/// moved (then the folders are listed again).
#[derive(Default)]
struct Reports {
    files: FxHashSet<std::ffi::OsString>,
    came_or_went: bool,
}

/// A kind's listing and the entries made from it (a `Vec<Arc<Entry<T>>>`, in id order).
type KindLoad = (Arc<Vec<PathBuf>>, Arc<dyn std::any::Any + Send + Sync>);

/// A seed as read, and the stamp of its file then (none when not trusted).
type ReadSeed = (Option<Stamp>, Arc<Seed>);

/// A kind's files, and the warnings about names left out.
type Listing = (Arc<Vec<PathBuf>>, Vec<Diagnostic>);

/// A file as it was when it was parsed, and what it parsed to.
struct Parsed {
    stamp: Option<Stamp>,
    /// Hash of the site root and the file's bytes.
    hash: u64,
    entry: ParsedEntry,
}

/// What the file system says of a file: when an editor saves it, one of these changes
/// (modification time to the nanosecond, size, or the inode when it is replaced by a rename).
#[derive(PartialEq, Eq, Hash, Clone, Copy)]
pub(super) struct Stamp {
    modified: std::time::SystemTime,
    changed: (i64, i64),
    len: u64,
    inode: u64,
}

impl Stamp {
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::symlink_metadata(path).ok()?;
        Some(Stamp {
            modified: m.modified().ok()?,
            changed: (m.ctime(), m.ctime_nsec()),
            len: m.len(),
            inode: m.ino(),
        })
    }

    /// Whether the file was last modified longer ago than the clock's granularity: one
    /// modified within it could change again with the same stamp, so its stamp is not
    /// trusted and it is read again next time.
    fn settled(&self) -> bool {
        std::time::SystemTime::now()
            .duration_since(self.modified)
            .is_ok_and(|age| age > RACY)
    }
}

/// How long after its last modification a file's stamp is trusted: well above the
/// granularity of file system clocks (a scheduler tick).
const RACY: std::time::Duration = std::time::Duration::from_millis(50);

/// An `Arc<Entry<T>>` of some kind.
type ParsedEntry = Arc<dyn std::any::Any + Send + Sync>;

/// Loads site.toml, content/ and seeds/ under `root`. Returns the corpus when nothing failed,
/// and every diagnostic found either way.
pub fn load(root: &Path) -> (Option<Corpus>, Vec<Diagnostic>) {
    load_cached(root, None)
}

/// [`load`], reusing the files of `cache` whose bytes are unchanged (and keeping the others).
pub fn load_cached(root: &Path, cache: Option<&ParseCache>) -> (Option<Corpus>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let config = match SiteConfig::load(root) {
        Ok(c) => Some(c),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error("E001", "content", "the content/ folder is missing")
                .hint("create content/ with one folder per kind (see README), or pass --root"),
        );
        return (None, diags);
    }
    if let Some(c) = cache {
        c.begin();
    }
    // The git history is read by its own process while the files are loaded (in watch mode,
    // only when the repository moved since it was last read).
    let state = cache.and_then(|_| super::history::state(root));
    let kept = cache.zip(state).and_then(|(c, s)| c.history(s));
    let fresh = kept.is_none();
    let history = match kept {
        Some(read) => super::history::Pending::ready(read),
        None => super::history::start(root),
    };
    let t = std::time::Instant::now();
    let seeds = load_seeds(root, &mut diags, cache);
    let t = crate::trace::stage("  load: seeds", t);
    // Every file is read even when site.toml failed, so that all errors are listed at once.
    let config_ok = config.is_some();
    let corpus = Corpus::assemble(
        root,
        config.unwrap_or_else(SiteConfig::placeholder),
        seeds,
        history,
        &mut diags,
        cache,
    );
    crate::trace::stage("  load: content", t);
    if let (Some(c), Some(s), true) = (cache, state, fresh) {
        let warning = diags.iter().find(|d| d.code == "W005").cloned();
        c.keep_history(s, (corpus.history.clone(), warning));
    }
    let corpus = config_ok.then_some(corpus);
    warn_stray_folders(root, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (corpus, diags)
}

fn load_seeds(
    root: &Path,
    diags: &mut Vec<Diagnostic>,
    cache: Option<&ParseCache>,
) -> BTreeMap<String, Arc<Seed>> {
    let mut seeds = BTreeMap::new();
    let dir = root.join("seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return seeds;
    };
    // The type of the entry itself: a symbolic link is not followed.
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let t = e.file_type().ok()?;
            (t.is_file() || t.is_symlink()).then(|| (e.path(), t.is_symlink()))
        })
        .collect();
    paths.sort();
    for (path, is_link) in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_ignored(&name) {
            continue;
        }
        let r = rel(root, &path);
        if is_link {
            diags.push(
                Diagnostic::error(
                    "E008",
                    &r,
                    "a seed file is a symbolic link: seeds are published with the site, so links are not followed",
                )
                .hint("copy the document into seeds/ instead of linking to it"),
            );
            continue;
        }
        match cache {
            Some(c) => match c.seed(&path, || read_seed(&path, &r, &name)) {
                Ok(seed) => drop(seeds.insert(name, seed)),
                Err(d) => diags.push(d),
            },
            None => match read_seed(&path, &r, &name) {
                Ok(seed) => drop(seeds.insert(name, Arc::new(seed))),
                Err(d) => diags.push(d),
            },
        }
    }
    seeds
}

/// A seed document read from `path` (`r` relative to the site root).
fn read_seed(path: &Path, r: &Path, name: &str) -> Result<Seed, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(r, &e))?;
    let text = normalise_text(&bytes, r)?;
    Ok(Seed {
        file: name.to_string(),
        fingerprint: crate::format::hash::fx(&text),
        lines: text.split('\n').map(str::to_string).collect(),
    })
}

fn unreadable(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("E001", path, format!("cannot read file: {e}"))
        .hint("check the file's permissions")
}

/// Whether a name starts with `#` without being an editor's file: not loaded, but reported.
fn is_hashed(name: &str) -> bool {
    name.starts_with('#') && !is_ignored(name)
}

/// Source files of one kind, sorted by path so that all later stages are deterministic. A file
/// or folder whose name starts with `#` is left out with a warning.
fn files_of(root: &Path, kind: Kind, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let dir = root.join("content").join(kind.source_folder());
    let mut hashed = Vec::new();
    let mut files: Vec<PathBuf> = WalkDir::new(&dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            if e.depth() > 0 && is_hashed(&name) {
                hashed.push(e.path().to_path_buf());
                return false;
            }
            e.depth() == 0 || !is_ignored(&name)
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() || e.file_type().is_symlink())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    hashed.sort();
    for p in hashed {
        let r = rel(root, &p);
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        diags.push(
            Diagnostic::warning(
                "W004",
                &r,
                format!("`{name}` is not loaded: names starting with `#` are left out"),
            )
            .hint("rename it without the leading `#` to publish it, or delete it"),
        );
    }
    files
}

/// Loads every file of kind `T`, in id order; problems go to `diags`.
pub(crate) fn load_kind<T: Entity>(
    root: &Path,
    diags: &mut Vec<Diagnostic>,
    cache: Option<&ParseCache>,
) -> Vec<Arc<Entry<T>>> {
    let kind = T::KIND;
    let files = match cache {
        Some(c) => c.listing(root, kind, diags),
        None => Arc::new(files_of(root, kind, diags)),
    };
    if let Some(c) = cache {
        if let Some(entries) = c.patched::<T>(root, &files) {
            c.keep_kind(kind, files, &entries);
            return entries;
        }
        // Kept again only if this load finds no problem: a later patch must start from the
        // entries of the last load, never from older ones.
        c.forget_kind(kind);
    }
    let before = diags.len();
    let read = || -> Vec<Loaded<T>> {
        files
            .par_iter()
            .map(|p| load_file::<T>(root, p, cache))
            .collect()
    };
    let results = match readers() {
        Some(pool) => pool.install(read),
        None => read(),
    };
    let mut entries: Vec<Arc<Entry<T>>> = Vec::new();
    for r in results {
        match r {
            Ok(Some(e)) => entries.push(e),
            Ok(None) => {}
            Err(d) => diags.extend(d),
        }
    }
    // Duplicate ids and slugs within the kind.
    let mut seen: FxHashMap<&str, &Path> =
        FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
    let mut slugs: FxHashMap<&str, &Path> =
        FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
    for e in &entries {
        if let Some(first) = seen.insert(&e.id, &e.path) {
            diags.push(
                Diagnostic::error(
                    "E006",
                    &e.path,
                    format!(
                        "duplicate {kind} id `{}`: {} has it too",
                        e.id,
                        first.display()
                    ),
                )
                .at(1, 1)
                .hint("rename one of the files; the file name is the id"),
            );
        } else if let Some(first) = slugs.insert(&e.slug, &e.path) {
            diags.push(
                Diagnostic::error(
                    "E007",
                    &e.path,
                    format!("slug `{}` is also the slug of {}", e.slug, first.display()),
                )
                .at(e.position("slug").0, e.position("slug").1)
                .hint("give one of them a different `slug`"),
            );
        }
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    if let (Some(c), true) = (cache, diags.len() == before) {
        c.keep_kind(kind, files, &entries);
    }
    entries
}

/// The threads that read and parse the sources: six per core, so that on a disk whose cache
/// is cold many reads are in flight while the files already read are parsed (100,000 sources
/// loaded cold in 10.5 s with one read per core in flight, 4.8 s with six; no change when the
/// files are in memory). `None` if the threads cannot be made: the load then runs on the
/// build's own threads.
fn readers() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads().max(1) * 6)
            .thread_name(|i| format!("seisaku-read-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// A file's entry (none for a file of another type), or its errors.
type Loaded<T> = Result<Option<Arc<Entry<T>>>, Vec<Diagnostic>>;

fn load_file<T: Entity>(root: &Path, path: &Path, cache: Option<&ParseCache>) -> Loaded<T> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext != "md" && ext != "toml" {
        return Ok(None);
    }
    let Some(cache) = cache else {
        let r = rel(root, path);
        let bytes = std::fs::read(path).map_err(|e| vec![unreadable(&r, &e)])?;
        return Ok(parse_file(root, path, r, &bytes, ext)?.map(Arc::new));
    };
    // The entry parsed before, if what is known of the file now matches it.
    let known = |same: &dyn Fn(&Parsed) -> bool| {
        let m = cache.entries.lock().unwrap_or_else(|e| e.into_inner());
        m.get(path.as_os_str())
            .filter(|p| same(p))
            .and_then(|p| p.entry.clone().downcast::<Entry<T>>().ok())
    };
    // A file the watcher did not report is the one parsed before.
    if !cache.suspect(path) {
        if let Some(e) = known(&|_| true) {
            return Ok(Some(e));
        }
    }
    let r = rel(root, path);
    // A file whose metadata has not changed since it was parsed is not read again.
    let stamp = Stamp::of(path);
    if let Some(e) = known(&|p| stamp.is_some() && p.stamp == stamp) {
        return Ok(Some(e));
    }
    let bytes = std::fs::read(path).map_err(|e| vec![unreadable(&r, &e)])?;
    // The same bytes at the same path (and the same root) parse to the same entry.
    let hash = crate::format::hash::fx(&(root, &bytes));
    let entry = match known(&|p| p.hash == hash) {
        Some(e) => e,
        None => match parse_file::<T>(root, path, r, &bytes, ext)? {
            Some(e) => Arc::new(e),
            None => return Ok(None),
        },
    };
    cache
        .entries
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(
            path.as_os_str().to_owned(),
            Parsed {
                stamp: stamp.filter(Stamp::settled),
                hash,
                entry: entry.clone(),
            },
        );
    Ok(Some(entry))
}

fn parse_file<T: Entity>(
    _root: &Path,
    path: &Path,
    r: PathBuf,
    bytes: &[u8],
    ext: &str,
) -> Result<Option<Entry<T>>, Vec<Diagnostic>> {
    let text = normalise_text(bytes, &r).map_err(|d| vec![d])?;
    let (decoded, toml, body_start, body_line) = if ext == "md" {
        let s = split(&text, &r).map_err(|d| vec![d])?;
        let decoded = decode::<T>(s.front, s.front_offset, &text, &r)?;
        let toml = s.front_offset..s.front_offset + s.front.len();
        // The body is the end of the text.
        (decoded, toml, text.len() - s.body.len(), s.body_line)
    } else {
        if text.trim().is_empty() {
            return Err(vec![Diagnostic::error("E002", &r, "file is empty")
                .at(1, 1)
                .hint(format!(
                    "add the fields of a {}, or delete the file",
                    T::KIND
                ))]);
        }
        (
            decode::<T>(&text, 0, &text, &r)?,
            0..text.len(),
            text.len(),
            0,
        )
    };
    let data = decoded.value;
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let explicit = data.slug().map(str::to_string);
    let (front, body) = text.split_at(body_start);
    let fingerprint = super::Fingerprint {
        text: crate::format::hash::fx(&text),
        front: crate::format::hash::fx(front),
    };
    let entry = Entry {
        fingerprint,
        links: crate::resolve::links::body_links(body, body_line),
        slug: slug::slug_for(&id, explicit.as_deref()),
        id,
        path: r,
        body_start,
        text,
        body_line,
        spans: LazySpans::new(toml),
        title_at: decoded.title_at,
        data,
    };
    if let Some(s) = &explicit {
        if !slug::is_valid(s) {
            return Err(vec![entry
                .error_at(
                    "E007",
                    "slug",
                    format!("slug `{s}` is not a valid URL segment"),
                )
                .hint("use lower-case ASCII letters, digits and `-`")]);
        }
    }
    Ok(Some(entry))
}

fn warn_stray_folders(root: &Path, diags: &mut Vec<Diagnostic>) {
    let Ok(rd) = std::fs::read_dir(root.join("content")) else {
        return;
    };
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        if is_ignored(&name) || Kind::ALL.iter().any(|k| k.source_folder() == name) {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                "W001",
                Path::new("content").join(&name),
                format!("`{name}` is not a content folder and is ignored"),
            )
            .hint(format!(
                "content folders are {}",
                Kind::ALL
                    .iter()
                    .map(|k| k.source_folder())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Term;

    fn term(title: &str) -> String {
        format!("+++\ntitle = \"{title}\"\nsource = [\"plan.txt#L1\"]\n+++\n本文。\n")
    }

    /// A site with one term file, and that file.
    fn one_term(title: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let terms = dir.path().join("content/terms");
        std::fs::create_dir_all(&terms).unwrap();
        let file = terms.join("a.md");
        std::fs::write(&file, term(title)).unwrap();
        (dir, file)
    }

    fn load_terms(root: &Path, cache: &ParseCache) -> Vec<Arc<Entry<Term>>> {
        let mut diags = Vec::new();
        let terms = load_kind::<Term>(root, &mut diags, Some(cache));
        assert!(diags.is_empty(), "{diags:?}");
        terms
    }

    /// A load in watch mode after the watcher reported `changed`: the titles, or the errors.
    fn reload(
        root: &Path,
        cache: &ParseCache,
        changed: &[&Path],
    ) -> Result<Vec<Arc<Entry<Term>>>, Vec<Diagnostic>> {
        cache.changed(changed.iter().map(|p| p.to_path_buf()), false);
        cache.begin();
        let mut diags = Vec::new();
        let terms = load_kind::<Term>(root, &mut diags, Some(cache));
        if diags.is_empty() {
            Ok(terms)
        } else {
            Err(diags)
        }
    }

    fn titles(terms: &[Arc<Entry<Term>>]) -> Vec<&str> {
        terms.iter().map(|t| t.data.title.as_str()).collect()
    }

    #[test]
    fn an_edit_patches_the_last_load_and_a_failed_load_is_never_patched() {
        let (dir, a) = one_term("甲");
        let b = a.with_file_name("b.md");
        std::fs::write(&b, term("乙")).unwrap();
        let root = dir.path();
        let cache = ParseCache::default();
        cache.reported_by_watcher();
        let first = reload(root, &cache, &[]).unwrap();
        assert_eq!(titles(&first), ["甲", "乙"]);
        // One file edited: the other entry is the one loaded before.
        std::fs::write(&a, term("丙")).unwrap();
        let second = reload(root, &cache, &[&a]).unwrap();
        assert_eq!(titles(&second), ["丙", "乙"]);
        assert!(Arc::ptr_eq(&first[1], &second[1]));
        // The next edit, of the other file: the patch starts from the last load.
        std::fs::write(&b, term("乙二")).unwrap();
        let third = reload(root, &cache, &[&b]).unwrap();
        assert_eq!(titles(&third), ["丙", "乙二"]);
        assert!(Arc::ptr_eq(&second[0], &third[0]));
        // Two edits, one of them broken: the load fails...
        std::fs::write(&b, term("丁")).unwrap();
        std::fs::write(&a, "+++\ntitle = \n+++\n").unwrap();
        assert!(reload(root, &cache, &[&a, &b]).is_err());
        // ...and once the broken file is fixed, the other edit is there too.
        std::fs::write(&a, term("戊")).unwrap();
        assert_eq!(titles(&reload(root, &cache, &[&a]).unwrap()), ["戊", "丁"]);
        // A new slug is checked against the others': the whole kind is loaded again.
        let taken = format!("slug = \"{}\"\n+++\n本文", first[1].slug);
        std::fs::write(&a, term("己").replace("+++\n本文", &taken)).unwrap();
        let errors = reload(root, &cache, &[&a]).unwrap_err();
        assert!(errors.iter().any(|d| d.code == "E007"), "{errors:?}");
    }

    #[test]
    fn an_edit_of_the_same_size_right_after_a_load_is_seen() {
        let (dir, file) = one_term("甲乙");
        let cache = ParseCache::default();
        assert_eq!(load_terms(dir.path(), &cache)[0].data.title, "甲乙");
        // Same length, same folder, within the file system clock's granularity.
        std::fs::write(&file, term("丙丁")).unwrap();
        assert_eq!(load_terms(dir.path(), &cache)[0].data.title, "丙丁");
    }

    #[test]
    fn a_settled_unchanged_file_is_reused_and_a_touched_one_read_again() {
        let (dir, file) = one_term("甲乙");
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        let set_old = || {
            std::fs::File::options()
                .write(true)
                .open(&file)
                .unwrap()
                .set_modified(old)
                .unwrap()
        };
        set_old();
        let cache = ParseCache::default();
        let first = load_terms(dir.path(), &cache);
        let again = load_terms(dir.path(), &cache);
        assert!(
            Arc::ptr_eq(&first[0], &again[0]),
            "an unchanged file is not parsed again"
        );
        // Rewritten with the same bytes and given back its old time: the change time differs.
        std::fs::write(&file, term("丙丁")).unwrap();
        set_old();
        let edited = load_terms(dir.path(), &cache);
        assert_eq!(edited[0].data.title, "丙丁");
    }
}
