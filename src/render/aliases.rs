//! Old addresses of pages (`aliases = ["old/path/"]`): a small page at each that sends the
//! reader on to the page's address (meta refresh, a canonical link, and a visible link for a
//! reader whose browser does not follow it), with relative links so it works from disk.
//! An old address that is the address of another page, or of another old address, is E018.

use super::context::Cx;
use super::page::root_of;
use super::theme::template_error;
use crate::diag::Diagnostic;
use crate::output::OutFile;
use crate::site::graph::NodeId;
use crate::site::{page_path, Site};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Output paths of every redirect page of the site.
pub fn redirect_paths(site: &Site<'_>) -> HashSet<String> {
    (0..site.entries.len())
        .flat_map(|i| site.alias_paths(NodeId(i as u32)))
        .map(|(_, p)| p)
        .collect()
}

#[derive(Serialize)]
struct Redirect<'a> {
    language: &'a str,
    site_title: &'a str,
    title: &'a str,
    /// The page, relative to the redirect page.
    url: String,
    canonical: String,
    t: &'a super::strings::Strings,
}

/// Every folder that holds a file of `paths` (`a/b/c.html` → `a`, `a/b`).
fn folders<'p>(paths: impl Iterator<Item = &'p str>) -> HashSet<&'p str> {
    let mut out = HashSet::new();
    for p in paths {
        let mut at = 0;
        while let Some(i) = p[at..].find('/') {
            out.insert(&p[..at + i]);
            at += i + 1;
        }
    }
    out
}

/// What an old address must not be: a file of the site, a folder of its files, or another
/// entity's page (named in the message).
struct Taken<'a> {
    files: HashSet<&'a str>,
    folders: HashSet<&'a str>,
    pages: HashMap<String, NodeId>,
}

impl<'a> Taken<'a> {
    fn new(site: &Site<'_>, files: &'a [String], extra: &'a [String]) -> Taken<'a> {
        let files: HashSet<&str> = files.iter().chain(extra).map(String::as_str).collect();
        let folders = folders(files.iter().copied());
        // Which entity's page is at a path, to name it in a message.
        let pages = (0..site.entries.len())
            .map(|i| {
                let e = site.entry(NodeId(i as u32));
                (page_path(e.kind(), e.slug()), NodeId(i as u32))
            })
            .collect();
        Taken {
            files,
            folders,
            pages,
        }
    }

    /// Why the old address `written` (at output `path`) of entity `n` cannot be used.
    fn conflict(&self, site: &Site<'_>, n: NodeId, path: &str, written: &str) -> Option<String> {
        if self.files.contains(path) {
            let what = match self.pages.get(path) {
                Some(m) if *m == n => "this page's own address".to_string(),
                Some(m) => {
                    let other = site.entry(*m);
                    format!(
                        "the address of the {} page `{}` ({})",
                        other.kind(),
                        other.id(),
                        other.path().display()
                    )
                }
                None => format!("the address of a page of the site (`{path}`)"),
            };
            return Some(format!("old address `{written}` is {what}"));
        }
        if self.folders.contains(path) {
            return Some(format!(
                "old address `{written}` is a folder of the site's pages, so no page can be written there"
            ));
        }
        folders(std::iter::once(path))
            .into_iter()
            .find(|f| self.files.contains(f))
            .map(|f| {
                format!("old address `{written}` lies inside `{f}`, which is a file of the site")
            })
    }
}

/// The redirect pages, or an E018 for each old address that collides with a page, a file of
/// the site or another old address.
pub fn redirects(cx: &Cx<'_>, files: &[String]) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    let site = cx.site;
    if site.entries.iter().all(|e| e.url_aliases().1.is_empty()) {
        return Ok(Vec::new());
    }
    // Files written besides the pages: the seeds, the offline archive, the manifest.
    let extra: Vec<String> = site
        .corpus
        .seeds
        .keys()
        .map(|f| format!("seeds/{f}"))
        .chain([
            "site-offline.zip".to_string(),
            crate::output::MANIFEST.to_string(),
        ])
        .collect();
    let taken = Taken::new(site, files, &extra);
    let mut claimed: HashMap<String, (NodeId, usize)> = HashMap::new();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for i in 0..site.entries.len() {
        let n = NodeId(i as u32);
        let e = site.entry(n);
        let (field, aliases) = e.url_aliases();
        for (k, path) in site.alias_paths(n) {
            let written = &aliases[k];
            let error = |message: String| {
                let (line, col) = e.position(&format!("{field}.{k}"));
                Diagnostic::error("E018", e.path(), message).at(line, col).hint(
                    "remove the old address, or move it: a page's address is always kept for that page",
                )
            };
            if let Some(why) = taken.conflict(site, n, &path, written) {
                errors.push(error(why));
                continue;
            }
            if let Some((m, j)) = claimed.get(&path) {
                let other = site.entry(*m);
                let (of, _) = other.url_aliases();
                let (line, _) = other.position(&format!("{of}.{j}"));
                errors.push(error(format!(
                    "old address `{written}` is also an old address of the {} `{}` ({}:{line})",
                    other.kind(),
                    other.id(),
                    other.path().display()
                )));
                continue;
            }
            claimed.insert(path.clone(), (n, k));
            out.push(redirect_page(cx, n, path)?);
        }
    }
    errors.extend(nested(site, &claimed));
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(errors)
    }
}

/// The page at old address `path` that sends the reader to entity `n`'s page.
fn redirect_page(cx: &Cx<'_>, n: NodeId, path: String) -> Result<OutFile, Vec<Diagnostic>> {
    let cfg = &cx.site.corpus.config;
    let e = cx.site.entry(n);
    let target = page_path(e.kind(), e.slug());
    let url = format!("{}{target}", root_of(&path));
    let view = Redirect {
        language: &cfg.language,
        site_title: &cfg.title,
        title: e.title(),
        canonical: cfg.base_url().map_or_else(
            || url.clone(),
            |b| format!("{b}{}", target.trim_end_matches("index.html")),
        ),
        url,
        t: cx.strings,
    };
    let ctx = tera::Context::from_serialize(&view)
        .map_err(|e| vec![Diagnostic::error("E041", "redirect.html", e.to_string())])?;
    let html = cx
        .theme
        .tera
        .render("redirect.html", &ctx)
        .map_err(|e| vec![template_error(&e, &cx.theme.origins)])?;
    Ok(OutFile {
        path,
        bytes: html.into_bytes().into(),
    })
}

/// Two old addresses where one would be a folder of the other.
fn nested(site: &Site<'_>, claimed: &HashMap<String, (NodeId, usize)>) -> Vec<Diagnostic> {
    let alias_folders = folders(claimed.keys().map(String::as_str));
    let mut errors = Vec::new();
    for (path, (n, k)) in claimed {
        if alias_folders.contains(path.as_str()) {
            let e = site.entry(*n);
            let (field, aliases) = e.url_aliases();
            let (line, col) = e.position(&format!("{field}.{k}"));
            errors.push(
                Diagnostic::error(
                    "E018",
                    e.path(),
                    format!(
                        "old address `{}` is a folder of another old address",
                        aliases[*k]
                    ),
                )
                .at(line, col)
                .hint("write each old address as a folder (`old/path/`)"),
            );
        }
    }
    errors
}
