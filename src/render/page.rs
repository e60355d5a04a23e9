//! One page: its path, template, title, breadcrumbs and typed data, then the whole page as the
//! template makes it from those and what every page shares (site, root, breadcrumbs).

use super::context::{Cx, ENTITY_ROOT};
use super::theme::template_error;
use super::views::View;
use crate::content::Entry;
use crate::diag::Diagnostic;
use crate::output::OutFile;
use crate::site::page_path;
use serde::Serialize;

/// A breadcrumb: title and path from the output root (none for the current page's group).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Crumb {
    pub title: String,
    pub path: Option<String>,
}

impl Crumb {
    pub fn new(title: impl Into<String>, path: impl Into<String>) -> Crumb {
        Crumb {
            title: title.into(),
            path: Some(path.into()),
        }
    }
}

/// A page ready for its template.
pub struct Page {
    /// Output path from the root (`policies/x/index.html`).
    pub path: String,
    pub template: &'static str,
    pub title: String,
    /// For `<meta name="description">`; the site's description when empty.
    pub description: String,
    pub crumbs: Vec<Crumb>,
    /// The template's data, from a typed view.
    pub data: tera::Context,
}

impl Page {
    pub fn new<D: Serialize>(
        path: impl Into<String>,
        template: &'static str,
        title: impl Into<String>,
        data: &D,
    ) -> Result<Page, Diagnostic> {
        let data = tera::Context::from_serialize(data)
            .map_err(|e| Diagnostic::error("E041", template, format!("page data: {e}")))?;
        Ok(Page {
            path: path.into(),
            template,
            title: title.into(),
            description: String::new(),
            crumbs: Vec::new(),
            data,
        })
    }

    pub fn description(mut self, d: impl Into<String>) -> Page {
        self.description = d.into();
        self
    }

    pub fn crumbs(mut self, c: Vec<Crumb>) -> Page {
        self.crumbs = c;
        self
    }
}

/// The page of one entity, from its kind's view.
pub fn entity_page<T: View>(e: &Entry<T>, cx: &Cx<'_>) -> Result<Page, Diagnostic> {
    let v = T::view(e, cx, ENTITY_ROOT);
    let description = T::description(e, cx);
    let crumbs = T::crumbs(e, cx);
    let mut page = Page::new(
        page_path(T::KIND, &e.slug),
        T::SPEC.template,
        e.data.display_title(),
        &v,
    )?
    .description(description)
    .crumbs(crumbs);
    // What every entity page shows besides its view: its relations to other layers.
    let n = cx.site.node(T::KIND, &e.id);
    let relations = n.map(|n| super::relations::relations(cx, n, ENTITY_ROOT));
    page.data
        .insert("relations", &relations.unwrap_or_default());
    Ok(page)
}

/// Root prefix of a page at `path` (`policies/x/index.html` → `../../`).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[derive(Serialize)]
struct SiteMeta<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<String>,
    offline_archive: bool,
}

#[derive(Serialize)]
struct PageMeta<'a> {
    title: &'a str,
    path: &'a str,
    description: &'a str,
    canonical: Option<String>,
    section: &'a str,
}

#[derive(Serialize)]
struct CrumbLink<'a> {
    title: &'a str,
    url: Option<String>,
}

/// Renders a page with its template. The 404 page takes absolute links when the site has a
/// public address (a server shows it at any depth); every other link is relative.
pub fn finish(page: Page, cx: &Cx<'_>) -> Result<OutFile, Diagnostic> {
    let cfg = &cx.site.corpus.config;
    let root = match (page.path.as_str(), cfg.base_url()) {
        ("404.html", Some(base)) => base,
        _ => root_of(&page.path),
    };
    let top = cx.t("page.top");
    let mut crumbs = vec![CrumbLink {
        title: top,
        url: Some(format!("{root}index.html")),
    }];
    crumbs.extend(page.crumbs.iter().map(|c| CrumbLink {
        title: &c.title,
        url: c.path.as_ref().map(|p| format!("{root}{p}")),
    }));
    let description = if page.description.is_empty() {
        cfg.description.as_str()
    } else {
        page.description.as_str()
    };
    // The page's own data, moved in (not copied); what every page shares goes over it.
    let mut ctx = tera::Context::new();
    ctx.extend(page.data);
    ctx.insert(
        "site",
        &SiteMeta {
            title: &cfg.title,
            description: &cfg.description,
            language: &cfg.language,
            base_url: cfg.base_url(),
            offline_archive: cfg.offline_archive && !cx.opts.live_reload,
        },
    );
    ctx.insert("root", &root);
    ctx.insert(
        "page",
        &PageMeta {
            title: &page.title,
            path: &page.path,
            description,
            canonical: cfg
                .base_url()
                .map(|b| format!("{b}{}", page.path.trim_end_matches("index.html"))),
            section: page.path.split('/').next().unwrap_or(""),
        },
    );
    ctx.insert("breadcrumbs", &crumbs);
    ctx.insert("live_reload", &cx.opts.live_reload);
    ctx.insert("t", cx.strings);
    let html = cx
        .theme
        .tera
        .render(page.template, &ctx)
        .map_err(|e| template_error(&e, &cx.theme.origins))?;
    Ok(OutFile {
        path: page.path,
        bytes: html.into_bytes().into(),
    })
}
