//! Every Markdown body rendered once, in parallel, with the glossary linked into it: the
//! glossary occurrences become edges of the graph before any page is made.

use crate::diag::Diagnostic;
use crate::format::hash::fx;
use crate::markdown::glossary::{Linker, TermInfo};
use crate::markdown::{self, Body, BodyContext, LinkTargets};
use crate::registry::{AnyEntry, Corpus, Kind};
use crate::site::graph::{Graph, NodeId};
use crate::site::page_path;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

/// Bodies of the previous build, keyed by everything a body is made from (watch mode).
#[derive(Default)]
pub struct BodyCache {
    bodies: Mutex<FxHashMap<BodyKey, (u64, Made)>>,
}

/// A body and the nodes of the glossary terms it links (valid while the nodes are numbered
/// the same: the cache key holds every entry's kind, id and slug, in node order).
type Made = (Arc<Body>, Arc<[NodeId]>);

/// A body's entity: kind and id.
type BodyKey = (Kind, String);

impl BodyCache {
    fn get(&self, key: &BodyKey, hash: u64) -> Option<Made> {
        let m = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        m.get(key)
            .filter(|(h, _)| *h == hash)
            .map(|(_, b)| b.clone())
    }

    fn put(&self, key: BodyKey, hash: u64, body: Made) {
        self.bodies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (hash, body));
    }
}

/// The glossary linker of the site's terms (none when autolinking is off).
pub fn linker(corpus: &Corpus) -> Linker {
    let infos = corpus
        .terms
        .iter()
        .filter(|t| t.data.autolink && corpus.config.glossary.autolink)
        .map(|t| TermInfo {
            id: t.id.clone(),
            path: page_path(Kind::Term, &t.slug),
            tooltip: t.data.tooltip(),
            forms: t.data.forms().cloned().collect(),
        })
        .collect();
    Linker::new(infos)
}

/// Link targets from the graph and the entries' slugs.
struct Targets<'a> {
    graph: &'a Graph,
    entries: &'a [&'a dyn AnyEntry],
}

impl LinkTargets for Targets<'_> {
    fn page_path(&self, kind: Kind, id: &str) -> Option<String> {
        let n = self.graph.node(kind, id)?;
        Some(page_path(kind, self.entries[n.index()].slug()))
    }
}

/// Every body, by node, and what rendering them found.
pub struct Rendered {
    pub bodies: Vec<Arc<Body>>,
    /// Per node, the glossary terms its body links to.
    pub terms: Vec<Arc<[NodeId]>>,
    /// The problems found (script URLs).
    pub diags: Vec<Diagnostic>,
    /// Bodies taken from the cache.
    pub reused: usize,
}

/// Renders every body.
pub fn render_all(
    corpus: &Corpus,
    entries: &[&dyn AnyEntry],
    graph: &Graph,
    linker: &Linker,
    cache: Option<&BodyCache>,
) -> Rendered {
    let cfg = &corpus.config;
    let targets = Targets { graph, entries };
    // A body depends on its text, the glossary, the pages it may link to and options.
    let context = cache.map(|_| {
        let slugs: Vec<(Kind, &str, &str)> = entries
            .iter()
            .map(|e| (e.kind(), e.id(), e.slug()))
            .collect();
        fx(&(
            linker.fingerprint(),
            slugs,
            cfg.trust_html,
            cfg.glossary.first_only,
        ))
    });
    let reused = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(Made, Vec<Diagnostic>)> = entries
        .par_iter()
        .map(|e| {
            if e.body().is_empty() {
                return ((Arc::new(Body::default()), Arc::from([])), Vec::new());
            }
            let key = (e.kind(), e.id().to_string());
            let hash = context.map(|c| fx(&(c, &key, e.fingerprint().text, e.body_line())));
            if let (Some(cache), Some(h)) = (cache, hash) {
                if let Some(b) = cache.get(&key, h) {
                    reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    return (b, Vec::new());
                }
            }
            let own_term = (e.kind() == Kind::Term)
                .then(|| linker.index_of(e.id()))
                .flatten();
            let cx = BodyContext {
                targets: &targets,
                root: "../../",
                trust_html: cfg.trust_html,
                file: e.path(),
                first_line: e.body_line(),
                glossary: Some(linker),
                own_term,
                first_only: cfg.glossary.first_only,
            };
            let mut diags = Vec::new();
            let body = markdown::render(e.body(), &cx, &mut diags);
            let terms = body
                .terms
                .iter()
                .filter_map(|term| graph.node(Kind::Term, term))
                .collect();
            let made = (Arc::new(body), terms);
            if let (Some(cache), Some(h)) = (cache, hash) {
                if diags.is_empty() {
                    cache.put(key, h, made.clone());
                }
            }
            (made, diags)
        })
        .collect();
    let mut out = Rendered {
        bodies: Vec::with_capacity(results.len()),
        terms: Vec::with_capacity(results.len()),
        diags: Vec::new(),
        reused: reused.into_inner(),
    };
    for ((b, t), d) in results {
        out.bodies.push(b);
        out.terms.push(t);
        out.diags.extend(d);
    }
    out
}
