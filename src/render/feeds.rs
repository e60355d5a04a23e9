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

#[derive(Serialize)]
struct Entry {
    title: String,
    url: String,
    summary: String,
}

/// The sitemap and the feed. `pages` are the paths of every HTML page of the site.
pub fn feeds(cx: &Cx<'_>, base: &str, pages: &[&str]) -> Result<Vec<OutFile>, Diagnostic> {
    let mut urls: Vec<String> = pages
        .iter()
        .filter(|p| p.ends_with(".html") && **p != "404.html")
        .map(|p| format!("{base}{}", p.trim_end_matches("index.html")))
        .collect();
    urls.sort();
    // The feed's date is the latest document date: the output stays deterministic.
    let updated = cx
        .site
        .corpus
        .documents
        .iter()
        .filter_map(|d| d.data.date.as_deref().and_then(|s| JpDate::parse(s).ok()))
        .max()
        .map(|d| d.first_day())
        .map_or("2000-01-01".to_string(), |(y, m, d)| {
            format!("{y:04}-{m:02}-{d:02}")
        });
    let entries: Vec<Entry> = cx
        .site
        .corpus
        .policies
        .iter()
        .map(|e| Entry {
            title: e.data.title.clone(),
            url: format!(
                "{base}{}",
                page_path(Kind::Policy, &e.slug).trim_end_matches("index.html")
            ),
            summary: cx
                .site
                .body_of(Kind::Policy, &e.id)
                .map(|b| b.text.chars().take(200).collect())
                .unwrap_or_default(),
        })
        .collect();
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
