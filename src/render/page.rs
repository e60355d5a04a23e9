//! One page: its path, template, title, breadcrumbs and typed data, then the whole page as the
//! template makes it from those and what every page shares (site, root, breadcrumbs).

use super::context::{Cx, ENTITY_ROOT};
use super::theme::template_error;
use super::views::View;
use crate::content::Entry;
use crate::diag::Diagnostic;
use crate::format::date::JpDate;
use crate::markdown::Heading;
use crate::output::OutFile;
use crate::site::page_path;
use serde::Serialize;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

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
    /// The template's data, from a typed view (added to with [`Page::insert`]).
    data: tera::Context,
    /// The names in `data`, sorted (what [`Page::data_text`] reads).
    names: Vec<Cow<'static, str>>,
    /// When the page was last revised (an entity's date; a list's newest entry's).
    pub updated: Option<JpDate>,
    /// An entity page's source file (from the site root) and the line of its title.
    pub source: Option<(PathBuf, usize)>,
    /// A table of contents of the page's body (3 or more headings).
    pub toc: Vec<TocItem>,
    /// A list split into numbered pages: where this one stands.
    pub pager: Option<super::pager::Pager>,
}

/// An entry of a table of contents: an in-page link and the entries under it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct TocItem {
    pub id: String,
    pub text: String,
    pub children: Vec<TocItem>,
}

/// The fewest headings a body needs for a table of contents.
pub const TOC_MIN_HEADINGS: usize = 3;

/// The table of contents of a body's headings (none below [`TOC_MIN_HEADINGS`]): each heading
/// under the last one of a higher level before it.
pub fn toc(headings: &[Heading]) -> Vec<TocItem> {
    if headings.len() < TOC_MIN_HEADINGS {
        return Vec::new();
    }
    fn build(hs: &[Heading]) -> Vec<TocItem> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < hs.len() {
            let level = hs[i].level;
            let end = hs[i + 1..]
                .iter()
                .position(|h| h.level <= level)
                .map_or(hs.len(), |j| i + 1 + j);
            out.push(TocItem {
                id: hs[i].id.clone(),
                text: hs[i].text.clone(),
                children: build(&hs[i + 1..end]),
            });
            i = end;
        }
        out
    }
    build(headings)
}

impl Page {
    pub fn new<D: Serialize>(
        path: impl Into<String>,
        template: &'static str,
        title: impl Into<String>,
        data: &D,
    ) -> Result<Page, Diagnostic> {
        let fail = |e: String| Diagnostic::error("E041", template, format!("page data: {e}"));
        let value = tera::Value::try_from_serializable(data).map_err(|e| fail(e.to_string()))?;
        let kind = value.name();
        let map = value
            .into_map()
            .ok_or_else(|| fail(format!("a view makes a {kind}, not a map of names")))?;
        let mut ctx = tera::Context::new();
        let mut names = Vec::with_capacity(map.len());
        for (k, v) in map {
            // A view's fields are named by its struct (no copy); a map's keys are copied.
            let name: Cow<'static, str> = match k {
                tera::value::Key::Str(s) => Cow::Borrowed(s),
                k => Cow::Owned(k.as_str().unwrap_or_default().to_string()),
            };
            names.push(name.clone());
            ctx.insert_value(name, v);
        }
        names.sort_unstable();
        Ok(Page {
            path: path.into(),
            template,
            title: title.into(),
            description: String::new(),
            crumbs: Vec::new(),
            data: ctx,
            names,
            updated: None,
            source: None,
            toc: Vec::new(),
            pager: None,
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

    pub fn updated(mut self, d: Option<JpDate>) -> Page {
        self.updated = d;
        self
    }

    /// Adds `value` to the template's data as `name`.
    pub fn insert<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Err(at) = self.names.binary_search_by(|n| (**n).cmp(name)) {
            self.names.insert(at, Cow::Borrowed(name));
        }
        self.data.insert(name, value);
    }

    /// The template's data as text, the same for the same data (names sorted; maps keep the
    /// order they were made in, Tera's `preserve_order`): what a list page's signature hashes.
    pub fn data_text(&self) -> String {
        let mut out = String::new();
        for n in &self.names {
            if let Some(v) = self.data.get(n.as_ref()) {
                out.push_str(n);
                out.push('=');
                out.push_str(&v.to_string());
                out.push('\n');
            }
        }
        out
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
    page.insert("relations", &relations.unwrap_or_default());
    // ... when it was revised, where its source is, and its outline.
    if let Some(n) = n {
        page.updated = cx.site.updated(n);
        page.toc = toc(&cx.site.body(n).headings);
    }
    let line = e
        .title_at
        .map_or(1, |at| crate::diag::line_col(&e.text, at).0);
    page.source = Some((e.path.clone(), line));
    Ok(page)
}

/// Root prefix of a page at `path` (`policies/x/index.html` → `../../`).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[derive(Serialize)]
struct PageMeta<'a> {
    title: &'a str,
    path: &'a str,
    description: &'a str,
    canonical: Option<String>,
    section: &'a str,
    /// 更新日, as `<time datetime="{iso}">{display}</time>`.
    updated: Option<DateMeta>,
    /// 「このページを編集」: the page's source at `edit_url`.
    edit_url: Option<String>,
    /// 「ソースを開く」 (watch mode only): the source file at its title's line.
    open_url: Option<String>,
    /// The source file and line the open link goes to, as shown beside it.
    source: Option<String>,
    toc: &'a [TocItem],
    pager: Option<&'a super::pager::Pager>,
}

#[derive(Serialize)]
struct DateMeta {
    iso: String,
    display: String,
}

/// Characters escaped in a path put into a URL pattern (`/` is kept).
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'+')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\');

fn url_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    percent_encoding::utf8_percent_encode(&s, PATH_ESCAPES).to_string()
}

/// The dev server's own source view (watch mode's default `open_url`).
pub const DEFAULT_OPEN_URL: &str = "/__seisaku/open?path={path}&line={line}#L{line}";

/// `edit_url` and (watch mode only) `open_url` of a page's source.
fn source_links(cx: &Cx<'_>, source: &(PathBuf, usize)) -> (Option<String>, Option<String>) {
    let cfg = &cx.site.corpus.config;
    let (path, line) = source;
    let rel = url_path(path);
    let edit = cfg.edit_url.as_ref().map(|u| u.replace("{path}", &rel));
    let open = cx.opts.live_reload.then(|| {
        let abs = std::path::absolute(cx.site.corpus.root.join(path))
            .unwrap_or_else(|_| cx.site.corpus.root.join(path));
        cfg.open_url
            .as_deref()
            .unwrap_or(DEFAULT_OPEN_URL)
            .replace("{path}", &rel)
            .replace("{abs_path}", &url_path(&abs))
            .replace("{line}", &line.to_string())
    });
    (edit, open)
}

#[derive(Serialize)]
struct CrumbLink<'a> {
    title: &'a str,
    url: Option<String>,
}

/// Room made for a page's HTML up front (most pages are 10–40 KB), so that it grows little.
const PAGE_CAPACITY: usize = 32 * 1024;

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
    // The page's own data (not copied); what every page has goes over it.
    let mut ctx = page.data;
    ctx.insert("root", &root);
    let (edit_url, open_url) = page
        .source
        .as_ref()
        .map_or((None, None), |s| source_links(cx, s));
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
            updated: page.updated.map(|d| DateMeta {
                iso: d.iso(),
                display: d.render(cx.date_style()),
            }),
            edit_url,
            source: open_url
                .as_ref()
                .and(page.source.as_ref())
                .map(|(p, l)| format!("{}:{l}", p.to_string_lossy().replace('\\', "/"))),
            open_url,
            toc: &page.toc,
            pager: page.pager.as_ref(),
        },
    );
    ctx.insert("breadcrumbs", &crumbs);
    // Rendered as bytes (no check that they are UTF-8 again: templates write only `str`s),
    // with `site`, `t` and `live_reload` shared by every page.
    cx.shared.add_to(&mut ctx);
    let mut html = Vec::with_capacity(PAGE_CAPACITY);
    let started = crate::trace::enabled().then(std::time::Instant::now);
    cx.theme
        .tera
        .render_to(page.template, &ctx, &mut html)
        .map_err(|e| template_error(&e, &cx.theme.origins))?;
    if let Some(t) = started {
        crate::trace::template(page.template, t.elapsed(), html.len());
    }
    // Handed on as written (no copy) when written out and dropped; in watch mode, kept
    // between builds, so held without the buffer's spare room.
    let bytes = if cx.opts.cache.is_some() {
        bytes::Bytes::copy_from_slice(&html)
    } else {
        bytes::Bytes::from(html)
    };
    Ok(OutFile {
        path: page.path,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn page_data_reads_the_same_for_the_same_data_and_must_be_a_map() {
        let data = |extra: &str| -> BTreeMap<String, BTreeMap<String, String>> {
            let inner: BTreeMap<String, String> = (0..20)
                .map(|i| (format!("k{i}"), format!("v{i}{extra}")))
                .collect();
            [("b".to_string(), inner.clone()), ("a".to_string(), inner)].into()
        };
        let text = |extra: &str| {
            let mut p = Page::new("x/index.html", "list.html", "x", &data(extra))
                .expect("a map is page data");
            p.insert("relations", &vec!["r"]);
            p.data_text()
        };
        // The same data reads the same, and a changed value shows.
        assert_eq!(text(""), text(""));
        assert_ne!(text(""), text("!"));
        let whole = text("");
        let names: Vec<&str> = whole
            .lines()
            .map(|l| l.split('=').next().unwrap_or(""))
            .collect();
        assert_eq!(names, ["a", "b", "relations"]);
        let err = Page::new("x/index.html", "list.html", "x", &vec![1, 2])
            .err()
            .expect("a list is not page data");
        assert_eq!(err.code, "E041");
    }
}
