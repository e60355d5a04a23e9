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
use rayon::prelude::*;
use references::{CheckCache, Checked, Checker};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use links::suggestions;

/// What resolving keeps between builds in watch mode.
#[derive(Default)]
pub struct ResolveCache {
    pub bodies: BodyCache,
    pub checks: CheckCache,
}

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
    let t = std::time::Instant::now();
    let entries = corpus.all();
    let mut graph = Graph::new(&entries);
    let t = crate::trace::stage("  resolve: nodes", t);
    // Entries are checked in parallel; their edges are added in entry order.
    let checker = Checker::new(corpus, &graph);
    let checked: Vec<Arc<Checked>> = match cache {
        Some(c) => c.checks.check_all(&checker, &entries),
        None => entries
            .par_iter()
            .map(|e| Arc::new(checker.entry(*e)))
            .collect(),
    };
    let t = crate::trace::stage("  resolve: checks", t);
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
    let t = crate::trace::stage("  resolve: edges", t);
    let linker = bodies::linker(corpus);
    // The bodies (and the terms each links to) and the tables read from the front matter are
    // made side by side; both only read the graph.
    let ((rendered, markdown_ms), ((citations, relations_in, updated), title_rank)) = rayon::join(
        || {
            let r = bodies::render_all(corpus, &entries, &graph, &linker, cache.map(|c| &c.bodies));
            let markdown_ms = t.elapsed().as_secs_f64() * 1e3;
            (r, markdown_ms)
        },
        || {
            (
                front_tables(corpus, &entries, &graph),
                title_ranks(&entries),
            )
        },
    );
    let t = crate::trace::stage("  resolve: bodies, tables", t);
    diags.extend(rendered.diags);
    let mut stats = ResolveStats {
        bodies_reused: rendered.reused,
        markdown_ms,
        ..Default::default()
    };
    // Glossary occurrences are edges from the entity to the term.
    for (i, (body, terms)) in rendered.bodies.iter().zip(&rendered.terms).enumerate() {
        stats.autolinks += body.autolinks;
        for to in terms.iter() {
            graph.add_edge(NodeId(i as u32), *to);
        }
    }
    graph.finish();
    stats.backlinks = graph.backlink_count();
    crate::trace::stage("  resolve: term edges", t);
    let site = Site {
        corpus,
        entries,
        graph,
        bodies: rendered.bodies,
        citations,
        glossary_fingerprint: linker.fingerprint(),
        relations_in,
        updated,
        title_rank,
    };
    (site, diags, stats)
}

/// Each entry's place when every entry is sorted by title, then id (entries with both equal
/// keep their order).
fn title_ranks(entries: &[&dyn crate::registry::AnyEntry]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|a, b| {
        let (a, b) = (entries[*a], entries[*b]);
        a.title().cmp(b.title()).then(a.id().cmp(b.id()))
    });
    let mut rank = vec![0u32; entries.len()];
    for (r, n) in order.into_iter().enumerate() {
        rank[n] = r as u32;
    }
    rank
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
    // Per entry, in parallel: the lines it cites, the relations it points with, its date.
    // The `updated` field wins; else the last commit of the file (read in the load stage).
    type Front<'c> = (
        Vec<(&'c str, usize, usize)>,
        Vec<(NodeId, usize)>,
        Option<crate::format::date::JpDate>,
    );
    let per: Vec<Front<'c>> = entries
        .par_iter()
        .map(|e| {
            let cited = e
                .citations()
                .into_iter()
                .map(|c| (c.source.file.as_str(), c.source.first, c.source.last))
                .collect();
            let targets = e
                .relations()
                .iter()
                .enumerate()
                .filter_map(|(k, r)| {
                    let (kind, id) = r.target().ok()?;
                    Some((graph.node(kind, id)?, k))
                })
                .collect();
            let updated = e
                .updated()
                .and_then(|w| crate::format::date::JpDate::parse(w).ok())
                .or_else(|| corpus.history.last_commit(e.path()));
            (cited, targets, updated)
        })
        .collect();
    let mut citations: Citations<'c> = BTreeMap::new();
    let mut relations_in = vec![Vec::new(); entries.len()];
    let mut updated = Vec::with_capacity(entries.len());
    for (i, (cited, targets, date)) in per.into_iter().enumerate() {
        for (file, first, last) in cited {
            citations.entry(file).or_default().insert((first, last));
        }
        for (t, k) in targets {
            relations_in[t.index()].push((NodeId(i as u32), k));
        }
        updated.push(date);
    }
    (citations, relations_in, updated)
}
