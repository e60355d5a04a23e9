//! Watch mode's memory between rebuilds: pages and search shards keyed by a signature of
//! everything they are made from, so a rebuild redoes only what changed. Equal signatures
//! give equal pages (tested: a cached rebuild equals a fresh build).

use crate::format::hash::fx;
use crate::registry::Kind;
use crate::site::graph::NodeId;
use crate::site::Site;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

/// The pages of a job and the signature they were made from.
type Cached = (u64, Arc<[Made]>);

/// A page made by a job: its file, when it was last revised, and how many source links it
/// holds (counted once, when it is made).
#[derive(Clone)]
pub struct Made {
    pub file: crate::output::OutFile,
    pub updated: Option<crate::format::date::JpDate>,
    pub source_links: usize,
}

impl Made {
    pub fn new(file: crate::output::OutFile, updated: Option<crate::format::date::JpDate>) -> Made {
        let source_links = memchr::memmem::find_iter(&file.bytes, b"class=\"src\"").count();
        Made {
            file,
            updated,
            source_links,
        }
    }
}

/// What a job's pages are kept under: an entity page by its kind and slug (its path follows
/// from them, and is not made to look it up), any other job by its name.
pub enum JobKey<'a> {
    Entity(Kind, &'a str),
    Named(&'a str),
}

/// The hash of a job's key.
pub fn job_key(key: JobKey<'_>) -> u64 {
    match key {
        JobKey::Entity(kind, slug) => fx(&(0u8, kind, slug)),
        JobKey::Named(name) => fx(&(1u8, name)),
    }
}

/// Pages and search shards of the previous build.
#[derive(Default)]
pub struct RenderCache {
    /// The pages of each job, by a hash of the job's key ([`job_key`]).
    made: Mutex<FxHashMap<u64, Cached>>,
    search: Mutex<FxHashMap<String, (u64, String)>>,
    /// Data files (a KPI's CSV and JSON), by their folder.
    data: Mutex<FxHashMap<String, (u64, Vec<crate::output::OutFile>)>>,
    /// The theme compiled by the last build, by a hash of its files.
    theme: Mutex<Option<(u64, Arc<crate::render::theme::Theme>)>>,
    /// Search tokens of documents by content hash.
    tokens: Mutex<FxHashMap<u64, crate::render::search::DocTokens>>,
    /// Set when the sources changed again: the search index being made is given up.
    interrupted: std::sync::atomic::AtomicBool,
    /// Pages reused by the last build.
    pub reused: AtomicUsize,
    /// Pages made anew by the last build.
    pub rendered: AtomicUsize,
}

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RenderCache(reused {}, rendered {})",
            self.reused.load(Relaxed),
            self.rendered.load(Relaxed)
        )
    }
}

impl RenderCache {
    /// The pages of the job `key` if they were made from the same signature.
    pub fn made(&self, key: u64, sig: u64) -> Option<Arc<[Made]>> {
        let m = self.made.lock().unwrap_or_else(|e| e.into_inner());
        let hit = m
            .get(&key)
            .filter(|(h, _)| *h == sig)
            .map(|(_, pages)| pages.clone());
        if let Some(p) = &hit {
            self.reused.fetch_add(p.len(), Relaxed);
        }
        hit
    }

    pub fn put(&self, key: u64, sig: u64, pages: &[Made]) {
        self.rendered.fetch_add(pages.len(), Relaxed);
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (sig, pages.into()));
    }

    /// The theme made from files with this hash: the last one if its files were the same,
    /// else made by `make` (and kept when it compiled).
    pub fn theme<E>(
        &self,
        key: u64,
        make: impl FnOnce() -> Result<crate::render::theme::Theme, E>,
    ) -> Result<Arc<crate::render::theme::Theme>, E> {
        let mut kept = self.theme.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, t)) = kept.as_ref().filter(|(k, _)| *k == key) {
            return Ok(t.clone());
        }
        let theme = Arc::new(make()?);
        *kept = Some((key, theme.clone()));
        Ok(theme)
    }

    /// Search index script `path`, made by `make` unless the cached one has the same hash.
    pub fn search_shard(&self, path: &str, hash: u64, make: impl FnOnce() -> String) -> String {
        kept_or_made(&self.search, path, hash, make)
    }

    /// The data files of folder `dir`, made by `make` unless the cached ones have the same
    /// hash.
    pub fn data_files(
        &self,
        dir: &str,
        hash: u64,
        make: impl FnOnce() -> Vec<crate::output::OutFile>,
    ) -> Vec<crate::output::OutFile> {
        kept_or_made(&self.data, dir, hash, make)
    }

    /// The search tokens of a document with this content hash, made by `make` unless known.
    pub fn doc_tokens(
        &self,
        hash: u64,
        make: impl FnOnce() -> crate::render::search::DocTokens,
    ) -> crate::render::search::DocTokens {
        if let Some(t) = self
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&hash)
        {
            return t.clone();
        }
        let t = make();
        let mut m = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        // Old documents' tokens are dropped now and then (they are cheap to make again).
        if m.len() > 250_000 {
            m.clear();
        }
        m.insert(hash, t.clone());
        t
    }

    /// The sources changed again (watch mode): work for the build in progress that can wait
    /// (its search index) is given up, as the next build makes it anew.
    pub fn interrupt(&self) {
        self.interrupted.store(true, Relaxed);
    }

    /// A build starts: nothing has changed since.
    pub fn clear_interrupt(&self) {
        self.interrupted.store(false, Relaxed);
    }

    pub fn is_interrupted(&self) -> bool {
        self.interrupted.load(Relaxed)
    }

    pub fn reset_counts(&self) {
        self.reused.store(0, Relaxed);
        self.rendered.store(0, Relaxed);
    }
}

/// The value kept at `key` in `map` if it was made from the same `hash`, else one made by
/// `make` (and kept). The lock is not held while `make` runs.
fn kept_or_made<V: Clone>(
    map: &Mutex<FxHashMap<String, (u64, V)>>,
    key: &str,
    hash: u64,
    make: impl FnOnce() -> V,
) -> V {
    let kept = map.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, v)) = kept.get(key).filter(|(h, _)| *h == hash) {
        return v.clone();
    }
    drop(kept);
    let v = make();
    map.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key.to_string(), (hash, v.clone()));
    v
}

/// What page signatures are made of besides each file's own hashes
/// ([`crate::content::Fingerprint`]): per node, hashes of what a backlink shows of it (title
/// and slug) and of what a source page shows of it (its cited lines); and hashes of what every
/// page and every list page share.
pub struct Signatures {
    title: Vec<u64>,
    cite: Vec<u64>,
    /// Per node, the hash of its front matter and its kind: read for every neighbour of every
    /// page, so kept side by side rather than behind each entry.
    fronts: Vec<u64>,
    kinds: Vec<Kind>,
    /// Theme, configuration, options and seeds.
    pub global: u64,
    /// Every entity's id and front matter: what list pages are made from.
    pub front: u64,
    /// Every edge of the graph (references, relations, body links, glossary occurrences).
    pub edges: u64,
}

impl Signatures {
    pub fn new(site: &Site<'_>, theme_fingerprint: u64, live_reload: bool) -> Signatures {
        use rayon::prelude::*;
        let n = site.entries.len();
        // Per entry: what a backlink shows, what a source page shows, its front matter, its
        // kind, and what a list shows of it (its date changes with a commit, not an edit).
        let per: Vec<(u64, u64, u64, Kind, u64)> = site
            .entries
            .par_iter()
            .zip(&site.updated)
            .map(|(e, d)| {
                let t = fx(&(e.title(), e.slug()));
                let mut h = FxHasher::default();
                t.hash(&mut h);
                for c in e.citations() {
                    (&c.source.file, c.source.first, c.source.last).hash(&mut h);
                }
                let f = e.fingerprint().front;
                (t, h.finish(), f, e.kind(), fx(&(e.kind(), e.id(), f, d)))
            })
            .collect();
        let (mut title, mut cite) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let (mut fronts, mut kinds) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut front = FxHasher::default();
        for (t, c, f, k, listed) in per {
            title.push(t);
            cite.push(c);
            fronts.push(f);
            kinds.push(k);
            listed.hash(&mut front);
        }
        let seeds: Vec<u64> = site.corpus.seeds.values().map(|s| s.fingerprint).collect();
        let edges: Vec<u64> = (0..n)
            .into_par_iter()
            .map(|i| fx(site.graph.outgoing(NodeId(i as u32))))
            .collect();
        Signatures {
            title,
            cite,
            fronts,
            kinds,
            global: fx(&(
                theme_fingerprint,
                serde_json::to_string(&site.corpus.config).unwrap_or_default(),
                live_reload,
                seeds,
            )),
            front: front.finish(),
            edges: fx(&edges),
        }
    }

    /// Everything an entity page is made from: its source, the front matter of the entities
    /// it links to and of those that link to it (only what the page shows of them), the KPIs
    /// of an organisation's policies, a KPI's group, its body, and what all pages share.
    pub fn page(&self, site: &Site<'_>, n: NodeId, group: &[NodeId]) -> u64 {
        let kind = self.kinds[n.index()];
        let mut h = FxHasher::default();
        let front = |k: NodeId| self.fronts[k.index()];
        (self.global, n.0, site.entry(n).fingerprint().text).hash(&mut h);
        site.body(n).fingerprint.hash(&mut h);
        site.updated(n).hash(&mut h);
        let mut part = |k: NodeId, shown: u64| (k.0, shown).hash(&mut h);
        // Views read other entities' front matter (titles, names, figures, budgets), never
        // their bodies: a body edit changes only its own page (and the graph's edges, which
        // are part of every signature through the nodes listed here).
        for k in site.graph.outgoing(n) {
            part(*k, front(*k));
        }
        for k in site.graph.incoming(n) {
            let from = self.kinds[k.index()];
            let shown = match (kind, from) {
                (Kind::Document, _) => self.cite[k.index()],
                (Kind::Term, _)
                | (Kind::Plan | Kind::Goal | Kind::Kpi | Kind::Policy, Kind::Policy) => {
                    self.title[k.index()]
                }
                _ => front(*k),
            };
            part(*k, shown);
            // An organisation's page shows the KPIs of its programmes.
            if kind == Kind::Organisation && from == Kind::Policy {
                for k2 in site.graph.outgoing(*k) {
                    part(*k2, front(*k2));
                }
            }
        }
        for sib in group {
            part(*sib, front(*sib));
        }
        h.finish()
    }
}
