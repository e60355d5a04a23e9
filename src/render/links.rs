//! Links as templates show them: to an entity's page and to lines of a seed document.

use crate::content::source_ref::SourceRef;
use crate::registry::Kind;
use crate::render::html::Html;
use crate::site::graph::NodeId;
use crate::site::{page_path, Site};
use serde::Serialize;
use std::sync::OnceLock;

/// What a link to a page shows.
#[derive(Debug, Clone, Serialize)]
pub struct LinkParts {
    pub title: String,
    /// The title as HTML, as `{{ title | wbr }}` shows it (phrase breaks, dates marked):
    /// made once per entity and page depth, not at every link.
    pub title_html: Html,
    pub url: String,
    pub id: String,
    pub kind: &'static str,
    pub kind_label: String,
}

/// A link to an entity's page, as the template value of its [`LinkParts`], made once: cloning
/// shares it, and a view holding the link puts it into the page's context without copying it
/// (links to one entity from pages of one depth are made once per build). Ordered by title,
/// then address.
#[derive(Clone)]
pub struct EntityLink {
    value: tera::Value,
    /// The entity linked, when the link is one [`Links`] made (the link from another depth is
    /// then [`Links`]' own, made once).
    node: Option<NodeId>,
}

impl EntityLink {
    pub fn new(parts: LinkParts) -> EntityLink {
        EntityLink {
            value: Shown {
                title: &parts.title,
                title_html: &parts.title_html,
                url: &parts.url,
                id: &parts.id,
                kind: parts.kind,
                kind_label: &parts.kind_label,
                html: anchor(&parts.url, parts.title_html.as_str()),
            }
            .value(),
            node: None,
        }
    }

    /// The part at `index` in the order of [`LinkParts`]' fields (the map keeps the order it
    /// was made in, Tera's `preserve_order`), found without hashing its name.
    fn part(&self, index: usize, name: &str) -> &str {
        self.part_value(index, name)
            .and_then(tera::Value::as_str)
            .unwrap_or_default()
    }

    /// The template value of that part.
    fn part_value(&self, index: usize, name: &str) -> Option<&tera::Value> {
        let entry = self.value.as_map().and_then(|m| m.get_index(index));
        debug_assert_eq!(entry.and_then(|(k, _)| k.as_str()), Some(name));
        entry.map(|(_, v)| v)
    }

    pub fn title(&self) -> &str {
        self.part(0, "title")
    }

    pub fn url(&self) -> &str {
        self.part(2, "url")
    }

    pub fn id(&self) -> &str {
        self.part(3, "id")
    }

    /// The same link from a page whose root is `root` (its address is from the output root).
    pub fn rooted(&self, root: &str) -> EntityLink {
        let url = format!("{root}{}", self.url());
        EntityLink {
            value: Shown {
                title: self.title(),
                title_html: self.part_value(1, "title_html"),
                url: &url,
                id: self.id(),
                kind: self.part(4, "kind"),
                kind_label: self.part(5, "kind_label"),
                html: anchor(&url, self.part(1, "title_html")),
            }
            .value(),
            node: self.node,
        }
    }

    fn key(&self) -> (&str, &str, &str) {
        (self.title(), self.url(), self.id())
    }
}

/// `<a href="{url}">{title_html}</a>`, as a template writes it with `url` escaped: what a
/// link's `html` holds, made once per link rather than at each of its uses.
fn anchor(url: &str, title_html: &str) -> Html {
    let url = crate::render::theme::escape_html(url);
    let mut a = String::with_capacity(url.len() + title_html.len() + 15);
    a.push_str("<a href=\"");
    a.push_str(&url);
    a.push_str("\">");
    a.push_str(title_html);
    a.push_str("</a>");
    Html::from(a)
}

/// A link's template value: its [`LinkParts`] in their order, then `html`, made in one map. A
/// link to an entity has its title and the title's HTML from every depth as template values
/// made once (`S`, `H`), which the map shares rather than copies; its id and kind label are
/// short strings, which templates hold in place.
#[derive(Serialize)]
struct Shown<'a, S: Serialize, H: Serialize> {
    title: S,
    title_html: H,
    url: &'a str,
    id: &'a str,
    kind: &'a str,
    kind_label: &'a str,
    html: Html,
}

impl<S: Serialize, H: Serialize> Shown<'_, S, H> {
    fn value(&self) -> tera::Value {
        tera::Value::from_serializable(self)
    }
}

/// What every link to an entity shows, from whatever depth: made once per entity.
struct LinkBase {
    title: tera::Value,
    title_html: Html,
    id: Box<str>,
    kind_label: Box<str>,
}

impl Serialize for EntityLink {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl std::fmt::Debug for EntityLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EntityLink{:?}", self.key())
    }
}

impl PartialEq for EntityLink {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for EntityLink {}

impl PartialOrd for EntityLink {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EntityLink {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// A link to lines of a seed document's source page.
#[derive(Debug, Clone, Serialize)]
pub struct SourceLink {
    pub url: String,
    pub label: String,
    pub document: String,
    pub file: String,
}

/// The anchor id of a reference on the source page.
pub fn range_anchor(r: &SourceRef) -> String {
    if r.first == r.last {
        format!("L{}", r.first)
    } else {
        format!("L{}-L{}", r.first, r.last)
    }
}

/// `root` + [`page_path`], made in one string (links are made by the ten thousand).
pub fn page_url(root: &str, kind: Kind, slug: &str) -> String {
    const INDEX: &str = "/index.html";
    let folder = kind.folder();
    let mut url = String::with_capacity(root.len() + folder.len() + 1 + slug.len() + INDEX.len());
    url.push_str(root);
    url.push_str(folder);
    url.push('/');
    url.push_str(slug);
    url.push_str(INDEX);
    url
}

/// The roots of pages at depths 0 to 3 (`kind/slug/index.html` is at depth 2): links from
/// pages with these roots are made once per entity and depth.
const ROOTS: [&str; 4] = ["", "../", "../../", "../../../"];

/// Makes links from the site model.
pub struct Links<'s, 'c> {
    pub site: &'s Site<'c>,
    pub strings: &'s crate::render::strings::Strings,
    /// Links made so far, by root (of [`ROOTS`]) and node.
    made: [Vec<OnceLock<EntityLink>>; ROOTS.len()],
    /// What links to each node show from every depth.
    bases: Box<[OnceLock<LinkBase>]>,
}

impl<'s, 'c> Links<'s, 'c> {
    pub fn new(site: &'s Site<'c>, strings: &'s crate::render::strings::Strings) -> Self {
        let nodes = site.graph.len();
        Links {
            site,
            strings,
            made: std::array::from_fn(|_| (0..nodes).map(|_| OnceLock::new()).collect()),
            bases: (0..nodes).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The link to node `n` from a page whose root is `root`.
    pub fn node(&self, n: NodeId, root: &str) -> EntityLink {
        match ROOTS.iter().position(|r| *r == root) {
            Some(depth) => self.made[depth][n.index()]
                .get_or_init(|| self.make(n, root))
                .clone(),
            None => self.make(n, root),
        }
    }

    fn make(&self, n: NodeId, root: &str) -> EntityLink {
        let e = self.site.entry(n);
        let kind = e.kind();
        let base = self.bases[n.index()].get_or_init(|| LinkBase {
            title: e.title().into(),
            title_html: crate::render::theme::broken_escaped(e.title()),
            id: e.id().into(),
            kind_label: self
                .strings
                .lookup("kind", kind.name())
                .map_or_else(|| kind.label_key(), str::to_string)
                .into(),
        });
        let url = page_url(root, kind, e.slug());
        EntityLink {
            value: Shown {
                title: &base.title,
                title_html: &base.title_html,
                url: &url,
                id: &base.id,
                kind: kind.name(),
                kind_label: &base.kind_label,
                html: anchor(&url, base.title_html.as_str()),
            }
            .value(),
            node: Some(n),
        }
    }

    /// The link `l` (made from the output root) from a page whose root is `root`: the one made
    /// for that depth when `l` links an entity.
    pub fn rooted(&self, l: &EntityLink, root: &str) -> EntityLink {
        match l.node {
            Some(n) => self.node(n, root),
            None => l.rooted(root),
        }
    }

    pub fn entity(&self, kind: Kind, id: &str, root: &str) -> Option<EntityLink> {
        self.site.node(kind, id).map(|n| self.node(n, root))
    }

    /// Links to those of `ids` that exist, in the order given.
    pub fn entities<'b>(
        &self,
        kind: Kind,
        ids: impl IntoIterator<Item = &'b (impl AsRef<str> + ?Sized + 'b)>,
        root: &str,
    ) -> Vec<EntityLink> {
        ids.into_iter()
            .filter_map(|id| self.entity(kind, id.as_ref(), root))
            .collect()
    }

    /// Link to `#L12` (one line) or `#L12-L20` (a range anchor on the source page).
    pub fn source(&self, r: &SourceRef, root: &str) -> SourceLink {
        let (url, document) = match self.site.document_of(&r.file) {
            Some(d) => (
                format!(
                    "{root}{}#{}",
                    page_path(Kind::Document, &d.slug),
                    range_anchor(r)
                ),
                d.data.title.clone(),
            ),
            None => (String::new(), r.file.clone()),
        };
        SourceLink {
            url,
            label: r.label(),
            document,
            file: r.file.clone(),
        }
    }

    pub fn sources(&self, refs: &[SourceRef], root: &str) -> Vec<SourceLink> {
        refs.iter().map(|r| self.source(r, root)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(title: &str, url: &str) -> LinkParts {
        LinkParts {
            title: title.into(),
            title_html: Html::from(format!("<b>{title}</b>")),
            url: url.into(),
            id: "p-1".into(),
            kind: "policy",
            kind_label: "施策".into(),
        }
    }

    #[test]
    fn a_link_reads_its_parts_and_shows_them_all_to_templates() {
        let l = EntityLink::new(parts("施策A", "policies/p-1/index.html"));
        assert_eq!(
            (l.title(), l.url(), l.id()),
            ("施策A", "policies/p-1/index.html", "p-1")
        );
        // Its parts, then the anchor made of them.
        let shown = |l: &EntityLink, url: &str| {
            let mut want = tera::Value::from_serializable(&parts("施策A", url))
                .into_map()
                .unwrap();
            let html = format!("<a href=\"{url}\"><b>施策A</b></a>");
            want.insert("html".into(), tera::Value::safe_string(&html));
            assert_eq!(
                tera::Value::from_serializable(l).to_string(),
                tera::Value::from(want).to_string()
            );
        };
        shown(&l, "policies/p-1/index.html");
        // From a page two folders down: only the address changes.
        let r = l.rooted("../../");
        assert_eq!(r.url(), "../../policies/p-1/index.html");
        shown(&r, "../../policies/p-1/index.html");
        // Ordered by title, then address.
        let b = EntityLink::new(parts("施策B", "a.html"));
        let mut v = vec![b.clone(), r.clone(), l.clone()];
        v.sort();
        assert_eq!(v, [r, l, b]);
    }

    #[test]
    fn a_links_html_is_what_a_template_makes_of_its_address_and_title() {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_template(
            "t.html",
            "<a href=\"{{ l.url }}\">{{ l.title_html }}</a>|{{ l.html }}",
        )
        .unwrap();
        for (title, url) in [
            ("施策A", "policies/p-1/index.html"),
            ("A&B <x>", "a/b?x=1&y=\"2\"'/index.html"),
            ("", ""),
        ] {
            for l in [
                EntityLink::new(parts(title, url)),
                EntityLink::new(parts(title, url)).rooted("../"),
            ] {
                let mut ctx = tera::Context::new();
                ctx.insert("l", &l);
                let out = tera.render("t.html", &ctx).unwrap();
                let (by_parts, html) = out.split_once('|').unwrap();
                assert_eq!(html, by_parts, "{title} {url}");
            }
        }
    }

    #[test]
    fn page_urls_are_the_root_and_the_page_path() {
        for kind in Kind::ALL {
            for root in ["", "../../", "https://example.org/"] {
                assert_eq!(
                    page_url(root, kind, "a-b"),
                    format!("{root}{}", page_path(kind, "a-b"))
                );
            }
        }
    }
}
