//! The link graph: every entity a node, every reference, relation, citation and glossary
//! link an edge, with backlinks. Nodes are numbered in the corpus order (kind, then id), so
//! ordering by node is ordering by kind and id.

use crate::registry::{AnyEntry, Kind};
use rustc_hash::FxHashMap;

/// An entity of the site: its position in [`crate::registry::Corpus::all`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Nodes by kind and id, and the edges between them.
#[derive(Debug, Default, Clone)]
pub struct Graph {
    /// Per kind (in [`Kind::ALL`] order): id → node.
    by_id: Vec<FxHashMap<String, NodeId>>,
    forward: Vec<Vec<NodeId>>,
    backward: Vec<Vec<NodeId>>,
}

fn kind_slot(kind: Kind) -> usize {
    // Every kind is in the registry's list.
    Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("registered kind")
}

impl Graph {
    /// A graph with one node per entry and no edges.
    pub fn new(entries: &[&dyn AnyEntry]) -> Graph {
        let mut by_id = vec![FxHashMap::default(); Kind::ALL.len()];
        for (i, e) in entries.iter().enumerate() {
            by_id[kind_slot(e.kind())].insert(e.id().to_string(), NodeId(i as u32));
        }
        Graph {
            by_id,
            forward: vec![Vec::new(); entries.len()],
            backward: vec![Vec::new(); entries.len()],
        }
    }

    pub fn node(&self, kind: Kind, id: &str) -> Option<NodeId> {
        self.by_id[kind_slot(kind)].get(id).copied()
    }

    /// The ids of one kind (unordered).
    pub fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.by_id[kind_slot(kind)].keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.forward.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forward.is_empty()
    }

    /// Records that `from` refers to `to` (a node never refers to itself).
    pub fn add_edge(&mut self, from: NodeId, to: NodeId) {
        if from != to {
            self.forward[from.index()].push(to);
            self.backward[to.index()].push(from);
        }
    }

    /// Sorts and deduplicates every edge list; called once when the graph is complete.
    pub fn finish(&mut self) {
        for v in self.forward.iter_mut().chain(self.backward.iter_mut()) {
            v.sort_unstable();
            v.dedup();
        }
    }

    /// What `n` refers to, in node order.
    pub fn outgoing(&self, n: NodeId) -> &[NodeId] {
        &self.forward[n.index()]
    }

    /// What refers to `n`, in node order.
    pub fn incoming(&self, n: NodeId) -> &[NodeId] {
        &self.backward[n.index()]
    }

    /// Number of backlinks in the whole site.
    pub fn backlink_count(&self) -> usize {
        self.backward.iter().map(Vec::len).sum()
    }
}
