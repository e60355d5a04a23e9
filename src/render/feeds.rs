//! `sitemap.xml` and `atom.xml` for a site with a public address, from overridable templates
//! (`sitemap.xml`, `atom.xml` in the theme).

use super::context::Cx;
use super::theme::template_error;
use crate::diag::Diagnostic;
use crate::format::date::JpDate;
use crate::output::OutFile;
use crate::registry::Kind;
use crate::site::page_path;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Entry {
    title: String,
    url: String,
    summary: String,
    /// The page's date (`YYYY-MM-DD`), the feed's own when the page has none.
    updated: String,
}

#[derive(Serialize)]
struct Url {
    loc: String,
    /// When the page was last revised (`YYYY-MM-DD`), when that is known.
    lastmod: Option<String>,
}

fn day(d: JpDate) -> String {
    let (y, m, d) = d.first_day();
    format!("{y:04}-{m:02}-{d:02}")
}

/// The sitemap and the feed. `pages` are the paths of every HTML page of the site, `dates`
/// when each page was last revised (its `updated` or last commit: never the build time).
pub fn feeds(
    cx: &Cx<'_>,
    base: &str,
    pages: &[&str],
    dates: &BTreeMap<String, JpDate>,
) -> Result<Vec<OutFile>, Diagnostic> {
    let mut urls: Vec<Url> = pages
        .iter()
        .filter(|p| p.ends_with(".html") && **p != "404.html")
        .map(|p| Url {
            loc: format!("{base}{}", p.trim_end_matches("index.html")),
            lastmod: dates.get(*p).map(|d| day(*d)),
        })
        .collect();
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    // The feed's date is the newest page date, else the latest document date: the output
    // stays deterministic.
    let updated = dates
        .values()
        .copied()
        .max()
        .or_else(|| {
            cx.site
                .corpus
                .documents
                .iter()
                .filter_map(|d| d.data.date.as_deref().and_then(|s| JpDate::parse(s).ok()))
                .max()
        })
        .map_or("2000-01-01".to_string(), day);
    let mut entries: Vec<(Option<JpDate>, Entry)> = cx
        .site
        .corpus
        .policies
        .iter()
        .map(|e| {
            let path = page_path(Kind::Policy, &e.slug);
            let date = dates.get(&path).copied();
            let entry = Entry {
                title: e.data.title.clone(),
                url: format!("{base}{}", path.trim_end_matches("index.html")),
                summary: cx
                    .site
                    .body_of(Kind::Policy, &e.id)
                    .map(|b| b.text.chars().take(200).collect())
                    .unwrap_or_default(),
                updated: date.map_or_else(|| updated.clone(), day),
            };
            (date, entry)
        })
        .collect();
    // Newest first; undated ones last, each group in id order.
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    let entries: Vec<Entry> = entries.into_iter().map(|(_, e)| e).collect();
    let cfg = &cx.site.corpus.config;
    let mut ctx = tera::Context::new();
    ctx.insert("base", base);
    ctx.insert("urls", &urls);
    ctx.insert("updated", &updated);
    ctx.insert("entries", &entries);
    ctx.insert("language", &cfg.language);
    ctx.insert("title", &cfg.title);
    let render = |name: &str| -> Result<OutFile, Diagnostic> {
        let text = cx
            .theme
            .tera
            .render(name, &ctx)
            .map_err(|e| template_error(&e, &cx.theme.origins))?;
        Ok(OutFile {
            path: name.to_string(),
            bytes: text.into_bytes().into(),
        })
    };
    Ok(vec![render("sitemap.xml")?, render("atom.xml")?])
}
