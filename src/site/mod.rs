//! The resolved site: the corpus with every reference, backlink, glossary occurrence and
//! source citation known, and every body rendered. It is made once by the resolve stage and
//! only read afterwards: `check`, `stats` and the render stage share it.

pub mod graph;

use crate::content::source_ref::SourceRef;
use crate::content::Entry;
use crate::markdown::Body;
use crate::registry::{AnyEntry, Corpus, Kind, Stored};
use graph::{Graph, NodeId};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Output path of an entity's page, relative to the output root.
pub fn page_path(kind: Kind, slug: &str) -> String {
    format!("{}/{}/index.html", kind.folder(), slug)
}

/// The resolved site.
pub struct Site<'c> {
    pub corpus: &'c Corpus,
    /// Every entry, by node.
    pub entries: Vec<&'c dyn AnyEntry>,
    pub graph: Graph,
    /// Every entry's rendered body, by node (empty for TOML data files).
    pub bodies: Vec<Arc<Body>>,
    /// Seed file → every line range cited by some entity.
    pub citations: BTreeMap<String, BTreeSet<(usize, usize)>>,
    /// The glossary linker's fingerprint (what a body's glossary links depend on).
    pub glossary_fingerprint: u64,
    /// By node: the relations that point at it, as (the entity that states it, its index in
    /// that entity's `relations`).
    pub relations_in: Vec<Vec<(NodeId, usize)>>,
}

impl<'c> Site<'c> {
    pub fn node(&self, kind: Kind, id: &str) -> Option<NodeId> {
        self.graph.node(kind, id)
    }

    pub fn entry(&self, n: NodeId) -> &'c dyn AnyEntry {
        self.entries[n.index()]
    }

    pub fn body(&self, n: NodeId) -> &Body {
        &self.bodies[n.index()]
    }

    /// The body of `kind`/`id` (empty when there is no such entity).
    pub fn body_of(&self, kind: Kind, id: &str) -> Option<&Body> {
        self.node(kind, id).map(|n| self.body(n))
    }

    /// The typed entry of kind `T` with id `id`.
    pub fn get<T: Stored>(&self, id: &str) -> Option<&'c Entry<T>> {
        let n = self.node(T::KIND, id)?;
        let first = self.node_range(T::KIND).start;
        T::entries(self.corpus).get(n.index() - first)
    }

    /// The nodes of one kind: a contiguous range, in id order.
    pub fn node_range(&self, kind: Kind) -> std::ops::Range<usize> {
        let start: usize = Kind::ALL
            .iter()
            .take_while(|k| **k != kind)
            .map(|k| self.corpus.count(*k))
            .sum();
        start..start + self.corpus.count(kind)
    }

    /// Nodes that refer to `n`, grouped by kind, each group in node order.
    pub fn backlinks(&self, n: NodeId) -> BTreeMap<Kind, Vec<NodeId>> {
        let mut out: BTreeMap<Kind, Vec<NodeId>> = BTreeMap::new();
        for m in self.graph.incoming(n) {
            out.entry(self.entry(*m).kind()).or_default().push(*m);
        }
        out
    }

    /// The relations an entity states, with the node each points at (dangling ones left out).
    pub fn relations_out(
        &self,
        n: NodeId,
    ) -> Vec<(NodeId, &'c crate::content::relation::Relation)> {
        self.entry(n)
            .relations()
            .iter()
            .filter_map(|r| {
                let (kind, id) = r.target().ok()?;
                Some((self.node(kind, id)?, r))
            })
            .collect()
    }

    /// The document whose seed is `file`.
    pub fn document_of(&self, file: &str) -> Option<&'c Entry<crate::content::Document>> {
        self.corpus.documents.iter().find(|d| d.data.file == file)
    }

    /// Every source reference of every entity (sources, budget lines, figures, ...).
    pub fn all_citations(&self) -> impl Iterator<Item = (NodeId, SourceRef)> + '_ {
        self.entries.iter().enumerate().flat_map(|(i, e)| {
            e.citations()
                .into_iter()
                .map(move |c| (NodeId(i as u32), c.source.clone()))
        })
    }
}
