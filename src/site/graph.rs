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

    /// Records that `from` refers to `to` (a node never refers to itself); the backlink is
    /// made by [`Graph::finish`].
    pub fn add_edge(&mut self, from: NodeId, to: NodeId) {
        if from != to {
            self.forward[from.index()].push(to);
        }
    }

    /// Sorts and deduplicates every edge list and makes the backlinks; called once when the
    /// graph is complete.
    pub fn finish(&mut self) {
        use rayon::prelude::*;
        self.forward.par_iter_mut().for_each(|v| {
            v.sort_unstable();
            v.dedup();
        });
        // Read in node order, each node's incoming edges come sorted and without repeats.
        let mut counts = vec![0usize; self.forward.len()];
        for to in self.forward.iter().flatten() {
            counts[to.index()] += 1;
        }
        let mut backward: Vec<Vec<NodeId>> = counts.into_iter().map(Vec::with_capacity).collect();
        for (from, tos) in self.forward.iter().enumerate() {
            for to in tos {
                backward[to.index()].push(NodeId(from as u32));
            }
        }
        self.backward = backward;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(nodes: usize, edges: &[(u32, u32)]) -> Graph {
        let mut g = Graph {
            by_id: vec![FxHashMap::default(); Kind::ALL.len()],
            forward: vec![Vec::new(); nodes],
            backward: Vec::new(),
        };
        for (a, b) in edges {
            g.add_edge(NodeId(*a), NodeId(*b));
        }
        g.finish();
        g
    }

    #[test]
    fn edges_and_backlinks_are_sorted_without_repeats_or_self_links() {
        let g = graph(4, &[(2, 0), (0, 3), (2, 0), (1, 0), (0, 1), (3, 3), (2, 1)]);
        let out = |n: u32| {
            g.outgoing(NodeId(n))
                .iter()
                .map(|k| k.0)
                .collect::<Vec<_>>()
        };
        let inc = |n: u32| {
            g.incoming(NodeId(n))
                .iter()
                .map(|k| k.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            [out(0), out(1), out(2), out(3)],
            [vec![1, 3], vec![0], vec![0, 1], vec![]]
        );
        assert_eq!(
            [inc(0), inc(1), inc(2), inc(3)],
            [vec![1, 2], vec![0, 2], vec![], vec![0]]
        );
        assert_eq!(g.backlink_count(), 5);
    }
}
