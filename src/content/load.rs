//! The load stage: walk `content/`, parse every file, collect every error.

use super::frontmatter::{decode, normalise_text, split};
use super::{Corpus, Entity, Entry, Kind, Seed};
use crate::config::SiteConfig;
use crate::diag::{rel, Diagnostic};
use crate::format::slug;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
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
/// not parsed again. Keyed by path, checked by a hash of the bytes.
#[derive(Default)]
pub struct ParseCache {
    entries: std::sync::Mutex<rustc_hash::FxHashMap<PathBuf, (u64, ParsedEntry)>>,
}

/// An `Entry<T>` of some kind.
type ParsedEntry = std::sync::Arc<dyn std::any::Any + Send + Sync>;

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
    // The git history is read by its own process while the files are loaded.
    let history = super::history::start(root);
    let seeds = load_seeds(root, &mut diags);
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
    let corpus = config_ok.then_some(corpus);
    warn_stray_folders(root, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (corpus, diags)
}

fn load_seeds(root: &Path, diags: &mut Vec<Diagnostic>) -> BTreeMap<String, Seed> {
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
        match std::fs::read(&path) {
            Ok(bytes) => match normalise_text(&bytes, &r) {
                Ok(text) => {
                    let lines = text.split('\n').map(str::to_string).collect();
                    seeds.insert(name.clone(), Seed { file: name, lines });
                }
                Err(d) => diags.push(d),
            },
            Err(e) => diags.push(unreadable(&r, &e)),
        }
    }
    seeds
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
pub(crate) fn load_kind<T: Entity + Clone>(
    root: &Path,
    diags: &mut Vec<Diagnostic>,
    cache: Option<&ParseCache>,
) -> Vec<Entry<T>> {
    let kind = T::KIND;
    let results: Vec<Result<Option<Entry<T>>, Vec<Diagnostic>>> = files_of(root, kind, diags)
        .par_iter()
        .map(|p| load_file::<T>(root, p, cache))
        .collect();
    let mut entries: Vec<Entry<T>> = Vec::new();
    for r in results {
        match r {
            Ok(Some(e)) => entries.push(e),
            Ok(None) => {}
            Err(d) => diags.extend(d),
        }
    }
    // Duplicate ids and slugs within the kind.
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut slugs: HashMap<String, PathBuf> = HashMap::new();
    for e in &entries {
        if let Some(first) = seen.insert(e.id.clone(), e.path.clone()) {
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
        } else if let Some(first) = slugs.insert(e.slug.clone(), e.path.clone()) {
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
    entries
}

fn load_file<T: Entity + Clone>(
    root: &Path,
    path: &Path,
    cache: Option<&ParseCache>,
) -> Result<Option<Entry<T>>, Vec<Diagnostic>> {
    let r = rel(root, path);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext != "md" && ext != "toml" {
        return Ok(None);
    }
    let bytes = std::fs::read(path).map_err(|e| vec![unreadable(&r, &e)])?;
    let Some(cache) = cache else {
        return parse_file(root, path, r, &bytes, ext);
    };
    // The same bytes at the same path (and the same root) parse to the same entry.
    let hash = crate::format::hash::fx(&(root, &bytes));
    let known = cache
        .entries
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(path)
        .filter(|(h, _)| *h == hash)
        .map(|(_, e)| e.clone());
    if let Some(e) = known.as_ref().and_then(|e| e.downcast_ref::<Entry<T>>()) {
        return Ok(Some(e.clone()));
    }
    let parsed = parse_file::<T>(root, path, r, &bytes, ext)?;
    if let Some(e) = &parsed {
        cache
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf(), (hash, std::sync::Arc::new(e.clone())));
    }
    Ok(parsed)
}

fn parse_file<T: Entity>(
    _root: &Path,
    path: &Path,
    r: PathBuf,
    bytes: &[u8],
    ext: &str,
) -> Result<Option<Entry<T>>, Vec<Diagnostic>> {
    let text = normalise_text(bytes, &r).map_err(|d| vec![d])?;
    let ((data, spans), body, body_line) = if ext == "md" {
        let s = split(&text, &r).map_err(|d| vec![d])?;
        let decoded = decode::<T>(s.front, s.front_offset, &text, &r)?;
        (decoded, s.body.to_string(), s.body_line)
    } else {
        if text.trim().is_empty() {
            return Err(vec![Diagnostic::error("E002", &r, "file is empty")
                .at(1, 1)
                .hint(format!(
                    "add the fields of a {}, or delete the file",
                    T::KIND
                ))]);
        }
        (decode::<T>(&text, 0, &text, &r)?, String::new(), 0)
    };
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let explicit = data.slug().map(str::to_string);
    let entry = Entry {
        slug: slug::slug_for(&id, explicit.as_deref()),
        id,
        path: r,
        text,
        body,
        body_line,
        spans,
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
