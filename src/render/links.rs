//! Links as templates show them: to an entity's page and to lines of a seed document.

use crate::content::source_ref::SourceRef;
use crate::registry::Kind;
use crate::site::graph::NodeId;
use crate::site::{page_path, Site};
use serde::Serialize;

/// A link to an entity's page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntityLink {
    pub title: String,
    /// The title as HTML, as `{{ title | wbr | safe }}` shows it (phrase breaks, dates marked):
    /// made once per entity, not at every link.
    pub title_html: String,
    pub url: String,
    pub id: String,
    pub kind: &'static str,
    pub kind_label: String,
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

/// Makes links from the site model.
pub struct Links<'s, 'c> {
    pub site: &'s Site<'c>,
    pub strings: &'s crate::render::strings::Strings,
    /// Each entity's [`EntityLink::title_html`], by node.
    pub titles_html: Vec<String>,
}

/// Every entity's title as HTML, by node (made in parallel).
pub fn titles_html(site: &Site<'_>) -> Vec<String> {
    use rayon::prelude::*;
    (0..site.graph.len())
        .into_par_iter()
        .map(|i| crate::render::theme::broken_escaped(site.entry(NodeId(i as u32)).title()))
        .collect()
}

impl Links<'_, '_> {
    pub fn node(&self, n: NodeId, root: &str) -> EntityLink {
        let e = self.site.entry(n);
        let kind = e.kind();
        EntityLink {
            title: e.title().to_string(),
            title_html: self.titles_html[n.index()].clone(),
            url: page_url(root, kind, e.slug()),
            id: e.id().to_string(),
            kind: kind.name(),
            kind_label: self
                .strings
                .lookup("kind", kind.name())
                .map_or_else(|| kind.label_key(), str::to_string),
        }
    }

    pub fn entity(&self, kind: Kind, id: &str, root: &str) -> Option<EntityLink> {
        self.site.node(kind, id).map(|n| self.node(n, root))
    }

    /// Links to those of `ids` that exist, in the order given.
    pub fn entities<'b>(
        &self,
        kind: Kind,
        ids: impl IntoIterator<Item = &'b String>,
        root: &str,
    ) -> Vec<EntityLink> {
        ids.into_iter()
            .filter_map(|id| self.entity(kind, id, root))
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
