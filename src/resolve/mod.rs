//! The resolve stage: from the loaded corpus to the [`Site`] model. Every reference, relation
//! and citation is checked and becomes an edge; every body is rendered with its glossary
//! links (which become edges too); the graph is then complete and never changes again.

pub mod bodies;
pub mod links;
pub mod references;

use crate::diag::Diagnostic;
use crate::registry::Corpus;
use crate::site::graph::{Graph, NodeId};
use crate::site::Site;
use bodies::BodyCache;
use references::CheckCache;

/// What resolving keeps between builds in watch mode.
#[derive(Default)]
pub struct ResolveCache {
    pub bodies: BodyCache,
    pub checks: CheckCache,
}
use rayon::prelude::*;
use references::{Checked, Checker};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use links::suggestions;

/// Counts from resolving, for the build summary.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ResolveStats {
    pub autolinks: usize,
    pub backlinks: usize,
    /// Bodies reused from the previous build (watch mode).
    pub bodies_reused: usize,
    pub markdown_ms: f64,
}

/// Resolves the corpus into the site model. Diagnostics are returned alongside; the site is
/// complete only when none of them is an error.
pub fn resolve<'c>(
    corpus: &'c Corpus,
    cache: Option<&ResolveCache>,
) -> (Site<'c>, Vec<Diagnostic>, ResolveStats) {
    let entries = corpus.all();
    let mut graph = Graph::new(&entries);
    // Entries are checked in parallel; their edges are added in entry order.
    let checker = Checker::new(corpus, &graph);
    let checked: Vec<Arc<Checked>> = match cache {
        Some(c) => c.checks.check_all(&checker, &entries),
        None => entries
            .par_iter()
            .map(|e| Arc::new(checker.entry(*e)))
            .collect(),
    };
    let mut diags = Vec::new();
    let mut more = checker.document_files();
    more.extend(checker.glossary_forms());
    for (i, c) in checked.iter().enumerate() {
        for to in &c.edges {
            graph.add_edge(NodeId(i as u32), *to);
        }
        diags.extend(c.diags.iter().cloned());
    }
    diags.extend(more);

    let t = std::time::Instant::now();
    let linker = bodies::linker(corpus);
    // The bodies (and the terms each links to) and the tables read from the front matter are
    // made side by side; both only read the graph.
    let ((rendered, body_diags, reused, markdown_ms, terms), (citations, relations_in, updated)) =
        rayon::join(
            || {
                let (rendered, body_diags, reused) =
                    bodies::render_all(corpus, &entries, &graph, &linker, cache.map(|c| &c.bodies));
                let markdown_ms = t.elapsed().as_secs_f64() * 1e3;
                let terms: Vec<Vec<NodeId>> = rendered
                    .par_iter()
                    .map(|b| {
                        b.terms
                            .iter()
                            .filter_map(|term| graph.node(crate::registry::Kind::Term, term))
                            .collect()
                    })
                    .collect();
                (rendered, body_diags, reused, markdown_ms, terms)
            },
            || front_tables(corpus, &entries, &graph),
        );
    diags.extend(body_diags);
    let mut stats = ResolveStats {
        bodies_reused: reused,
        markdown_ms,
        ..Default::default()
    };
    // Glossary occurrences are edges from the entity to the term.
    for (i, (body, terms)) in rendered.iter().zip(terms).enumerate() {
        stats.autolinks += body.autolinks;
        for to in terms {
            graph.add_edge(NodeId(i as u32), to);
        }
    }
    graph.finish();
    stats.backlinks = graph.backlink_count();
    let site = Site {
        corpus,
        entries,
        graph,
        bodies: rendered,
        citations,
        glossary_fingerprint: linker.fingerprint(),
        relations_in,
        updated,
    };
    (site, diags, stats)
}

/// Seed lines cited per seed file.
type Citations<'c> = BTreeMap<&'c str, BTreeSet<(usize, usize)>>;

/// Per entity, the relations pointing at it: from whom, and which of their relations.
type RelationsIn = Vec<Vec<(NodeId, usize)>>;

/// What the front matter gives besides edges: the lines cited in each seed, the relations
/// pointing at each entity, and when each was revised.
fn front_tables<'c>(
    corpus: &'c Corpus,
    entries: &[&'c dyn crate::registry::AnyEntry],
    graph: &Graph,
) -> (
    Citations<'c>,
    RelationsIn,
    Vec<Option<crate::format::date::JpDate>>,
) {
    let mut citations: Citations<'c> = BTreeMap::new();
    for e in entries {
        for c in e.citations() {
            citations
                .entry(c.source.file.as_str())
                .or_default()
                .insert((c.source.first, c.source.last));
        }
    }
    let mut relations_in = vec![Vec::new(); entries.len()];
    for (i, e) in entries.iter().enumerate() {
        for (k, r) in e.relations().iter().enumerate() {
            let target = r.target().ok().and_then(|(kind, id)| graph.node(kind, id));
            if let Some(t) = target {
                relations_in[t.index()].push((NodeId(i as u32), k));
            }
        }
    }
    // The `updated` field wins; else the last commit of the file (read in the load stage).
    let updated = entries
        .iter()
        .map(|e| {
            e.updated()
                .and_then(|w| crate::format::date::JpDate::parse(w).ok())
                .or_else(|| corpus.history.last_commit(e.path()))
        })
        .collect();
    (citations, relations_in, updated)
}
