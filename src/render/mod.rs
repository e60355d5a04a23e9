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
pub mod kpi_text;
pub mod lineage;
pub mod links;
pub mod lists;
pub mod page;
pub mod pager;
pub mod plan_map;
pub mod relations;
pub mod search;
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
use cache::{RenderCache, Signatures};
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

/// Renders the whole site. Returns the files, or the diagnostics that stopped it.
pub fn render_site(
    site: &Site<'_>,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<(Vec<OutFile>, RenderStats), Vec<Diagnostic>> {
    let cx = Cx::new(site, theme, opts);
    let t = std::time::Instant::now();
    let sigs = opts
        .cache
        .as_ref()
        .map(|_| Signatures::new(site, theme.fingerprint, opts.live_reload));
    let jobs: Vec<Job> = [ListPage::Index, ListPage::NotFound]
        .into_iter()
        .map(Job::List)
        .chain((0..site.entries.len()).map(|i| Job::Entity(NodeId(i as u32))))
        .chain(ListPage::ALL[2..].iter().map(|l| Job::List(*l)))
        .chain((0..cx.comparisons.len()).map(Job::Compare))
        .chain((0..site.corpus.plans.len()).map(Job::PlanMap))
        .collect();
    let results: Vec<Result<Vec<Made>, Diagnostic>> = jobs
        .par_iter()
        .map(|j| render_job(&cx, *j, sigs.as_ref()))
        .collect();
    let mut files = Vec::with_capacity(results.len() + 64);
    let mut errors = Vec::new();
    // When each page was last revised: for the sitemap and the feed.
    let mut dates: BTreeMap<String, JpDate> = BTreeMap::new();
    for r in results {
        match r {
            Ok(made) => {
                for (f, d) in made {
                    if let Some(d) = d {
                        dates.insert(f.path.clone(), d);
                    }
                    files.push(f);
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        errors.extend(collisions(site, &files));
    }

    if !errors.is_empty() {
        errors.sort_by(|a, b| a.message.cmp(&b.message));
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(errors);
    }
    let t = crate::trace::stage("pages", t);
    let mut stats = RenderStats {
        pages: files.len(),
        source_links: files
            .iter()
            .map(|f| count(&f.bytes, b"class=\"src\""))
            .sum(),
        ..Default::default()
    };
    files.extend(data_files::kpi_files(&site.corpus.kpis));
    let t = crate::trace::stage("data files", t);
    let (shards, bytes) = search_index(&cx);
    stats.search_index_bytes = bytes;
    files.extend(shards);
    let t = crate::trace::stage("search index", t);
    files.push(OutFile {
        path: "static/highlight.css".into(),
        bytes: crate::markdown::highlight_css().into_bytes().into(),
    });
    for (name, bytes) in &theme.statics {
        files.push(OutFile {
            path: format!("static/{name}"),
            bytes: bytes.as_slice().into(),
        });
    }
    // Old addresses last: each must be free of every other file of the site.
    files.extend(aliases::redirects(&cx, &files)?);
    if let Some(base) = site.corpus.config.base_url() {
        let redirects = aliases::redirect_paths(site);
        let pages: Vec<&str> = files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| !redirects.contains(*p))
            .collect();
        let feeds = feeds::feeds(&cx, &base, &pages, &dates).map_err(|d| vec![d])?;
        files.extend(feeds);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    crate::trace::stage("statics, feeds, sort", t);
    stats.files = files.len();
    Ok((files, stats))
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(hay, needle).count()
}

/// A page made by a job, and when it was last revised.
type Made = (OutFile, Option<JpDate>);

/// The pages of one job: taken from the cache when their signature is unchanged, else
/// rendered.
fn render_job(cx: &Cx<'_>, job: Job, sigs: Option<&Signatures>) -> Result<Vec<Made>, Diagnostic> {
    match job {
        Job::Entity(n) => entity_job(cx, n, sigs).map(|m| vec![m]),
        Job::List(l) => list_job(cx, l, sigs),
        Job::Compare(i) => page_job(cx, compare::page(cx, &cx.comparisons[i])?, sigs),
        Job::PlanMap(i) => page_job(cx, plan_map::page(cx, &cx.site.corpus.plans[i])?, sigs),
    }
}

/// A page made from the whole model (a comparison, a map), keyed in watch mode by its data.
fn page_job(
    cx: &Cx<'_>,
    p: page::Page,
    sigs: Option<&Signatures>,
) -> Result<Vec<Made>, Diagnostic> {
    let cache = cx.opts.cache.as_deref();
    let sig = cache.map(|_| {
        let data = p.data.clone().into_json().to_string();
        fx(&(
            cx.theme.fingerprint,
            s_global(sigs),
            p.template,
            &p.path,
            data,
        ))
    });
    if let (Some(c), Some(sig)) = (cache, sig) {
        if let Some(bytes) = c.page(&p.path, sig) {
            return Ok(vec![(
                OutFile {
                    path: p.path,
                    bytes,
                },
                p.updated,
            )]);
        }
    }
    let file = page::finish(&p, cx)?;
    if let (Some(c), Some(sig)) = (cache, sig) {
        c.put_page(&file.path, sig, file.bytes.clone());
    }
    Ok(vec![(file, p.updated)])
}

/// An entity page, keyed in watch mode by everything it is made from.
fn entity_job(cx: &Cx<'_>, n: NodeId, sigs: Option<&Signatures>) -> Result<Made, Diagnostic> {
    let cache = cx.opts.cache.as_deref();
    let site = cx.site;
    let date = site.updated(n);
    let e = site.entry(n);
    let path = page_path(e.kind(), e.slug());
    let sig = sigs.map(|s| s.page(site, n, &kpi_group(cx, n)));
    if let (Some(c), Some(sig)) = (cache, sig) {
        if let Some(bytes) = c.page(&path, sig) {
            return Ok((OutFile { path, bytes }, date));
        }
    }
    let page = e.render(cx)?;
    let file = page::finish(&page, cx)?;
    if let (Some(c), Some(sig)) = (cache, sig) {
        c.put_page(&file.path, sig, file.bytes.clone());
    }
    Ok((file, date))
}

/// The pages of a list. In watch mode, a list made only from front matter (and dates) is
/// keyed by them before it is made; the others by the data of their pages.
fn list_job(cx: &Cx<'_>, l: ListPage, sigs: Option<&Signatures>) -> Result<Vec<Made>, Diagnostic> {
    let cache = cx.opts.cache.as_deref();
    let early = sigs
        .filter(|_| l.front_matter_only())
        .map(|s| fx(&(s.global, l.path(), s.front)));
    if let (Some(c), Some(sig)) = (cache, early) {
        if let Some(made) = c.list(l.path(), sig) {
            return Ok(made);
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
                        p.data.clone().into_json().to_string(),
                        p.updated.map(|d| d.iso()),
                    )
                })
                .collect();
            fx(&(cx.theme.fingerprint, s_global(sigs), data))
        })
    });
    if let (Some(c), Some(sig)) = (cache, sig) {
        if let Some(made) = c.list(l.path(), sig) {
            return Ok(made);
        }
    }
    let made = pages
        .iter()
        .map(|p| Ok((page::finish(p, cx)?, p.updated)))
        .collect::<Result<Vec<Made>, Diagnostic>>()?;
    if let (Some(c), Some(sig)) = (cache, sig) {
        c.put_list(l.path(), sig, made.clone());
    }
    Ok(made)
}

fn s_global(sigs: Option<&Signatures>) -> u64 {
    sigs.map_or(0, |s| s.global)
}

/// Two pages at one path: an entity whose address is also a list page's (a policy with the
/// slug `by-plan`, `page`, ...). Reported at the entity's slug (or its first line).
fn collisions(site: &Site<'_>, files: &[OutFile]) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for f in files {
        if seen.insert(f.path.as_str()) {
            continue;
        }
        let owner = site
            .entries
            .iter()
            .find(|e| page_path(e.kind(), e.slug()) == f.path);
        let d = match owner {
            Some(e) => {
                let (line, col) = e.position("slug");
                Diagnostic::error(
                    "E007",
                    e.path(),
                    format!(
                        "the page of this {} would be at `{}`, which is also a list page's address",
                        e.kind(),
                        f.path.trim_end_matches("index.html")
                    ),
                )
                .at(line, col)
                .hint("give it another `slug` (list pages use `page`, `by-organisation`, `by-plan` and `by-pillar`)")
            }
            None => Diagnostic::error(
                "E007",
                "content",
                format!("two pages would be written at `{}`", f.path),
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

/// The search index shards; each is rebuilt only when its documents changed (watch mode).
fn search_index(cx: &Cx<'_>) -> (Vec<OutFile>, usize) {
    let docs = search::documents(cx);
    let k = search::shard_count(docs.len());
    let shards = search::shard_docs(&docs, k);
    let made: Vec<(String, String)> = shards
        .par_iter()
        .enumerate()
        .map(|(i, shard)| {
            let js = match cx.opts.cache.as_deref() {
                Some(c) => c.search_shard(i, fx(&(k, shard)), || search::index_js(shard)),
                None => search::index_js(shard),
            };
            (search::shard_path(i), js)
        })
        .collect();
    let bytes = made.iter().map(|(_, js)| js.len()).sum();
    let files = made
        .into_iter()
        .map(|(path, js)| OutFile {
            path,
            bytes: js.into_bytes().into(),
        })
        .collect();
    (files, bytes)
}
