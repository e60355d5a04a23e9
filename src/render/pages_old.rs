//! Builds every page of the site from the resolved corpus.

use super::chart;
use super::glossary::{Linker, TermInfo};
use super::markdown::{self, MdContext};
use super::search::{self, SearchDoc};
use super::theme::{template_error, Theme};
use super::views::{range_anchor, EntityLink, Links};
use crate::content::kpi::{KpiKind, KpiSeries};
use crate::content::{Corpus, EntityData, Entry, Kind};
use crate::diag::Diagnostic;
use crate::format::amount::{yen_approx, yen_display};
use crate::format::date::JpDate;
use crate::format::number::{figure, percent, with_unit};
use crate::output::OutFile;
use crate::resolve::{page_path, Graph, Key};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Options that differ between `build` and `serve`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Inject the live-reload client (serve mode only).
    pub live_reload: bool,
    /// Work kept between rebuilds (serve mode).
    pub cache: Option<Arc<RenderCache>>,
}

/// A rendered page and the signature it was made from.
type CachedPage = (u64, Arc<[u8]>);

/// Bodies and pages from the previous build, each keyed by a hash of everything it was made
/// from, so a rebuild redoes only what changed.
#[derive(Default)]
pub struct RenderCache {
    bodies: Mutex<FxHashMap<Key, (u64, Arc<Body>)>>,
    pages: Mutex<FxHashMap<String, CachedPage>>,
    search: Mutex<FxHashMap<usize, (u64, String)>>,
    /// Pages and bodies reused by the last build.
    pub reused: AtomicUsize,
    /// Pages and bodies made anew by the last build.
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
    fn body(&self, key: &Key, hash: u64) -> Option<Arc<Body>> {
        let m = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        m.get(key)
            .filter(|(h, _)| *h == hash)
            .map(|(_, b)| b.clone())
    }

    /// Search index shard `i`, made by `make` unless the cached one has the same hash.
    fn search_shard(&self, i: usize, hash: u64, make: impl FnOnce() -> String) -> String {
        let cached = self.search.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, js)) = cached.get(&i).filter(|(h, _)| *h == hash) {
            return js.clone();
        }
        drop(cached);
        let js = make();
        self.search
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(i, (hash, js.clone()));
        js
    }

    fn page(&self, path: &str, hash: u64) -> Option<Arc<[u8]>> {
        let m = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        m.get(path)
            .filter(|(h, _)| *h == hash)
            .map(|(_, b)| b.clone())
    }
}

fn fx<T: Hash + ?Sized>(parts: &T) -> u64 {
    let mut h = FxHasher::default();
    parts.hash(&mut h);
    h.finish()
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    pub text: String,
    pub terms: BTreeSet<String>,
    pub autolinks: usize,
}

/// Counts and timings for the build summary.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RenderStats {
    pub pages: usize,
    pub files: usize,
    pub autolinks: usize,
    pub backlinks: usize,
    pub source_links: usize,
    pub markdown_ms: f64,
    pub pages_ms: f64,
    /// CPU time of phrase line breaking, summed over threads.
    pub typeset_ms: f64,
    pub search_index_bytes: usize,
}

/// Root prefix of a page at `path` (`policies/x/index.html` → `../../`).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Text content of HTML, tags removed and entities decoded, whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    const BLOCK: &[&str] = &[
        "p",
        "li",
        "br",
        "td",
        "th",
        "tr",
        "dt",
        "dd",
        "div",
        "section",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "table",
        "ul",
        "ol",
    ];
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let name: String = rest[i + 1..end]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if BLOCK.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    let decoded = html_escape::decode_html_entities(&out);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Ctx<'a> {
    corpus: &'a Corpus,
    graph: &'a Graph,
    links: Links<'a>,
    theme: &'a Theme,
    bodies: HashMap<Key, Arc<Body>>,
    opts: &'a RenderOptions,
    /// group name → series ids
    groups: BTreeMap<String, Vec<String>>,
    /// Time spent on phrase breaks, summed over threads.
    typeset_ns: std::sync::atomic::AtomicU64,
    /// With a cache: a hash of each entity's source text, and of everything all pages share.
    source_hashes: FxHashMap<Key, u64>,
    /// With a cache: a hash of each entity's title and slug, and of those plus every seed
    /// line it cites (what a backlink and a source page show of it).
    title_hashes: FxHashMap<Key, u64>,
    cite_hashes: FxHashMap<Key, u64>,
    global_sig: u64,
    /// Hash of all front matter (serve mode): the signature of the list pages.
    front_sig: u64,
}

/// Renders the whole site. Returns the files, or the diagnostics that stopped it.
pub fn render_site(
    corpus: &Corpus,
    graph: &mut Graph,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<(Vec<OutFile>, RenderStats), Vec<Diagnostic>> {
    let mut stats = RenderStats::default();
    let t0 = Instant::now();
    let linker = build_linker(corpus);
    let tr = crate::trace::stage("linker", t0);
    let (bodies, diags) = render_bodies(corpus, graph, &linker, opts.cache.as_deref());
    let tr = crate::trace::stage("bodies", tr);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    stats.markdown_ms = t0.elapsed().as_secs_f64() * 1e3;
    // Autolinked terms and cited documents become edges of the graph, so backlinks show them.
    for (key, body) in &bodies {
        for t in &body.terms {
            graph.add_edge(key.clone(), (Kind::Term, t.clone()));
        }
        stats.autolinks += body.autolinks;
    }
    add_source_edges(corpus, graph);
    let tr = crate::trace::stage("edges", tr);
    stats.backlinks = graph.backward.values().map(BTreeSet::len).sum();

    let t1 = Instant::now();
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for k in &corpus.kpis {
        if let Some(g) = &k.data.group {
            groups.entry(g.clone()).or_default().push(k.id.clone());
        }
    }
    let ctx = Ctx {
        corpus,
        graph,
        links: Links::new(corpus, graph),
        theme,
        bodies,
        opts,
        groups,
        typeset_ns: Default::default(),
        source_hashes: FxHashMap::default(),
        title_hashes: FxHashMap::default(),
        cite_hashes: FxHashMap::default(),
        global_sig: 0,
        front_sig: 0,
    };
    let mut ctx = ctx;
    if opts.cache.is_some() {
        ctx.source_hashes = source_hashes(corpus);
        for (k, (title, slug)) in &graph.titles {
            ctx.title_hashes.insert(k.clone(), fx(&(title, slug)));
        }
        ctx.cite_hashes = cite_hashes(corpus, &ctx.title_hashes);
        ctx.front_sig = front_signature(corpus);
        let seeds: Vec<&Vec<String>> = corpus.seeds.values().map(|s| &s.lines).collect();
        ctx.global_sig = fx(&(
            theme.fingerprint,
            serde_json::to_string(&corpus.config).unwrap_or_default(),
            opts.live_reload,
            seeds,
        ));
    }
    let tr = crate::trace::stage("context and hashes", tr);
    let jobs = ctx.jobs();
    let results: Vec<Result<OutFile, Diagnostic>> =
        jobs.par_iter().map(|j| ctx.render_job(j)).collect();
    let mut files = Vec::with_capacity(results.len() + 64);
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.message.cmp(&b.message));
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(errors);
    }
    let tr = crate::trace::stage("pages", tr);
    stats.pages = files.len();
    stats.typeset_ms = ctx.typeset_ns.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6;
    stats.source_links = files
        .iter()
        .map(|f| count(&f.bytes, b"class=\"src\""))
        .sum();
    files.extend(ctx.data_files());
    let tr = crate::trace::stage("data files", tr);
    let docs = ctx.search_docs();
    let tr = crate::trace::stage("search docs", tr);
    // Each shard is rebuilt only when its documents changed (serve mode).
    let shards = search::shard_docs(&docs, ctx.search_shards());
    let k = shards.len();
    let made: Vec<(String, String)> = shards
        .par_iter()
        .enumerate()
        .map(|(i, shard)| {
            let js = match opts.cache.as_deref() {
                Some(c) => c.search_shard(i, fx(&(k, shard)), || search::index_js(shard)),
                None => search::index_js(shard),
            };
            (search::shard_path(i), js)
        })
        .collect();
    stats.search_index_bytes = made.iter().map(|(_, js)| js.len()).sum();
    for (path, js) in made {
        files.push(OutFile {
            path,
            bytes: js.into_bytes().into(),
        });
    }
    let tr = crate::trace::stage("search index", tr);
    files.push(OutFile {
        path: "static/highlight.css".into(),
        bytes: markdown::highlight_css().into_bytes().into(),
    });
    for (name, bytes) in &theme.statics {
        files.push(OutFile {
            path: format!("static/{name}"),
            bytes: bytes.as_slice().into(),
        });
    }
    if let Some(base) = corpus.config.base_url() {
        files.extend(ctx.feeds(&base, &files));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    crate::trace::stage("statics, feeds, sort", tr);
    stats.files = files.len();
    stats.pages_ms = t1.elapsed().as_secs_f64() * 1e3;
    Ok((files, stats))
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(hay, needle).count()
}

fn build_linker(corpus: &Corpus) -> Linker {
    let infos = corpus
        .terms
        .iter()
        .filter(|t| t.data.autolink && corpus.config.glossary.autolink)
        .map(|t| {
            let d = &t.data;
            let tooltip = [d.expansion.as_deref(), d.ja.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" / ");
            let mut forms = vec![d.title.clone()];
            forms.extend(d.aliases.iter().cloned());
            if let Some(ja) = &d.ja {
                forms.push(ja.clone());
            }
            TermInfo {
                id: t.id.clone(),
                path: page_path(Kind::Term, &t.slug),
                tooltip: if tooltip.is_empty() {
                    d.title.clone()
                } else {
                    tooltip
                },
                forms,
            }
        })
        .collect();
    Linker::new(infos)
}

fn render_bodies(
    corpus: &Corpus,
    graph: &Graph,
    linker: &Linker,
    cache: Option<&RenderCache>,
) -> (HashMap<Key, Arc<Body>>, Vec<Diagnostic>) {
    struct Job<'a> {
        kind: Kind,
        id: &'a str,
        body: &'a str,
        path: &'a std::path::Path,
        line: usize,
    }
    fn push<'a, T>(jobs: &mut Vec<Job<'a>>, kind: Kind, v: &'a [Entry<T>]) {
        for e in v {
            jobs.push(Job {
                kind,
                id: &e.id,
                body: &e.body,
                path: &e.path,
                line: e.body_line,
            });
        }
    }
    let mut jobs = Vec::new();
    push(&mut jobs, Kind::Document, &corpus.documents);
    push(&mut jobs, Kind::Plan, &corpus.plans);
    push(&mut jobs, Kind::Pillar, &corpus.pillars);
    push(&mut jobs, Kind::Goal, &corpus.goals);
    push(&mut jobs, Kind::Policy, &corpus.policies);
    push(&mut jobs, Kind::Term, &corpus.terms);
    let cfg = &corpus.config;
    // A body depends on its text, the glossary, the ids and slugs it may link to and options.
    let context_hash = cache.map(|_| {
        let mut slugs: Vec<(&Key, &String)> =
            graph.titles.iter().map(|(k, (_, s))| (k, s)).collect();
        slugs.sort();
        fx(&(
            linker.fingerprint(),
            slugs,
            cfg.trust_html,
            cfg.glossary.first_only,
        ))
    });
    let results: Vec<(Key, Arc<Body>, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|j| {
            let key = (j.kind, j.id.to_string());
            let hash = context_hash.map(|c| fx(&(c, &key, j.body, j.line)));
            if let (Some(cache), Some(h)) = (cache, hash) {
                if let Some(b) = cache.body(&key, h) {
                    cache.reused.fetch_add(1, Relaxed);
                    return (key, b, Vec::new());
                }
            }
            let mut diags = Vec::new();
            let ctx = MdContext {
                graph,
                root: "../../",
                trust_html: cfg.trust_html,
                file: j.path,
                first_line: j.line,
            };
            let html = markdown::to_html(j.body, &ctx, &mut diags);
            let own = (j.kind == Kind::Term).then_some(j.id);
            let linked = linker.link(&html, "../../", own, cfg.glossary.first_only);
            let text = plain_text(&linked.html);
            let body = Arc::new(Body {
                html: linked.html,
                text,
                terms: linked.terms,
                autolinks: linked.links,
            });
            if let (Some(cache), Some(h)) = (cache, hash) {
                if diags.is_empty() {
                    cache.rendered.fetch_add(1, Relaxed);
                    cache
                        .bodies
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(key.clone(), (h, body.clone()));
                }
            }
            (key, body, diags)
        })
        .collect();
    let mut bodies = HashMap::new();
    let mut diags = Vec::new();
    for (k, b, d) in results {
        bodies.insert(k, b);
        diags.extend(d);
    }
    (bodies, diags)
}

fn add_source_edges(corpus: &Corpus, graph: &mut Graph) {
    let doc_of: HashMap<&str, &str> = corpus
        .documents
        .iter()
        .map(|d| (d.data.file.as_str(), d.id.as_str()))
        .collect();
    let mut edges = Vec::new();
    macro_rules! each {
        ($v:expr, $k:expr) => {
            for e in &$v {
                for r in e.data.sources() {
                    if let Some(doc) = doc_of.get(r.file.as_str()) {
                        edges.push((($k, e.id.clone()), (Kind::Document, doc.to_string())));
                    }
                }
            }
        };
    }
    each!(corpus.plans, Kind::Plan);
    each!(corpus.pillars, Kind::Pillar);
    each!(corpus.goals, Kind::Goal);
    each!(corpus.policies, Kind::Policy);
    each!(corpus.kpis, Kind::Kpi);
    each!(corpus.organisations, Kind::Organisation);
    each!(corpus.terms, Kind::Term);
    // Budget lines, re-listings and single figures cite seed lines too.
    for p in &corpus.policies {
        for r in p
            .data
            .budgets
            .iter()
            .map(|b| &b.source)
            .chain(p.data.relisted.iter().map(|r| &r.source))
        {
            if let Some(doc) = doc_of.get(r.file.as_str()) {
                edges.push((
                    (Kind::Policy, p.id.clone()),
                    (Kind::Document, doc.to_string()),
                ));
            }
        }
    }
    for k in &corpus.kpis {
        for r in k
            .data
            .points
            .iter()
            .chain(k.data.target.iter())
            .filter_map(|p| p.source.as_ref())
        {
            if let Some(doc) = doc_of.get(r.file.as_str()) {
                edges.push(((Kind::Kpi, k.id.clone()), (Kind::Document, doc.to_string())));
            }
        }
    }
    for (a, b) in edges {
        graph.add_edge(a, b);
    }
}

/// A breadcrumb: title and path from the output root.
type Crumb = (String, Option<String>);
/// A page to render: output path, template, title, template data, breadcrumbs.
type PageSpec = (String, &'static str, String, Value, Vec<Crumb>);

/// A hash of every entity's source file, by kind and id.
fn source_hashes(corpus: &Corpus) -> FxHashMap<Key, u64> {
    corpus
        .entries()
        .map(|e| ((e.kind, e.id.to_string()), fx(e.text)))
        .collect()
}

/// Output path of a list page.
fn list_path(name: &str) -> &'static str {
    match name {
        "plans" => "plans/index.html",
        "pillars" => "pillars/index.html",
        "policies" => "policies/index.html",
        "policies-by-organisation" => "policies/by-organisation/index.html",
        "goals" => "goals/index.html",
        "kpis" => "kpis/index.html",
        "organisations" => "organisations/index.html",
        "documents" => "documents/index.html",
        "glossary" => "glossary/index.html",
        "budgets" => "budgets/index.html",
        _ => "search/index.html",
    }
}

/// A hash of every entity's id and front matter (the whole file for TOML data): what the list
/// pages are made from, so that an edit to a body alone leaves them as they are.
fn front_signature(corpus: &Corpus) -> u64 {
    let parts: Vec<(Kind, &str, &str)> = corpus
        .entries()
        .map(|e| (e.kind, e.id, e.front_matter()))
        .collect();
    fx(&parts)
}

/// A hash of each entity's title, slug and every seed line it cites.
fn cite_hashes(corpus: &Corpus, titles: &FxHashMap<Key, u64>) -> FxHashMap<Key, u64> {
    let mut m = FxHashMap::default();
    macro_rules! each {
        ($v:expr, $k:expr, $extra:expr) => {
            for e in &$v {
                let key = ($k, e.id.clone());
                let mut refs: Vec<String> =
                    e.data.sources().iter().map(|r| r.to_string()).collect();
                refs.extend($extra(e));
                m.insert(
                    key.clone(),
                    fx(&(titles.get(&key).copied().unwrap_or(0), refs)),
                );
            }
        };
    }
    fn none<T>(_: &Entry<T>) -> Vec<String> {
        Vec::new()
    }
    each!(corpus.documents, Kind::Document, none);
    each!(corpus.plans, Kind::Plan, none);
    each!(corpus.pillars, Kind::Pillar, none);
    each!(corpus.goals, Kind::Goal, none);
    each!(corpus.organisations, Kind::Organisation, none);
    each!(corpus.terms, Kind::Term, none);
    each!(corpus.policies, Kind::Policy, |e: &Entry<
        crate::content::Policy,
    >| e
        .data
        .budgets
        .iter()
        .map(|b| b.source.to_string())
        .chain(e.data.relisted.iter().map(|r| r.source.to_string()))
        .collect::<Vec<_>>());
    each!(corpus.kpis, Kind::Kpi, |e: &Entry<KpiSeries>| e
        .data
        .points
        .iter()
        .chain(e.data.target.iter())
        .filter_map(|p| p.source.as_ref().map(|r| r.to_string()))
        .collect::<Vec<_>>());
    m
}

/// One page to render.
enum Job {
    Index,
    Entity(Kind, usize),
    List(&'static str),
    NotFound,
}

impl<'a> Ctx<'a> {
    fn jobs(&self) -> Vec<Job> {
        let mut v = vec![Job::Index, Job::NotFound];
        for k in Kind::ALL {
            for i in 0..self.corpus.count(k) {
                v.push(Job::Entity(k, i));
            }
        }
        for l in [
            "plans",
            "pillars",
            "policies",
            "policies-by-organisation",
            "goals",
            "kpis",
            "organisations",
            "documents",
            "glossary",
            "budgets",
            "search",
        ] {
            v.push(Job::List(l));
        }
        v
    }

    /// Id and slug of the `i`-th entity of `kind`.
    fn entry_meta(&self, kind: Kind, i: usize) -> (&str, &str) {
        let c = self.corpus;
        match kind {
            Kind::Document => (&c.documents[i].id, &c.documents[i].slug),
            Kind::Plan => (&c.plans[i].id, &c.plans[i].slug),
            Kind::Pillar => (&c.pillars[i].id, &c.pillars[i].slug),
            Kind::Goal => (&c.goals[i].id, &c.goals[i].slug),
            Kind::Policy => (&c.policies[i].id, &c.policies[i].slug),
            Kind::Kpi => (&c.kpis[i].id, &c.kpis[i].slug),
            Kind::Organisation => (&c.organisations[i].id, &c.organisations[i].slug),
            Kind::Term => (&c.terms[i].id, &c.terms[i].slug),
        }
    }

    /// Everything an entity page is made from: its source, the sources of the entities it
    /// links to and that link to it (their titles, bodies and figures appear on it), the KPIs
    /// of an organisation's policies, a KPI's group, and what all pages share. Equal
    /// signatures give equal pages, so the page need not even be assembled again.
    fn page_signature(&self, kind: Kind, id: &str) -> u64 {
        let key = (kind, id.to_string());
        let h = |k: &Key| self.source_hashes.get(k).copied().unwrap_or(0);
        let mut parts: Vec<(Kind, &str, u64)> = Vec::new();
        let empty = BTreeSet::new();
        let fwd = self.graph.forward.get(&key).unwrap_or(&empty);
        let back = self.graph.backward.get(&key).unwrap_or(&empty);
        for k in fwd.iter() {
            parts.push((k.0, k.1.as_str(), h(k)));
        }
        for k in back.iter() {
            // What this page shows of an entity that links to it: only its title in a
            // backlink list, its cited lines on a source page, everything elsewhere.
            let shown = match (kind, k.0) {
                (Kind::Document, _) => self.cite_hashes.get(k).copied().unwrap_or(0),
                (Kind::Term, _)
                | (Kind::Plan | Kind::Goal | Kind::Kpi | Kind::Policy, Kind::Policy) => {
                    self.title_hashes.get(k).copied().unwrap_or(0)
                }
                _ => h(k),
            };
            parts.push((k.0, k.1.as_str(), shown));
            if kind == Kind::Organisation && k.0 == Kind::Policy {
                for k2 in self.graph.forward.get(k).unwrap_or(&empty) {
                    parts.push((k2.0, k2.1.as_str(), h(k2)));
                }
            }
        }
        if kind == Kind::Kpi {
            if let Some(g) = self
                .corpus
                .kpis
                .iter()
                .find(|k| k.id == id)
                .and_then(|k| k.data.group.as_ref())
            {
                for sib in self.groups.get(g).into_iter().flatten() {
                    parts.push((Kind::Kpi, sib.as_str(), h(&(Kind::Kpi, sib.clone()))));
                }
            }
        }
        let body = self.bodies.get(&key).map(|b| fx(&b.html)).unwrap_or(0);
        fx(&(self.global_sig, kind, id, h(&key), body, parts))
    }

    fn render_job(&self, job: &Job) -> Result<OutFile, Diagnostic> {
        let cache = self.opts.cache.as_deref();
        // An entity page whose inputs are unchanged is taken from the cache as it is.
        let signature = match (job, cache) {
            (Job::Entity(kind, i), Some(c)) => {
                let (id, slug) = self.entry_meta(*kind, *i);
                let path = page_path(*kind, slug);
                let sig = self.page_signature(*kind, id);
                if let Some(bytes) = c.page(&path, sig) {
                    c.reused.fetch_add(1, Relaxed);
                    return Ok(OutFile { path, bytes });
                }
                Some(sig)
            }
            // Lists show only what front matter says (titles, organisations, budgets, figures).
            (Job::List(name), Some(c)) => {
                let path = list_path(name);
                let sig = fx(&(self.global_sig, name, self.front_sig));
                if let Some(bytes) = c.page(path, sig) {
                    c.reused.fetch_add(1, Relaxed);
                    return Ok(OutFile {
                        path: path.to_string(),
                        bytes,
                    });
                }
                Some(sig)
            }
            _ => None,
        };
        let (path, template, title, mut data, crumbs) = match job {
            Job::Index => (
                "index.html".to_string(),
                "index.html",
                self.corpus.config.title.clone(),
                self.index_view(""),
                vec![],
            ),
            Job::NotFound => (
                "404.html".to_string(),
                "404.html",
                "ページが見つかりません".to_string(),
                json!({}),
                vec![],
            ),
            Job::Entity(kind, i) => self.entity_page(*kind, *i),
            Job::List(name) => self.list_page(name),
        };
        // A web server shows 404.html at any depth: with a public address its links are
        // absolute; otherwise (offline) they stay relative to the site root.
        let root = match (job, self.corpus.config.base_url()) {
            (Job::NotFound, Some(base)) => base,
            _ => root_of(&path),
        };
        let mut crumb_links = vec![json!({"title": "トップ", "url": format!("{root}index.html")})];
        for (t, u) in crumbs {
            crumb_links.push(json!({"title": t, "url": u.map(|u: String| format!("{root}{u}"))}));
        }
        let cfg = &self.corpus.config;
        let description = data
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| cfg.description.clone());
        let canonical = cfg
            .base_url()
            .map(|b| format!("{b}{}", path.trim_end_matches("index.html")));
        let base = json!({
            "site": {"title": cfg.title, "description": cfg.description, "language": cfg.language, "base_url": cfg.base_url(), "offline_archive": cfg.offline_archive},
            "root": root,
            "page": {"title": title, "path": path, "description": description, "canonical": canonical, "section": path.split('/').next().unwrap_or("")},
            "breadcrumbs": crumb_links,
            "live_reload": self.opts.live_reload,
        });
        if let (Value::Object(d), Value::Object(b)) = (&mut data, base) {
            d.extend(b);
        }
        let hash = signature.or_else(|| {
            cache.map(|_| {
                fx(&(
                    template,
                    self.theme.fingerprint,
                    serde_json::to_string(&data).unwrap_or_default(),
                ))
            })
        });
        if let (Some(c), Some(h)) = (cache, hash) {
            if let Some(bytes) = c.page(&path, h) {
                c.reused.fetch_add(1, Relaxed);
                return Ok(OutFile { path, bytes });
            }
        }
        let ctx =
            tera::Context::from_value(data).map_err(|e| template_error(&e, &self.theme.origins))?;
        let html = self
            .theme
            .tera
            .render(template, &ctx)
            .map_err(|e| template_error(&e, &self.theme.origins))?;
        // Source pages keep the original text verbatim, without phrase breaks.
        let html = if template == "document.html" {
            html
        } else {
            let t = Instant::now();
            let h = super::typeset::phrase_breaks(&html);
            self.typeset_ns.fetch_add(
                t.elapsed().as_nanos() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            h
        };
        let bytes: Arc<[u8]> = html.into_bytes().into();
        if let (Some(c), Some(h)) = (cache, hash) {
            c.rendered.fetch_add(1, Relaxed);
            c.pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.clone(), (h, bytes.clone()));
        }
        Ok(OutFile { path, bytes })
    }

    fn body(&self, kind: Kind, id: &str) -> Option<&Body> {
        self.bodies.get(&(kind, id.to_string())).map(|b| &**b)
    }

    fn link(&self, kind: Kind, id: &str, root: &str) -> Option<EntityLink> {
        self.links.entity(kind, id, root)
    }

    /// Backlinks grouped by kind: [{kind_label, items}]
    fn backlinks(&self, kind: Kind, id: &str, root: &str, exclude: &[Kind]) -> Value {
        let groups: Vec<Value> = self
            .graph
            .backlinks(kind, id)
            .into_iter()
            .filter(|(k, _)| !exclude.contains(k))
            .map(|(k, ids)| {
                let mut items = self.links.entities(k, ids.iter(), root);
                items.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
                json!({"kind": k.name(), "kind_label": k.label(), "items": items})
            })
            .collect();
        Value::Array(groups)
    }

    fn entity_page(&self, kind: Kind, i: usize) -> PageSpec {
        let c = self.corpus;
        let root = "../../";
        let list = |t: &str| (t.to_string(), Some(format!("{}/index.html", kind.folder())));
        match kind {
            Kind::Policy => {
                let e = &c.policies[i];
                (
                    page_path(kind, &e.slug),
                    "policy.html",
                    e.data.title.clone(),
                    self.policy_view(e, root),
                    vec![list("施策一覧")],
                )
            }
            Kind::Goal => {
                let e = &c.goals[i];
                (
                    page_path(kind, &e.slug),
                    "goal.html",
                    format!("ゴール{} {}", e.data.number, e.data.title),
                    self.goal_view(e, root),
                    vec![list("目標一覧")],
                )
            }
            Kind::Plan => {
                let e = &c.plans[i];
                (
                    page_path(kind, &e.slug),
                    "plan.html",
                    e.data.title.clone(),
                    self.plan_view(e, root),
                    vec![list("計画一覧")],
                )
            }
            Kind::Pillar => {
                let e = &c.pillars[i];
                let mut crumbs = vec![];
                if let Some(p) = self.link(Kind::Plan, &e.data.plan, "") {
                    crumbs.push((p.title, Some(p.url)));
                }
                let title = match &e.data.label {
                    Some(l) => format!("{l} {}", e.data.title),
                    None => e.data.title.clone(),
                };
                (
                    page_path(kind, &e.slug),
                    "pillar.html",
                    title,
                    self.pillar_view(e, root),
                    crumbs,
                )
            }
            Kind::Kpi => {
                let e = &c.kpis[i];
                (
                    page_path(kind, &e.slug),
                    "kpi.html",
                    e.data.title.clone(),
                    self.kpi_view(e, root),
                    vec![list("指標ダッシュボード")],
                )
            }
            Kind::Organisation => {
                let e = &c.organisations[i];
                (
                    page_path(kind, &e.slug),
                    "organisation.html",
                    e.data.name.clone(),
                    self.organisation_view(e, root),
                    vec![list("府省庁・機関")],
                )
            }
            Kind::Document => {
                let e = &c.documents[i];
                (
                    page_path(kind, &e.slug),
                    "document.html",
                    e.data.title.clone(),
                    self.document_view(e, root),
                    vec![list("資料一覧")],
                )
            }
            Kind::Term => {
                let e = &c.terms[i];
                (
                    page_path(kind, &e.slug),
                    "term.html",
                    e.data.title.clone(),
                    self.term_view(e, root),
                    vec![("用語集".into(), Some("glossary/index.html".into()))],
                )
            }
        }
    }

    fn date_view(&self, written: Option<&str>) -> Value {
        match written.map(JpDate::parse) {
            Some(Ok(d)) => {
                json!({"written": written, "iso": d.iso(), "display": d.render(self.corpus.config.date_style)})
            }
            _ => Value::Null,
        }
    }

    fn policy_view(&self, e: &Entry<crate::content::Policy>, root: &str) -> Value {
        let d = &e.data;
        let body = self.body(Kind::Policy, &e.id);
        let mut terms: BTreeSet<String> = d.terms.iter().cloned().collect();
        if let Some(b) = body {
            terms.extend(b.terms.iter().cloned());
        }
        let budgets: Vec<Value> = d
            .budgets
            .iter()
            .map(|b| {
                let amount = b.amount_value();
                let prior = b.prior_value();
                json!({
                    "label": b.label,
                    "fiscal_year": JpDate::fiscal_year(b.fiscal_year).render(self.corpus.config.date_style),
                    "amount": b.amount,
                    "amount_yen": amount.as_ref().map(|a| yen_approx(a.yen)),
                    "prior": b.prior,
                    "prior_yen": prior.as_ref().map(|a| yen_approx(a.yen)),
                    "change": match (&amount, &prior) { (Some(a), Some(p)) if p.yen > 0.0 => Some(signed_percent(a.yen / p.yen - 1.0)), _ => None },
                    "note": b.note,
                    "source": self.links.source(&b.source, root),
                })
            })
            .collect();
        let relisted: Vec<Value> = d
            .relisted
            .iter()
            .map(|r| json!({"pillar": r.pillar.as_deref().and_then(|p| self.link(Kind::Pillar, p, root)), "source": self.links.source(&r.source, root)}))
            .collect();
        let kpis: Vec<Value> = d
            .kpis
            .iter()
            .filter_map(|k| self.kpi_card(k, root, false))
            .collect();
        json!({
            "id": e.id,
            "description": first_sentence(body.map_or("", |b| b.text.as_str()), &d.title),
            "kind_label": d.kind.label(),
            "plan": d.plan.as_deref().and_then(|p| self.link(Kind::Plan, p, root)),
            "pillars": self.links.entities(Kind::Pillar, &d.pillars, root),
            "goals": self.links.entities(Kind::Goal, &d.goals, root),
            "organisations": self.links.entities(Kind::Organisation, &d.organisations, root),
            "terms": self.links.entities(Kind::Term, &terms, root),
            "related": self.links.entities(Kind::Policy, &d.related, root),
            "kpis": kpis,
            "issue": d.issue,
            "bureau": d.bureau,
            "implementer": d.implementer,
            "budgets": budgets,
            "relisted": relisted,
            "sources": self.links.sources(&d.source, root),
            "body": body.map(|b| b.html.as_str()).unwrap_or(""),
            "backlinks": self.backlinks(Kind::Policy, &e.id, root, &[Kind::Document]),
        })
    }

    /// A KPI's chart, summary and link, for embedding in other pages.
    fn kpi_card(&self, id: &str, root: &str, small: bool) -> Option<Value> {
        let e = self.corpus.kpis.iter().find(|k| k.id == id)?;
        let link = self.link(Kind::Kpi, id, root)?;
        let svg = if small {
            chart::sparkline(&e.data)
        } else {
            chart::chart(&[&e.data], &format!("c-{}", e.slug))
        };
        Some(
            json!({"link": link, "svg": svg, "summary": summary_text(&e.data), "unit": e.data.unit, "kind": e.data.kind}),
        )
    }

    fn goal_view(&self, e: &Entry<crate::content::Goal>, root: &str) -> Value {
        let d = &e.data;
        let body = self.body(Kind::Goal, &e.id);
        let kpi_ids: Vec<&String> = self
            .corpus
            .kpis
            .iter()
            .filter(|k| k.data.goal.as_deref() == Some(e.id.as_str()))
            .map(|k| &k.id)
            .collect();
        let kpis: Vec<Value> = kpi_ids
            .iter()
            .filter_map(|k| self.kpi_card(k, root, false))
            .collect();
        json!({
            "id": e.id,
            "number": d.number,
            "goal_title": d.title,
            "description": format!("ゴール{} {}", d.number, d.title),
            "plan": self.link(Kind::Plan, &d.plan, root),
            "pillars": self.links.entities(Kind::Pillar, &d.pillars, root),
            "kpi_definitions": d.kpi_definitions,
            "implementer": d.implementer,
            "organisations": self.links.entities(Kind::Organisation, &d.organisations, root),
            "kpis": kpis,
            "sources": self.links.sources(&d.source, root),
            "body": body.map(|b| b.html.as_str()).unwrap_or(""),
            "backlinks": self.backlinks(Kind::Goal, &e.id, root, &[Kind::Document, Kind::Kpi]),
        })
    }

    fn pillar_tree(&self, plan: &str, root: &str) -> Vec<Value> {
        let mut tops: Vec<&Entry<crate::content::Pillar>> = self
            .corpus
            .pillars
            .iter()
            .filter(|p| p.data.plan == plan && p.data.parent.is_none())
            .collect();
        tops.sort_by_key(|p| (p.data.order, p.id.clone()));
        tops.iter()
            .map(|p| {
                let mut kids: Vec<&Entry<crate::content::Pillar>> = self.corpus.pillars.iter().filter(|c| c.data.parent.as_deref() == Some(p.id.as_str())).collect();
                kids.sort_by_key(|c| (c.data.order, c.id.clone()));
                json!({"link": self.link(Kind::Pillar, &p.id, root), "label": p.data.label, "children": kids.iter().map(|c| json!({"link": self.link(Kind::Pillar, &c.id, root), "label": c.data.label})).collect::<Vec<_>>()})
            })
            .collect()
    }

    fn plan_view(&self, e: &Entry<crate::content::Plan>, root: &str) -> Value {
        let d = &e.data;
        let body = self.body(Kind::Plan, &e.id);
        let mut goals: Vec<&Entry<crate::content::Goal>> = self
            .corpus
            .goals
            .iter()
            .filter(|g| g.data.plan == e.id)
            .collect();
        goals.sort_by_key(|g| g.data.number);
        let kgis: Vec<Value> = self
            .corpus
            .kpis
            .iter()
            .filter(|k| k.data.plan.as_deref() == Some(e.id.as_str()))
            .filter_map(|k| self.kpi_card(&k.id, root, false))
            .collect();
        json!({
            "id": e.id,
            "description": d.title,
            "short_title": d.short_title,
            "status": d.status,
            "date": self.date_view(d.date.as_deref()),
            "documents": self.links.entities(Kind::Document, &d.documents, root),
            "pillars": self.pillar_tree(&e.id, root),
            "goals": goals.iter().map(|g| json!({"number": g.data.number, "link": self.link(Kind::Goal, &g.id, root)})).collect::<Vec<_>>(),
            "kgis": kgis,
            "sources": self.links.sources(&d.source, root),
            "body": body.map(|b| b.html.as_str()).unwrap_or(""),
            "backlinks": self.backlinks(Kind::Plan, &e.id, root, &[Kind::Document, Kind::Pillar, Kind::Goal]),
        })
    }

    fn pillar_view(&self, e: &Entry<crate::content::Pillar>, root: &str) -> Value {
        let d = &e.data;
        let body = self.body(Kind::Pillar, &e.id);
        let mut kids: Vec<&Entry<crate::content::Pillar>> = self
            .corpus
            .pillars
            .iter()
            .filter(|c| c.data.parent.as_deref() == Some(e.id.as_str()))
            .collect();
        kids.sort_by_key(|c| (c.data.order, c.id.clone()));
        let mut policies = Vec::new();
        for p in &self.corpus.policies {
            if p.data.pillars.contains(&e.id) {
                policies.push(json!({"link": self.link(Kind::Policy, &p.id, root), "relisted": false, "source": p.data.source.first().map(|s| self.links.source(s, root)), "order": p.data.source.first().map(|s| (s.file.clone(), s.first))}));
            }
            for r in p
                .data
                .relisted
                .iter()
                .filter(|r| r.pillar.as_deref() == Some(e.id.as_str()))
            {
                policies.push(json!({"link": self.link(Kind::Policy, &p.id, root), "relisted": true, "source": self.links.source(&r.source, root), "order": (r.source.file.clone(), r.source.first)}));
            }
        }
        policies.sort_by(|a, b| {
            a["order"].to_string().cmp(&b["order"].to_string()).then(
                a["link"]["id"]
                    .to_string()
                    .cmp(&b["link"]["id"].to_string()),
            )
        });
        let goals: Vec<EntityLink> = {
            let mut v: Vec<EntityLink> = self
                .corpus
                .goals
                .iter()
                .filter(|g| g.data.pillars.contains(&e.id))
                .filter_map(|g| self.link(Kind::Goal, &g.id, root))
                .collect();
            v.sort();
            v
        };
        json!({
            "id": e.id,
            "label": d.label,
            "pillar_title": d.title,
            "description": d.title,
            "plan": self.link(Kind::Plan, &d.plan, root),
            "parent": d.parent.as_deref().and_then(|p| self.link(Kind::Pillar, p, root)),
            "children": kids.iter().filter_map(|c| self.link(Kind::Pillar, &c.id, root)).collect::<Vec<_>>(),
            "policies": policies,
            "goals": goals,
            "sources": self.links.sources(&d.source, root),
            "body": body.map(|b| b.html.as_str()).unwrap_or(""),
        })
    }

    fn series_rows(&self, s: &KpiSeries, root: &str) -> Vec<Value> {
        s.sorted_points()
            .into_iter()
            .map(|p| {
                let period = JpDate::parse(&format!("{}{}", p.year, s.period.suffix()))
                    .map(|d| d.render(self.corpus.config.date_style))
                    .unwrap_or_else(|_| p.year.to_string());
                json!({
                    "year": p.year,
                    "period": period,
                    "label": p.label,
                    "value": format!("{}{}", if p.approx { "約" } else { "" }, figure(p.value)),
                    "raw": p.value,
                    "note": p.note,
                    "source": p.source.as_ref().map(|r| self.links.source(r, root)),
                })
            })
            .collect()
    }

    fn kpi_view(&self, e: &Entry<KpiSeries>, root: &str) -> Value {
        let d = &e.data;
        let group: Vec<&KpiSeries> = match d.group.as_ref().and_then(|g| self.groups.get(g)) {
            Some(ids) if ids.len() > 1 => ids
                .iter()
                .filter_map(|id| self.corpus.kpis.iter().find(|k| &k.id == id))
                .map(|k| &k.data)
                .collect(),
            _ => vec![d],
        };
        let siblings: Vec<EntityLink> = match d.group.as_ref().and_then(|g| self.groups.get(g)) {
            Some(ids) => ids
                .iter()
                .filter(|i| **i != e.id)
                .filter_map(|i| self.link(Kind::Kpi, i, root))
                .collect(),
            None => vec![],
        };
        let s = d.summary();
        let unit = &d.unit;
        let summary = s.as_ref().map(|s| {
            json!({
                "text": summary_text(d),
                "change": with_unit(s.change, unit),
                "ratio": s.ratio.map(|r| format!("{}倍", crate::format::number::trim_decimals(r, 2))),
                "gap": s.gap.map(|g| with_unit(g, unit)),
                "required_growth": s.required_growth.map(percent),
                "target_year": s.target_year,
                "target": s.target_value.map(|v| with_unit(v, unit)),
                "first": format!("{}（{}）", with_unit(s.first_value, unit), s.first_year),
                "last": format!("{}（{}）", with_unit(s.last_value, unit), s.last_year),
            })
        });
        json!({
            "id": e.id,
            "description": d.description.clone().unwrap_or_else(|| summary_text(d)),
            "kpi_kind": match d.kind { KpiKind::Kpi => "KPI", KpiKind::Kgi => "KGI" },
            "series_description": d.description,
            "unit": unit,
            "period": d.period.suffix(),
            "svg": chart::chart(&group, &format!("c-{}", e.slug)),
            "rows": self.series_rows(d, root),
            "target": d.target.as_ref().map(|t| json!({"year": t.year, "value": with_unit(t.value, unit), "source": t.source.as_ref().map(|r| self.links.source(r, root))})),
            "summary": summary,
            "goal": d.goal.as_deref().and_then(|g| self.link(Kind::Goal, g, root)),
            "plan": d.plan.as_deref().and_then(|p| self.link(Kind::Plan, p, root)),
            "siblings": siblings,
            "sources": self.links.sources(&d.source, root),
            "backlinks": self.backlinks(Kind::Kpi, &e.id, root, &[Kind::Document]),
        })
    }

    fn budgets_of(&self, org: &str, root: &str) -> (Vec<Value>, Vec<Value>) {
        let mut rows = Vec::new();
        let mut totals: BTreeMap<i32, f64> = BTreeMap::new();
        for p in self
            .corpus
            .policies
            .iter()
            .filter(|p| p.data.organisations.first().map(String::as_str) == Some(org))
        {
            for b in &p.data.budgets {
                let yen = b.amount_value().map(|a| a.yen);
                if let Some(y) = yen {
                    *totals.entry(b.fiscal_year).or_default() += y;
                }
                rows.push(json!({
                    "policy": self.link(Kind::Policy, &p.id, root),
                    "label": b.label,
                    "fiscal_year": b.fiscal_year,
                    "amount": b.amount,
                    "amount_yen": yen.map(yen_approx),
                    "prior": b.prior,
                    "source": self.links.source(&b.source, root),
                }));
            }
        }
        let totals = totals.into_iter().map(|(y, v)| json!({"fiscal_year": JpDate::fiscal_year(y).render(self.corpus.config.date_style), "total": yen_display(v)})).collect();
        (rows, totals)
    }

    fn organisation_view(&self, e: &Entry<crate::content::Organisation>, root: &str) -> Value {
        let d = &e.data;
        let (budgets, totals) = self.budgets_of(&e.id, root);
        let mut kpi_ids = BTreeSet::new();
        for p in self
            .corpus
            .policies
            .iter()
            .filter(|p| p.data.organisations.contains(&e.id))
        {
            kpi_ids.extend(p.data.kpis.iter().cloned());
        }
        let children: Vec<EntityLink> = self
            .corpus
            .organisations
            .iter()
            .filter(|o| o.data.parent.as_deref() == Some(e.id.as_str()))
            .filter_map(|o| self.link(Kind::Organisation, &o.id, root))
            .collect();
        json!({
            "id": e.id,
            "description": format!("{}の施策・予算・指標", d.name),
            "name": d.name,
            "short": d.short,
            "name_en": d.name_en,
            "aliases": d.aliases,
            "org_kind": d.kind.label(),
            "parent": d.parent.as_deref().and_then(|p| self.link(Kind::Organisation, p, root)),
            "children": children,
            "budgets": budgets,
            "budget_totals": totals,
            "kpis": self.links.entities(Kind::Kpi, &kpi_ids, root),
            "sources": self.links.sources(&d.source, root),
            "backlinks": self.backlinks(Kind::Organisation, &e.id, root, &[Kind::Document, Kind::Organisation]),
        })
    }

    fn term_view(&self, e: &Entry<crate::content::Term>, root: &str) -> Value {
        let d = &e.data;
        let body = self.body(Kind::Term, &e.id);
        json!({
            "id": e.id,
            "description": format!("{}：{}", d.title, body.map_or("", |b| b.text.as_str()).chars().take(100).collect::<String>()),
            "expansion": d.expansion,
            "ja": d.ja,
            "reading": d.reading,
            "aliases": d.aliases,
            "related": self.links.entities(Kind::Term, &d.related, root),
            "sources": self.links.sources(&d.source, root),
            "body": body.map(|b| b.html.as_str()).unwrap_or(""),
            "backlinks": self.backlinks(Kind::Term, &e.id, root, &[Kind::Document]),
        })
    }

    fn document_view(&self, e: &Entry<crate::content::Document>, root: &str) -> Value {
        let d = &e.data;
        let body = self.body(Kind::Document, &e.id);
        // Every cited range of this seed gets an anchor on its first line.
        let mut ranges: BTreeMap<usize, BTreeSet<(usize, usize)>> = BTreeMap::new();
        for r in self
            .all_refs()
            .into_iter()
            .filter(|r| r.file == d.file && r.first != r.last)
        {
            ranges.entry(r.first).or_default().insert((r.first, r.last));
        }
        let lines: Vec<Value> = self
            .corpus
            .seeds
            .get(&d.file)
            .map(|s| {
                s.lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let n = i + 1;
                        let anchors: Vec<String> = ranges
                            .get(&n)
                            .map(|set| {
                                set.iter()
                                    .map(|(a, b)| {
                                        range_anchor(&crate::content::source_ref::SourceRef {
                                            file: String::new(),
                                            first: *a,
                                            last: *b,
                                        })
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        json!({"n": n, "text": l, "anchors": anchors})
                    })
                    .collect()
            })
            .unwrap_or_default();
        json!({
            "id": e.id,
            "description": format!("{}（{}）", d.title, d.issuer.as_deref().unwrap_or("")),
            "issuer": d.issuer,
            "date": self.date_view(d.date.as_deref()),
            "file": d.file,
            "seed_url": format!("{root}seeds/{}", d.file),
            "lines": lines,
            "sources": self.links.sources(&d.source, root),
            "body": body.map(|b| b.html.as_str()).unwrap_or(""),
            "backlinks": self.backlinks(Kind::Document, &e.id, root, &[]),
        })
    }

    fn all_refs(&self) -> Vec<crate::content::source_ref::SourceRef> {
        let c = self.corpus;
        let mut v = Vec::new();
        macro_rules! each {
            ($x:expr) => {
                for e in &$x {
                    v.extend(e.data.sources().iter().cloned());
                }
            };
        }
        each!(c.documents);
        each!(c.plans);
        each!(c.pillars);
        each!(c.goals);
        each!(c.policies);
        each!(c.kpis);
        each!(c.organisations);
        each!(c.terms);
        for p in &c.policies {
            v.extend(p.data.budgets.iter().map(|b| b.source.clone()));
            v.extend(p.data.relisted.iter().map(|r| r.source.clone()));
        }
        for k in &c.kpis {
            v.extend(
                k.data
                    .points
                    .iter()
                    .chain(k.data.target.iter())
                    .filter_map(|p| p.source.clone()),
            );
        }
        v
    }

    fn index_view(&self, root: &str) -> Value {
        let c = self.corpus;
        let counts: Vec<Value> = [Kind::Plan, Kind::Policy, Kind::Goal, Kind::Kpi, Kind::Organisation, Kind::Term, Kind::Document]
            .iter()
            .map(|k| json!({"label": k.label(), "count": c.count(*k), "url": format!("{root}{}/index.html", k.folder())}))
            .collect();
        let plans = self.sorted_plans();
        let kgis: Vec<Value> = c
            .kpis
            .iter()
            .filter(|k| k.data.kind == KpiKind::Kgi)
            .filter_map(|k| self.kpi_card(&k.id, root, true))
            .collect();
        json!({
            "counts": counts,
            "plans": plans.iter().map(|p| json!({"link": self.link(Kind::Plan, &p.id, root), "status": p.data.status, "pillars": self.pillar_tree(&p.id, root)})).collect::<Vec<_>>(),
            "kgis": kgis,
        })
    }

    fn list_page(&self, name: &str) -> PageSpec {
        let root = if name == "policies-by-organisation" {
            "../../"
        } else {
            "../"
        };
        let c = self.corpus;
        let plain = |kind: Kind, title: &str, intro: &str| {
            let mut items: Vec<EntityLink> = c
                .ids(kind)
                .into_iter()
                .filter_map(|id| self.link(kind, id, root))
                .collect();
            items.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
            json!({"intro": intro, "groups": [{"title": title, "items": items.iter().map(|l| json!({"link": l})).collect::<Vec<_>>()}]})
        };
        match name {
            "plans" => (list_path(name).into(), "list.html", "計画一覧".into(), self.plans_list(root), vec![]),
            "pillars" => (list_path(name).into(), "list.html", "基本方針・方向性".into(), self.pillars_list(root), vec![]),
            "policies" => (list_path(name).into(), "list.html", "施策一覧".into(), self.policies_by_pillar(root), vec![]),
            "policies-by-organisation" => (
                list_path(name).into(),
                "list.html",
                "府省庁別の施策一覧".into(),
                self.policies_by_org(root),
                vec![("施策一覧".into(), Some(list_path(name).into()))],
            ),
            "goals" => (list_path(name).into(), "list.html", "目標一覧".into(), self.goals_list(root), vec![]),
            "kpis" => (list_path(name).into(), "dashboard.html", "指標ダッシュボード".into(), self.dashboard(root), vec![]),
            "organisations" => (list_path(name).into(), "list.html", "府省庁・機関".into(), plain(Kind::Organisation, "府省庁・機関", "施策を担う府省庁と機関の一覧です。"), vec![]),
            "documents" => (list_path(name).into(), "list.html", "資料一覧".into(), plain(Kind::Document, "資料", "このサイトの出典である資料です。各資料のページで原文を行番号付きで確認できます。"), vec![]),
            "glossary" => (list_path(name).into(), "glossary.html", "用語集".into(), self.glossary_index(root), vec![]),
            "budgets" => (list_path(name).into(), "budgets.html", "予算の概要".into(), self.budgets_overview(root), vec![]),
            _ => {
                let shards: Vec<String> = (0..self.search_shards()).map(search::shard_path).collect();
                (list_path(name).into(), "search.html", "検索".into(), json!({"description": "サイト内検索", "search_shards": shards}), vec![])
            }
        }
    }

    fn plans_list(&self, root: &str) -> Value {
        let plans = self.sorted_plans();
        let items: Vec<Value> = plans
            .iter()
            .map(|p| json!({"link": self.link(Kind::Plan, &p.id, root), "meta": p.data.status}))
            .collect();
        json!({"intro": "基本計画と協議会の方向性です。", "groups": [{"title": "計画", "items": items}]})
    }

    fn pillars_list(&self, root: &str) -> Value {
        let groups: Vec<Value> = self.sorted_plans().iter().map(|p| json!({"title": p.data.title, "url": self.link(Kind::Plan, &p.id, root).map(|l| l.url), "tree": self.pillar_tree(&p.id, root)})).collect();
        json!({"intro": "計画ごとの基本方針・方向性です。", "groups": groups})
    }

    fn sorted_plans(&self) -> Vec<&Entry<crate::content::Plan>> {
        let mut plans: Vec<&Entry<crate::content::Plan>> = self.corpus.plans.iter().collect();
        plans.sort_by_key(|p| (p.data.number.unwrap_or(99), p.id.clone()));
        plans
    }

    fn policies_by_pillar(&self, root: &str) -> Value {
        let mut groups = Vec::new();
        let sorted_pillars = |plan: &str| {
            let mut v: Vec<&Entry<crate::content::Pillar>> = self
                .corpus
                .pillars
                .iter()
                .filter(|p| p.data.plan == plan)
                .collect();
            v.sort_by_key(|p| {
                (
                    p.data.parent.clone().unwrap_or_else(|| p.id.clone()),
                    p.data.parent.is_some(),
                    p.data.order,
                    p.id.clone(),
                )
            });
            v
        };
        let item = |p: &Entry<crate::content::Policy>| json!({"link": self.link(Kind::Policy, &p.id, root), "meta": p.data.kind.label()});
        let plans = self.sorted_plans();
        for plan in &plans {
            for pillar in sorted_pillars(&plan.id) {
                let items: Vec<Value> = self
                    .corpus
                    .policies
                    .iter()
                    .filter(|p| p.data.pillars.contains(&pillar.id))
                    .map(item)
                    .collect();
                if items.is_empty() {
                    continue;
                }
                let title = format!(
                    "{} — {}{}",
                    plan.data.short_title.as_deref().unwrap_or(&plan.data.title),
                    pillar
                        .data
                        .label
                        .as_deref()
                        .map(|l| format!("{l} "))
                        .unwrap_or_default(),
                    pillar.data.title
                );
                groups.push(json!({"title": title, "url": self.link(Kind::Pillar, &pillar.id, root).map(|l| l.url), "items": items}));
            }
            let rest: Vec<Value> = self
                .corpus
                .policies
                .iter()
                .filter(|p| {
                    p.data.plan.as_deref() == Some(plan.id.as_str()) && p.data.pillars.is_empty()
                })
                .map(item)
                .collect();
            if !rest.is_empty() {
                groups.push(json!({"title": format!("{}（基本方針の指定なし）", plan.data.title), "url": self.link(Kind::Plan, &plan.id, root).map(|l| l.url), "items": rest}));
            }
        }
        let others: Vec<Value> = self
            .corpus
            .policies
            .iter()
            .filter(|p| p.data.pillars.is_empty() && p.data.plan.is_none())
            .map(item)
            .collect();
        if !others.is_empty() {
            groups.push(json!({"title": "各府省の事業・取組", "items": others}));
        }
        json!({"intro": "計画・基本方針ごとの施策です。", "see_also": [{"title": "府省庁別の一覧", "url": format!("{root}policies/by-organisation/index.html")}], "groups": groups})
    }

    fn policies_by_org(&self, root: &str) -> Value {
        let mut orgs: Vec<&Entry<crate::content::Organisation>> =
            self.corpus.organisations.iter().collect();
        orgs.sort_by(|a, b| a.data.name.cmp(&b.data.name));
        let groups: Vec<Value> = orgs
            .iter()
            .filter_map(|o| {
                let items: Vec<Value> = self.corpus.policies.iter().filter(|p| p.data.organisations.contains(&o.id)).map(|p| json!({"link": self.link(Kind::Policy, &p.id, root), "meta": p.data.kind.label()})).collect();
                (!items.is_empty()).then(|| json!({"title": o.data.name, "url": self.link(Kind::Organisation, &o.id, root).map(|l| l.url), "items": items}))
            })
            .collect();
        json!({"intro": "施策を担う府省庁・機関ごとの一覧です。", "groups": groups})
    }

    fn goals_list(&self, root: &str) -> Value {
        let groups: Vec<Value> = self
            .sorted_plans()
            .iter()
            .filter_map(|plan| {
                let mut goals: Vec<&Entry<crate::content::Goal>> = self.corpus.goals.iter().filter(|g| g.data.plan == plan.id).collect();
                goals.sort_by_key(|g| g.data.number);
                let items: Vec<Value> = goals.iter().map(|g| json!({"link": self.link(Kind::Goal, &g.id, root), "meta": format!("ゴール{}", g.data.number)})).collect();
                (!items.is_empty()).then(|| json!({"title": plan.data.title, "url": self.link(Kind::Plan, &plan.id, root).map(|l| l.url), "items": items}))
            })
            .collect();
        json!({"intro": "計画に定められた目標（ゴール）です。", "groups": groups})
    }

    fn dashboard(&self, root: &str) -> Value {
        let card = |k: &Entry<KpiSeries>| json!({"link": self.link(Kind::Kpi, &k.id, root), "svg": chart::sparkline(&k.data), "summary": summary_text(&k.data), "kind": match k.data.kind { KpiKind::Kpi => "KPI", KpiKind::Kgi => "KGI" }});
        let mut groups = Vec::new();
        for plan in self.sorted_plans() {
            let kgis: Vec<Value> = self
                .corpus
                .kpis
                .iter()
                .filter(|k| {
                    k.data.plan.as_deref() == Some(plan.id.as_str()) && k.data.goal.is_none()
                })
                .map(card)
                .collect();
            if !kgis.is_empty() {
                groups.push(json!({"title": plan.data.title, "url": self.link(Kind::Plan, &plan.id, root).map(|l| l.url), "cards": kgis}));
            }
            let mut goals: Vec<&Entry<crate::content::Goal>> = self
                .corpus
                .goals
                .iter()
                .filter(|g| g.data.plan == plan.id)
                .collect();
            goals.sort_by_key(|g| g.data.number);
            for g in goals {
                let cards: Vec<Value> = self
                    .corpus
                    .kpis
                    .iter()
                    .filter(|k| k.data.goal.as_deref() == Some(g.id.as_str()))
                    .map(card)
                    .collect();
                if !cards.is_empty() {
                    groups.push(json!({"title": format!("{} ゴール{} {}", plan.data.short_title.as_deref().unwrap_or(&plan.data.title), g.data.number, g.data.title), "url": self.link(Kind::Goal, &g.id, root).map(|l| l.url), "cards": cards}));
                }
            }
        }
        let rest: Vec<Value> = self
            .corpus
            .kpis
            .iter()
            .filter(|k| k.data.goal.is_none() && k.data.plan.is_none())
            .map(card)
            .collect();
        if !rest.is_empty() {
            groups.push(json!({"title": "事業・取組の実績", "cards": rest}));
        }
        json!({"description": "計画の目標ごとの指標（KPI・KGI）の推移", "groups": groups})
    }

    fn glossary_index(&self, root: &str) -> Value {
        let mut groups: BTreeMap<(u8, String), Vec<Value>> = BTreeMap::new();
        let mut terms: Vec<&Entry<crate::content::Term>> = self.corpus.terms.iter().collect();
        terms.sort_by_key(|t| sort_key(&t.data.title, t.data.reading.as_deref()));
        for t in terms {
            let head = index_head(&t.data.title, t.data.reading.as_deref());
            groups.entry(head).or_default().push(json!({"link": self.link(Kind::Term, &t.id, root), "expansion": t.data.expansion, "ja": t.data.ja}));
        }
        let groups: Vec<Value> = groups.into_iter().map(|((script, head), items)| json!({"head": head, "anchor": format!("g-{head}"), "script": if script == 0 { "latin" } else { "kana" }, "items": items})).collect();
        json!({"description": "用語集（A–Z・五十音）", "groups": groups})
    }

    fn budgets_overview(&self, root: &str) -> Value {
        let mut orgs: Vec<&Entry<crate::content::Organisation>> =
            self.corpus.organisations.iter().collect();
        orgs.sort_by(|a, b| a.data.name.cmp(&b.data.name));
        let groups: Vec<Value> = orgs
            .iter()
            .filter_map(|o| {
                let (rows, totals) = self.budgets_of(&o.id, root);
                (!rows.is_empty()).then(|| json!({"org": self.link(Kind::Organisation, &o.id, root), "rows": rows, "totals": totals}))
            })
            .collect();
        json!({"description": "府省庁別の事業予算（資料に記載の額）", "groups": groups})
    }

    /// CSV and JSON of every KPI, next to its page.
    fn data_files(&self) -> Vec<OutFile> {
        self.corpus
            .kpis
            .par_iter()
            .flat_map_iter(|k| {
                let dir = format!("{}/{}", Kind::Kpi.folder(), k.slug);
                let d = &k.data;
                let mut csv = String::from("year,period,value,unit,approx,label,source\n");
                for p in d.sorted_points().into_iter().chain(d.target.iter()) {
                    let src = p.source.as_ref().map(|s| s.to_string()).unwrap_or_default();
                    csv.push_str(&format!(
                        "{},{},{},{},{},{},{}\n",
                        p.year,
                        csv_field(&format!("{}{}", p.year, d.period.suffix())),
                        crate::format::number::trim_decimals(p.value, 6),
                        csv_field(&d.unit),
                        p.approx,
                        csv_field(p.label.as_deref().unwrap_or("")),
                        csv_field(&src)
                    ));
                }
                let json = json!({
                    "id": k.id, "title": d.title, "kind": d.kind, "unit": d.unit, "period": d.period,
                    "goal": d.goal, "points": d.sorted_points(), "target": d.target,
                    "source": d.source.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                });
                // Serialising plain data cannot fail.
                let json = serde_json::to_string_pretty(&json).expect("KPI data serialises") + "\n";
                vec![OutFile { path: format!("{dir}/data.csv"), bytes: csv.into_bytes().into() }, OutFile { path: format!("{dir}/data.json"), bytes: json.into_bytes().into() }]
            })
            .collect()
    }

    /// Shards of the search index: one per [`search::SHARD_DOCS`] searchable pages.
    fn search_shards(&self) -> usize {
        search::shard_count(Kind::ALL.iter().map(|k| self.corpus.count(*k)).sum())
    }

    fn search_docs(&self) -> Vec<SearchDoc> {
        let c = self.corpus;
        let mut docs = Vec::new();
        let mut add = |kind: Kind, id: &str, title: &str, extra: String, boost: u8| {
            let Some(l) = self.links.entity(kind, id, "") else {
                return;
            };
            let body = self.body(kind, id).map(|b| b.text.as_str()).unwrap_or("");
            let text = if extra.is_empty() {
                body.to_string()
            } else {
                format!("{extra} {body}")
            };
            docs.push(SearchDoc {
                title: title.to_string(),
                url: l.url,
                kind: kind.label().to_string(),
                text,
                boost,
            });
        };
        for e in &c.terms {
            let extra = [
                e.data.expansion.clone(),
                e.data.ja.clone(),
                Some(e.data.aliases.join(" ")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            add(Kind::Term, &e.id, &e.data.title, extra, 3);
        }
        for e in &c.plans {
            add(Kind::Plan, &e.id, &e.data.title, String::new(), 2);
        }
        for e in &c.pillars {
            add(
                Kind::Pillar,
                &e.id,
                &e.data.title,
                e.data.label.clone().unwrap_or_default(),
                1,
            );
        }
        for e in &c.goals {
            add(
                Kind::Goal,
                &e.id,
                &format!("ゴール{} {}", e.data.number, e.data.title),
                e.data.kpi_definitions.join(" "),
                1,
            );
        }
        for e in &c.policies {
            let extra = [
                e.data.issue.clone(),
                e.data.bureau.clone(),
                e.data.implementer.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            add(Kind::Policy, &e.id, &e.data.title, extra, 1);
        }
        for e in &c.kpis {
            add(
                Kind::Kpi,
                &e.id,
                &e.data.title,
                format!(
                    "{} {}",
                    e.data.description.clone().unwrap_or_default(),
                    summary_text(&e.data)
                ),
                1,
            );
        }
        for e in &c.organisations {
            add(
                Kind::Organisation,
                &e.id,
                &e.data.name,
                e.data.aliases.join(" "),
                2,
            );
        }
        for e in &c.documents {
            add(
                Kind::Document,
                &e.id,
                &e.data.title,
                e.data.issuer.clone().unwrap_or_default(),
                1,
            );
        }
        docs
    }

    fn feeds(&self, base: &str, files: &[OutFile]) -> Vec<OutFile> {
        let mut pages: Vec<&str> = files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.ends_with(".html") && *p != "404.html")
            .collect();
        pages.sort();
        let mut sitemap = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in &pages {
            sitemap.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                xml(&format!("{base}{}", p.trim_end_matches("index.html")))
            ));
        }
        sitemap.push_str("</urlset>\n");
        // The feed's date is the latest document date: the output stays deterministic.
        let updated = self
            .corpus
            .documents
            .iter()
            .filter_map(|d| d.data.date.as_deref().and_then(|s| JpDate::parse(s).ok()))
            .max()
            .map(|d| d.first_day())
            .map_or("2000-01-01".to_string(), |(y, m, d)| {
                format!("{y:04}-{m:02}-{d:02}")
            });
        let mut atom = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n  <updated>{updated}T00:00:00Z</updated>\n",
            xml(&self.corpus.config.language),
            xml(&self.corpus.config.title),
            xml(base),
            xml(base),
            xml(base)
        );
        for e in &self.corpus.policies {
            let url = format!(
                "{base}{}",
                page_path(Kind::Policy, &e.slug).trim_end_matches("index.html")
            );
            let summary: String = self
                .body(Kind::Policy, &e.id)
                .map(|b| b.text.chars().take(200).collect())
                .unwrap_or_default();
            atom.push_str(&format!(
                "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{updated}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
                xml(&e.data.title),
                xml(&url),
                xml(&url),
                xml(&summary)
            ));
        }
        atom.push_str("</feed>\n");
        vec![
            OutFile {
                path: "sitemap.xml".into(),
                bytes: sitemap.into_bytes().into(),
            },
            OutFile {
                path: "atom.xml".into(),
                bytes: atom.into_bytes().into(),
            },
        ]
    }
}

fn signed_percent(r: f64) -> String {
    if r > 0.0 {
        format!("+{}", percent(r))
    } else {
        percent(r)
    }
}

fn xml(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// 「2022年度の49コースから2024年度の69コースへ（1.41倍）」
pub fn summary_text(s: &KpiSeries) -> String {
    let Some(sum) = s.summary() else {
        return String::new();
    };
    let unit = &s.unit;
    let suffix = s.period.suffix();
    let mut t = if sum.first_year == sum.last_year {
        format!(
            "{}{suffix}: {}",
            sum.last_year,
            with_unit(sum.last_value, unit)
        )
    } else {
        let dir = if sum.change > 0.0 {
            "増加"
        } else if sum.change < 0.0 {
            "減少"
        } else {
            "横ばい"
        };
        let ratio = sum
            .ratio
            .map(|r| format!("（{}倍）", crate::format::number::trim_decimals(r, 2)))
            .unwrap_or_default();
        format!(
            "{}{suffix}の{}から{}{suffix}の{}へ{dir}{ratio}",
            sum.first_year,
            with_unit(sum.first_value, unit),
            sum.last_year,
            with_unit(sum.last_value, unit)
        )
    };
    if let (Some(ty), Some(tv)) = (sum.target_year, sum.target_value) {
        t.push_str(&format!("。目標は{ty}{suffix}に{}", with_unit(tv, unit)));
        if let Some(g) = sum.required_growth {
            t.push_str(&format!("（年率{}の伸びが必要）", percent(g)));
        }
    }
    t
}

fn first_sentence(text: &str, fallback: &str) -> String {
    let s: String = text
        .split_inclusive('。')
        .next()
        .unwrap_or("")
        .chars()
        .take(120)
        .collect();
    if s.trim().is_empty() {
        fallback.to_string()
    } else {
        s.trim().to_string()
    }
}

/// Index heading of a glossary term: A–Z for Latin titles, the 五十音 row for Japanese ones.
pub fn index_head(title: &str, reading: Option<&str>) -> (u8, String) {
    let first = crate::format::nfkc(title).chars().next().unwrap_or('#');
    if first.is_ascii_alphabetic() {
        return (0, first.to_ascii_uppercase().to_string());
    }
    if first.is_ascii_digit() {
        return (0, "0–9".into());
    }
    let kana = reading.and_then(|r| r.chars().next()).unwrap_or(first);
    (1, gojuon_row(kana).to_string())
}

fn sort_key(title: &str, reading: Option<&str>) -> (u8, String, String) {
    let (script, head) = index_head(title, reading);
    let key = if script == 0 {
        crate::format::nfkc(title).to_lowercase()
    } else {
        reading.unwrap_or(title).to_string()
    };
    (script, head, key)
}

/// The 五十音 row (あ, か, さ, ...) of a kana.
pub fn gojuon_row(c: char) -> char {
    // Katakana to hiragana.
    let c = if ('\u{30A1}'..='\u{30F6}').contains(&c) {
        char::from_u32(c as u32 - 0x60).unwrap_or(c)
    } else {
        c
    };
    const ROWS: [(char, &str); 10] = [
        ('あ', "ぁあぃいぅうゔぇえぉお"),
        ('か', "かがきぎくぐけげこご"),
        ('さ', "さざしじすずせぜそぞ"),
        ('た', "ただちぢっつづてでとど"),
        ('な', "なにぬねの"),
        ('は', "はばぱひびぴふぶぷへべぺほぼぽ"),
        ('ま', "まみむめも"),
        ('や', "ゃやゅゆょよ"),
        ('ら', "らりるれろ"),
        ('わ', "ゎわゐゑをん"),
    ];
    ROWS.iter()
        .find(|(_, set)| set.contains(c))
        .map_or('他', |(r, _)| *r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_relative() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("policies/x/index.html"), "../../");
    }

    #[test]
    fn gojuon_rows() {
        assert_eq!(gojuon_row('で'), 'た');
        assert_eq!(gojuon_row('デ'), 'た');
        assert_eq!(gojuon_row('さ'), 'さ');
        assert_eq!(index_head("IMDRF", None), (0, "I".into()));
        assert_eq!(
            index_head("デバイスラグ", Some("でばいすらぐ")),
            (1, "た".into())
        );
    }

    #[test]
    fn plain_text_strips_tags() {
        assert_eq!(plain_text("<p>a &amp; <b>b</b>c</p>\n<p>d</p>"), "a & bc d");
    }
}
