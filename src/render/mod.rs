//! The render stage: every page of the site, from the resolved [`Site`], as a pure function
//! of it. Entity pages come from their kind's view ([`views`]), list pages from [`lists`],
//! KPI data files from [`data_files`], the search index from [`search`], sitemap and feed
//! from [`feeds`]; pages render in parallel and watch mode reuses unchanged ones ([`cache`]).

pub mod aliases;
pub mod budgets;
pub mod cache;
pub mod chart;
pub mod compare;
pub mod context;
pub mod dashboard;
pub mod data_files;
pub mod feeds;
pub mod funding;
pub mod glossary_index;
pub mod html;
pub mod kpi_text;
pub mod lineage;
pub mod links;
pub mod lists;
pub mod page;
pub mod pager;
pub mod plan_map;
pub mod relations;
pub mod search;
pub mod shared;
pub mod strings;
pub mod theme;
pub mod timeline;
pub mod views;

use crate::diag::Diagnostic;
use crate::format::date::JpDate;
use crate::format::hash::fx;
use crate::output::OutFile;
use crate::registry::Kind;
use crate::site::graph::NodeId;
use crate::site::{page_path, Site};
use cache::{job_key, JobKey, Made, RenderCache, Signatures};
use context::Cx;
use lists::ListPage;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use theme::Theme;

/// Options that differ between `build` and `serve`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Inject the live-reload client (serve mode only).
    pub live_reload: bool,
    /// Pages kept between rebuilds (serve mode).
    pub cache: Option<Arc<RenderCache>>,
    /// Leave the search index out of [`render_site`] and [`render_site_into`], to be made
    /// afterwards by [`search_files`] (serve mode, which serves the pages first; there is no
    /// offline archive in serve mode, which would need the index with the pages).
    pub defer_search: bool,
    /// The process ends right after the build: the model and what the render stage made for
    /// itself (links, cards, at 10,000 pages hundreds of thousands of template values) are
    /// left for the operating system to reclaim at exit instead of being freed piece by piece,
    /// on one thread, while the other core waits.
    pub exits_after: bool,
}

/// Counts for the build summary.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RenderStats {
    pub pages: usize,
    pub files: usize,
    pub source_links: usize,
    pub search_index_bytes: usize,
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Entity(NodeId),
    List(ListPage),
    /// The comparison of the `i`-th pair of plans.
    Compare(usize),
    /// The map of the `i`-th plan.
    PlanMap(usize),
}

/// Where rendered files go, from any thread: collected in memory, or written as they come.
pub type Sink<'s> = dyn Fn(OutFile) -> Result<(), Diagnostic> + Sync + 's;

/// Renders the whole site. Returns the files sorted by path (the first of two with the same
/// path kept), or the diagnostics that stopped it.
pub fn render_site(
    site: &Site<'_>,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<(Vec<OutFile>, RenderStats), Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::new());
    let stats = render_site_into(site, theme, opts, &|f| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    // Pages come in any order; a stable sort keeps the first of equal paths first.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    Ok((files, stats))
}

/// Renders the whole site into `sink`, each page as soon as it is made, so that a build holds
/// the site model and the pages in flight, not the whole site. Pages and the files of the
/// search index (unless deferred) come first, in any order, then data files, statics and
/// feeds (in that order).
pub fn render_site_into(
    site: &Site<'_>,
    theme: &Theme,
    opts: &RenderOptions,
    sink: &Sink<'_>,
) -> Result<RenderStats, Vec<Diagnostic>> {
    let t = std::time::Instant::now();
    let cx = Cx::new(site, theme, opts);
    let t = crate::trace::stage("render context", t);
    // The search index (unless deferred) is made beside the pages, from the same model: the
    // two share the cores, and neither waits at the other's steps that run on one.
    // Its files go to the sink as they are made, so that tens of megabytes of index are not
    // held until the last page is done.
    let (pages, index) = rayon::join(
        || render_pages(&cx, sink),
        || {
            (!opts.defer_search).then(|| {
                let made = search_index(&cx, &|| false, Some(sink));
                crate::trace::stage("search index (beside the pages)", t);
                // Made inline, the index is never given up.
                made.expect("an index never given up")
            })
        },
    );
    let Pages {
        mut paths,
        dates,
        source_links,
    } = pages?;
    let t = crate::trace::stage("pages", t);
    let mut stats = RenderStats {
        pages: paths.len(),
        source_links,
        ..Default::default()
    };
    let put = |paths: &mut Vec<String>, f: OutFile| -> Result<(), Vec<Diagnostic>> {
        paths.push(f.path.clone());
        sink(f).map_err(|d| vec![d])
    };
    for f in data_files::kpi_files(&site.corpus.kpis, opts.cache.as_deref()) {
        put(&mut paths, f)?;
    }
    let t = crate::trace::stage("data files", t);
    match index {
        Some(made) => {
            let made = made.map_err(|d| vec![d])?;
            stats.search_index_bytes = made.bytes;
            paths.extend(made.paths);
        }
        // Still files of the site: no old address may take their place.
        None => paths.extend(search::index_paths(site.entries.len())),
    }
    for f in statics(theme) {
        put(&mut paths, f)?;
    }
    let t = crate::trace::stage("search index", t);
    // Old addresses last: each must be free of every other file of the site.
    let redirect_files = aliases::redirects(&cx, &paths)?;
    let t = crate::trace::stage("redirects", t);
    let feed_files = match site.corpus.config.base_url() {
        Some(base) => {
            let redirects = aliases::redirect_paths(site);
            let mut pages: Vec<&str> = paths
                .iter()
                .map(String::as_str)
                .filter(|p| !redirects.contains(*p))
                .collect();
            pages.sort_unstable();
            pages.dedup();
            feeds::feeds(&cx, &base, &pages, &dates).map_err(|d| vec![d])?
        }
        None => Vec::new(),
    };
    for f in redirect_files.into_iter().chain(feed_files) {
        put(&mut paths, f)?;
    }
    paths.sort_unstable();
    paths.dedup();
    crate::trace::stage("statics, feeds", t);
    stats.files = paths.len();
    if opts.exits_after {
        std::mem::forget(cx);
    }
    Ok(stats)
}

/// What the pages stage hands on: the paths of the pages (in job order), when each was last
/// revised (for the sitemap and the feed), and how many source links they hold.
struct Pages {
    paths: Vec<String>,
    dates: BTreeMap<String, JpDate>,
    source_links: usize,
}

/// Every page of the site, rendered in parallel into `sink`; the diagnostics of every page
/// that failed, or of two pages at one path.
fn render_pages(cx: &Cx<'_>, sink: &Sink<'_>) -> Result<Pages, Vec<Diagnostic>> {
    let since = std::time::Instant::now();
    let site = cx.site;
    let sigs = cx
        .opts
        .cache
        .as_ref()
        .map(|_| Signatures::new(site, cx.theme.fingerprint, cx.opts.live_reload));
    crate::trace::stage("  signatures", since);
    let jobs: Vec<Job> = [ListPage::Index, ListPage::NotFound]
        .into_iter()
        .map(Job::List)
        .chain((0..site.entries.len()).map(|i| Job::Entity(NodeId(i as u32))))
        .chain(ListPage::ALL[2..].iter().map(|l| Job::List(*l)))
        .chain((0..cx.comparisons.len()).map(Job::Compare))
        .chain((0..site.corpus.plans.len()).map(Job::PlanMap))
        .collect();
    let source_links = std::sync::atomic::AtomicUsize::new(0);
    // The pages made from the whole model (lists, maps, comparisons) are the largest, each
    // made by one thread: they start first, so that no core is left idle waiting for one of
    // them at the end. Their results are put back in job order.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|i| matches!(jobs[*i], Job::Entity(_)));
    let mut results: Vec<(usize, Result<Vec<Written>, Diagnostic>)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|i| {
            let made = render_job(cx, jobs[i], sigs.as_ref()).and_then(|made| {
                let mut out = Vec::with_capacity(made.len());
                for m in made {
                    source_links.fetch_add(m.source_links, std::sync::atomic::Ordering::Relaxed);
                    out.push((m.file.path.clone(), m.updated));
                    sink(m.file)?;
                }
                Ok(out)
            });
            (i, made)
        })
        .collect();
    results.sort_by_key(|(i, _)| *i);
    let mut pages = Pages {
        paths: Vec::with_capacity(results.len() + 64),
        dates: BTreeMap::new(),
        source_links: 0,
    };
    let mut errors = Vec::new();
    for (_, r) in results {
        match r {
            Ok(made) => {
                for (path, date) in made {
                    if let Some(d) = date {
                        pages.dates.insert(path.clone(), d);
                    }
                    pages.paths.push(path);
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        errors.extend(collisions(site, &pages.paths));
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.message.cmp(&b.message));
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(errors);
    }
    pages.source_links = source_links.into_inner();
    Ok(pages)
}

/// The theme's static files and the highlighting style sheet.
fn statics(theme: &Theme) -> impl Iterator<Item = OutFile> + '_ {
    let css = OutFile {
        path: "static/highlight.css".into(),
        bytes: crate::markdown::highlight_css().into_bytes().into(),
    };
    std::iter::once(css).chain(theme.statics.iter().map(|(name, bytes)| OutFile {
        path: format!("static/{name}"),
        bytes: bytes::Bytes::copy_from_slice(bytes),
    }))
}

/// The path of a page given to the sink, and when it was last revised.
type Written = (String, Option<JpDate>);

/// The pages of one job: taken from the cache when their signature is unchanged, else
/// rendered.
fn render_job(cx: &Cx<'_>, job: Job, sigs: Option<&Signatures>) -> Result<Vec<Made>, Diagnostic> {
    match job {
        Job::Entity(n) => entity_job(cx, n, sigs).map(|m| vec![m]),
        Job::List(l) => list_job(cx, l, sigs),
        Job::Compare(i) => model_job(cx, job, sigs, || compare::page(cx, &cx.comparisons[i])),
        Job::PlanMap(i) => model_job(cx, job, sigs, || {
            plan_map::page(cx, &cx.site.corpus.plans[i])
        }),
    }
}

/// A page made from the front matter and links of the whole model (a comparison, a map):
/// in watch mode it is kept while no front matter, date or edge of the model changes, and
/// its data is not even gathered.
fn model_job(
    cx: &Cx<'_>,
    job: Job,
    sigs: Option<&Signatures>,
    make: impl FnOnce() -> Result<page::Page, Diagnostic>,
) -> Result<Vec<Made>, Diagnostic> {
    let cache = cx.opts.cache.as_deref();
    let name = format!("{job:?}");
    let key = job_key(JobKey::Named(&name));
    let sig = sigs.map(|s| fx(&(s.global, &name, s.front, s.edges)));
    if let (Some(c), Some(sig)) = (cache, sig) {
        if let Some(made) = c.made(key, sig) {
            return Ok(made.to_vec());
        }
    }
    let p = make()?;
    let updated = p.updated;
    let made = vec![Made::new(page::finish(p, cx)?, updated)];
    if let (Some(c), Some(sig)) = (cache, sig) {
        c.put(key, sig, &made);
    }
    Ok(made)
}

/// An entity page, keyed in watch mode by everything it is made from.
fn entity_job(cx: &Cx<'_>, n: NodeId, sigs: Option<&Signatures>) -> Result<Made, Diagnostic> {
    let cache = cx.opts.cache.as_deref();
    let site = cx.site;
    let date = site.updated(n);
    let e = site.entry(n);
    let key = job_key(JobKey::Entity(e.kind(), e.slug()));
    let sig = sigs.map(|s| s.page(site, n, &kpi_group(cx, n)));
    if let (Some(c), Some(sig)) = (cache, sig) {
        if let Some(m) = c.made(key, sig).and_then(|made| made.first().cloned()) {
            return Ok(m);
        }
    }
    let page = e.render(cx)?;
    let made = Made::new(page::finish(page, cx)?, date);
    if let (Some(c), Some(sig)) = (cache, sig) {
        c.put(key, sig, std::slice::from_ref(&made));
    }
    Ok(made)
}

/// The pages of a list. In watch mode, a list made only from front matter (and dates) is
/// keyed by them before it is made; the others by the data of their pages.
fn list_job(cx: &Cx<'_>, l: ListPage, sigs: Option<&Signatures>) -> Result<Vec<Made>, Diagnostic> {
    let cache = cx.opts.cache.as_deref();
    let key = job_key(JobKey::Named(l.path()));
    let early = sigs
        .filter(|_| l.front_matter_only())
        .map(|s| fx(&(s.global, l.path(), s.front)));
    if let (Some(c), Some(sig)) = (cache, early) {
        if let Some(made) = c.made(key, sig) {
            return Ok(made.to_vec());
        }
    }
    let pages = l.render(cx)?;
    let sig = early.or_else(|| {
        cache.map(|_| {
            let data: Vec<(&str, &str, String, Option<String>)> = pages
                .iter()
                .map(|p| {
                    (
                        p.template,
                        p.path.as_str(),
                        p.data_text(),
                        p.updated.map(|d| d.iso()),
                    )
                })
                .collect();
            fx(&(cx.theme.fingerprint, s_global(sigs), data))
        })
    });
    if let (Some(c), Some(sig)) = (cache, sig) {
        if let Some(made) = c.made(key, sig) {
            return Ok(made.to_vec());
        }
    }
    let made = pages
        .into_iter()
        .map(|p| {
            let updated = p.updated;
            Ok(Made::new(page::finish(p, cx)?, updated))
        })
        .collect::<Result<Vec<Made>, Diagnostic>>()?;
    if let (Some(c), Some(sig)) = (cache, sig) {
        c.put(key, sig, &made);
    }
    Ok(made)
}

fn s_global(sigs: Option<&Signatures>) -> u64 {
    sigs.map_or(0, |s| s.global)
}

/// Two pages at one path: an entity whose address is also a list page's (a policy with the
/// slug `by-plan`, `page`, ...). Reported at the entity's slug (or its first line).
fn collisions(site: &Site<'_>, paths: &[String]) -> Vec<Diagnostic> {
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    for path in paths {
        if seen.insert(path.as_str()) {
            continue;
        }
        let owner = site
            .entries
            .iter()
            .find(|e| page_path(e.kind(), e.slug()) == *path);
        let d = match owner {
            Some(e) => {
                let (line, col) = e.position("slug");
                Diagnostic::error(
                    "E007",
                    e.path(),
                    format!(
                        "the page of this {} would be at `{}`, which is also a list page's address",
                        e.kind(),
                        path.trim_end_matches("index.html")
                    ),
                )
                .at(line, col)
                .hint("give it another `slug` (list pages use `page`, `by-organisation`, `by-plan` and `by-pillar`)")
            }
            None => Diagnostic::error(
                "E007",
                "content",
                format!("two pages would be written at `{path}`"),
            )
            .hint("give one of the entities another `slug`"),
        };
        out.push(d);
    }
    out
}

/// The other series drawn in the same chart as KPI `n` (none for other kinds).
fn kpi_group(cx: &Cx<'_>, n: NodeId) -> Vec<NodeId> {
    let e = cx.site.entry(n);
    if e.kind() != Kind::Kpi {
        return Vec::new();
    }
    let group = cx
        .site
        .get::<crate::content::KpiSeries>(e.id())
        .and_then(|k| k.data.group.as_deref());
    group
        .and_then(|g| cx.kpi_groups.get(g))
        .into_iter()
        .flatten()
        .filter_map(|id| cx.site.node(Kind::Kpi, id))
        .collect()
}

/// The files of the search index that [`RenderOptions::defer_search`] left out of the site,
/// made from the same model, theme and options, and their size in bytes; `None` when the
/// cache was interrupted meanwhile (watch mode: the sources changed again, and the next build
/// makes the index anew).
pub fn search_files(
    site: &Site<'_>,
    theme: &Theme,
    opts: &RenderOptions,
) -> Option<(Vec<OutFile>, usize)> {
    let cache = opts.cache.as_deref();
    let stop = || cache.is_some_and(|c| c.is_interrupted());
    // Kept, not given to a sink: making them cannot fail.
    let made = search_index(&Cx::new(site, theme, opts), &stop, None)?.ok()?;
    Some((made.kept, made.bytes))
}

/// The files of a search index: given to `sink` as each is made, or else kept, in order.
struct SearchFiles {
    kept: Vec<OutFile>,
    paths: Vec<String>,
    bytes: usize,
}

/// One file of the index made: its path, its size, and the file unless a sink took it.
type Emitted = Result<(String, usize, Option<OutFile>), Diagnostic>;

/// The search index: its layout script, document chunks and token shards, each file given to
/// `sink` as soon as it is made (or, without one, kept and returned). In watch mode a
/// document's tokens are kept by its content, and a chunk or token shard is re-serialised only
/// when what it holds changed. `None` when given up (`stop`).
fn search_index(
    cx: &Cx<'_>,
    stop: &dyn Fn() -> bool,
    sink: Option<&Sink<'_>>,
) -> Option<Result<SearchFiles, Diagnostic>> {
    // One file of the index: to the sink, or kept.
    let emit = |path: String, js: String| -> Emitted {
        let len = js.len();
        let file = OutFile {
            path: path.clone(),
            bytes: js.into_bytes().into(),
        };
        match sink {
            Some(sink) => sink(file).map(|()| (path, len, None)),
            None => Ok((path, len, Some(file))),
        }
    };
    let since = std::time::Instant::now();
    let docs = search::documents(cx);
    let t = search::token_shard_count(docs.len());
    let cache = cx.opts.cache.as_deref();
    let index = search::build_index_until(
        &docs,
        |d| match cache {
            Some(c) => c.doc_tokens(fx(&(t, &d.title, &d.text)), || search::doc_tokens(d, t)),
            None => search::doc_tokens(d, t),
        },
        stop,
    )?;
    let since = crate::trace::stage("  search: posting lists", since);
    // Given up between its steps too, so that the next rebuild waits for one step at most.
    if stop() {
        return None;
    }
    let k = index.starts.len();
    let chunks: Vec<Emitted> = (0..k)
        .into_par_iter()
        .map(|i| {
            let from = index.starts[i] as usize;
            let to = index
                .starts
                .get(i + 1)
                .map_or(index.docs.len(), |s| *s as usize);
            let docs = &index.docs[from..to];
            let path = search::shard_path(i);
            let js = match cache {
                Some(c) => c.search_shard(&path, fx(&(i, docs)), || search::chunk_js(i, docs)),
                None => search::chunk_js(i, docs),
            };
            emit(path, js)
        })
        .collect();
    let since = crate::trace::stage("  search: document chunks", since);
    if stop() {
        return None;
    }
    let meta = emit(
        search::META_PATH.to_string(),
        search::meta_js(t, &index.starts, &index.docs),
    );
    let since = crate::trace::stage("  search: layout", since);
    if stop() {
        return None;
    }
    // The pages' texts are dropped before the token shards are written, and each shard's
    // posting lists once written out, so that these are not all in memory at once.
    let postings = index.postings;
    drop(index.docs);
    drop(docs);
    let shards: Vec<Emitted> = postings
        .into_par_iter()
        .enumerate()
        .map(|(i, p)| {
            let path = search::token_shard_path(i);
            let js = match cache {
                Some(c) => c.search_shard(&path, postings_hash(i, &p), || {
                    search::token_shard_js(i, &p)
                }),
                None => search::token_shard_js(i, &p),
            };
            emit(path, js)
        })
        .collect();
    crate::trace::stage("  search: token shards", since);
    let mut made = SearchFiles {
        kept: Vec::new(),
        paths: Vec::new(),
        bytes: 0,
    };
    for file in std::iter::once(meta).chain(chunks).chain(shards) {
        let (path, len, kept) = match file {
            Ok(f) => f,
            Err(d) => return Some(Err(d)),
        };
        made.paths.push(path);
        made.bytes += len;
        made.kept.extend(kept);
    }
    Some(Ok(made))
}

/// A hash of a token shard's posting lists, independent of the map's order.
fn postings_hash(i: usize, p: &search::Postings) -> u64 {
    let mut sum = fx(&(i, p.len()));
    for (t, postings) in p {
        // Summed, so the order of the entries does not matter.
        sum = sum.wrapping_add(fx(&(t, postings)));
    }
    sum
}
