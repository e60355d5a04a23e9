//! Small view values shared by page contexts: links to entities and to source lines.

use crate::content::source_ref::SourceRef;
use crate::content::{Corpus, Kind};
use crate::resolve::{page_path, Graph};
use serde::Serialize;
use std::collections::HashMap;

/// A link to an entity's page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntityLink {
    pub title: String,
    pub url: String,
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
}

/// A link to lines of a seed document's source page.
#[derive(Debug, Clone, Serialize)]
pub struct SourceLink {
    pub url: String,
    pub label: String,
    pub document: String,
    pub file: String,
}

/// Looks up titles and URLs of entities and documents.
pub struct Links<'a> {
    pub graph: &'a Graph,
    /// seed file → (document slug, title)
    pub seed_docs: HashMap<&'a str, (&'a str, &'a str)>,
}

impl<'a> Links<'a> {
    pub fn new(corpus: &'a Corpus, graph: &'a Graph) -> Links<'a> {
        let seed_docs = corpus
            .documents
            .iter()
            .map(|d| {
                (
                    d.data.file.as_str(),
                    (d.slug.as_str(), d.data.title.as_str()),
                )
            })
            .collect();
        Links { graph, seed_docs }
    }

    pub fn entity(&self, kind: Kind, id: &str, root: &str) -> Option<EntityLink> {
        let (title, slug) = self.graph.titles.get(&(kind, id.to_string()))?;
        Some(EntityLink {
            title: title.clone(),
            url: format!("{root}{}", page_path(kind, slug)),
            id: id.to_string(),
            kind: kind.name(),
            kind_label: kind.label(),
        })
    }

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
        let (url, document) = match self.seed_docs.get(r.file.as_str()) {
            Some((slug, title)) => (
                format!(
                    "{root}{}#{}",
                    page_path(Kind::Document, slug),
                    range_anchor(r)
                ),
                title.to_string(),
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

/// The anchor id of a reference on the source page.
pub fn range_anchor(r: &SourceRef) -> String {
    if r.first == r.last {
        format!("L{}", r.first)
    } else {
        format!("L{}-L{}", r.first, r.last)
    }
}
