//! Whose folder the output is: the places a build never replaces (the sources, the site
//! root, a parent of them, a filesystem root, the home folder), and whether a folder holds
//! only what seisaku wrote (its manifest, or the layout of an earlier version).

use super::{Output, MANIFEST};
use crate::diag::Diagnostic;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

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

/// Paths (with `/`) of the files and links under `dir`, sorted (the folders the index knows,
/// unchanged since, are not read).
fn files_under(dir: &Path) -> std::io::Result<Vec<String>> {
    let known = super::index::known_folders(&super::index::path_for(dir), dir);
    let mut files: Vec<String> = super::walk::list_known(dir, &known)?
        .files
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    files.sort();
    Ok(files)
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
    /// Checks that the folder is seisaku's to replace: absent, empty, or holding only files
    /// that a build wrote (listed in its manifest, or laid out as an earlier version wrote it).
    pub fn check_owned(&self) -> Result<(), Diagnostic> {
        if !self.dir.is_dir() {
            return Ok(());
        }
        // What cannot be read cannot be known to be seisaku's.
        let files = files_under(&self.dir)
            .map_err(|e| super::write_error("read the output folder", &self.shown, e))?;
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
}
