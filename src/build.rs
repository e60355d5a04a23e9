//! Drives the pipeline: load → resolve → render → write. `check` runs every stage but the
//! last, `stats` the first two; all of them share the same model.

use crate::content::load;
use crate::diag::{self, Diagnostic};
use crate::output::{self, OutFile, Output};
use crate::registry::Corpus;
use crate::render::cache::RenderCache;
use crate::render::theme::{self, Theme};
use crate::render::{render_site, render_site_into, RenderOptions, RenderStats, Sink};
use crate::resolve::ResolveCache;
use crate::resolve::{resolve, ResolveStats};
use crate::site::Site;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Where and how to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides site.toml's output_dir (relative to the current directory when given).
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Replace an output folder that holds files seisaku did not write.
    pub force: bool,
    pub render: RenderOptions,
}

/// Time per stage, in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub load_ms: f64,
    pub resolve_ms: f64,
    pub render_ms: f64,
    pub write_ms: f64,
    pub total_ms: f64,
}

/// Counts of the whole build, for its summary line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Entities per kind, by output folder name.
    pub kinds: Vec<(&'static str, usize)>,
    #[serde(flatten)]
    pub resolve: ResolveStats,
    #[serde(flatten)]
    pub render: RenderStats,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildReport {
    pub out_dir: PathBuf,
    pub timings: Timings,
    pub stats: Counts,
    pub warnings: Vec<Diagnostic>,
}

/// Work kept between builds in watch mode.
#[derive(Default)]
pub struct Caches {
    /// Parsed source files.
    pub parsed: crate::content::load::ParseCache,
    pub resolve: ResolveCache,
    pub pages: Arc<RenderCache>,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// The load stage: the corpus, or every error found.
pub fn load(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(Corpus, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_with(root, base_url, None)
}

/// [`load`] reusing the parsed files of `cache` that did not change.
fn load_with(
    root: &Path,
    base_url: Option<&str>,
    cache: Option<&load::ParseCache>,
) -> Result<(Corpus, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (corpus, mut diags) = load::load_cached(root, cache);
    let Some(mut corpus) = corpus else {
        diag::sort(&mut diags);
        return Err(diags);
    };
    if let Some(b) = base_url {
        corpus.config.base_url = Some(b.to_string());
    }
    Ok((corpus, diags))
}

/// The resolve stage on a loaded corpus: the site model, or every error found.
pub fn resolved<'c>(
    corpus: &'c Corpus,
    mut diags: Vec<Diagnostic>,
    bodies: Option<&ResolveCache>,
) -> Result<(Site<'c>, Vec<Diagnostic>, ResolveStats), Vec<Diagnostic>> {
    let (site, rdiags, stats) = resolve(corpus, bodies);
    diags.extend(rdiags);
    diag::sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((site, diags, stats))
}

/// The render stage: every file of the site in memory, the seeds included.
pub fn render(
    site: &Site<'_>,
    opts: &RenderOptions,
) -> Result<(Vec<OutFile>, RenderStats), Vec<Diagnostic>> {
    render_with(site, &*corpus_theme(site.corpus, opts)?, opts)
}

/// The theme the site names (in watch mode, the one compiled before if its files are the same).
fn corpus_theme(corpus: &Corpus, opts: &RenderOptions) -> Result<Arc<Theme>, Vec<Diagnostic>> {
    let cfg = &corpus.config;
    let t = Instant::now();
    let theme = theme::load_cached(
        &corpus.root,
        &cfg.theme,
        &cfg.language,
        opts.cache.as_deref(),
    );
    crate::trace::stage("theme", t);
    theme
}

/// The resolve stage and, beside it (it needs only the loaded corpus), the theme compiled and
/// `beside` run: both are ready when the model is. Resolve's errors come first, then the
/// theme's.
fn resolved_and_theme<'c, B: Send>(
    corpus: &'c Corpus,
    diags: Vec<Diagnostic>,
    caches: Option<&ResolveCache>,
    opts: &RenderOptions,
    beside: impl FnOnce() -> B + Send,
) -> (ResolvedWithTheme<'c>, B) {
    let (resolved, (theme, b)) = rayon::join(
        || resolved(corpus, diags, caches),
        || (corpus_theme(corpus, opts), beside()),
    );
    let r = resolved.and_then(|(site, warnings, stats)| Ok((site, warnings, stats, theme?)));
    (r, b)
}

/// The site model, its warnings and counts, and the theme to render it with.
type ResolvedWithTheme<'c> =
    Result<(Site<'c>, Vec<Diagnostic>, ResolveStats, Arc<Theme>), Vec<Diagnostic>>;

/// [`render`] with the theme loaded.
fn render_with(
    site: &Site<'_>,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<(Vec<OutFile>, RenderStats), Vec<Diagnostic>> {
    let t = Instant::now();
    let cfg = &site.corpus.config;
    let (mut files, stats) = render_site(site, theme, opts)?;
    let t = crate::trace::stage("render site", t);
    files.extend(seed_files(site));
    // The offline archive is made by `build` only; pages served in watch mode do not link it.
    if cfg.offline_archive && !opts.live_reload {
        files.push(crate::archive::zip_site(&files).map_err(|d| vec![d])?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    crate::trace::stage("seeds, archive, sort", t);
    Ok((files, stats))
}

/// The original documents travel with the site, for readers who want the whole text.
fn seed_files<'s>(site: &'s Site<'_>) -> impl Iterator<Item = OutFile> + 's {
    site.corpus.seeds.values().map(|seed| OutFile {
        path: format!("seeds/{}", seed.file),
        bytes: seed.lines.join("\n").into_bytes().into(),
    })
}

/// The render stage into `sink`, file by file (the seeds included; without the offline
/// archive, which needs every file at once).
fn render_into(
    site: &Site<'_>,
    theme: &Theme,
    opts: &RenderOptions,
    sink: &Sink<'_>,
) -> Result<RenderStats, Vec<Diagnostic>> {
    let stats = render_site_into(site, theme, opts, sink)?;
    for f in seed_files(site) {
        sink(f).map_err(|d| vec![d])?;
    }
    Ok(stats)
}

/// Everything `build` does except writing: load, resolve, the output location, the theme and
/// every page rendered in memory. It fails exactly where `build` would, apart from what the
/// output folder holds (see `--force`).
pub fn check(opts: &BuildOptions) -> Result<(Counts, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (corpus, diags) = load(&opts.root, opts.base_url.as_deref())?;
    let out = output(opts, &corpus).map_err(|d| vec![d])?;
    out.check().map_err(|d| vec![d])?;
    let (resolved, ()) = resolved_and_theme(&corpus, diags, None, &opts.render, || ());
    let (site, warnings, rstats, theme) = resolved?;
    // Every file made, none kept.
    let stats = render_into(&site, &theme, &opts.render, &|_| Ok(()))?;
    if site.corpus.config.offline_archive {
        // The archive's own checks run on the files.
        render_with(&site, &theme, &opts.render)?;
    }
    Ok((counts(&corpus, rstats, stats), warnings))
}

/// A site built in memory: its files, counts, warnings and stage times.
pub struct InMemory {
    pub files: Vec<OutFile>,
    pub counts: Counts,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
}

/// Builds in memory (watch mode, with its caches). `made` is given the site as soon as it is
/// made; with `opts.defer_search` that is without its search index, which is then made from
/// the same model and returned (no files are returned otherwise), unless the render cache was
/// interrupted meanwhile (`None`: the sources changed again).
pub fn build_files(
    root: &Path,
    base_url: Option<&str>,
    opts: &RenderOptions,
    caches: Option<&Caches>,
    made: impl FnOnce(InMemory),
) -> Result<Option<Vec<OutFile>>, Vec<Diagnostic>> {
    let mut t = Timings::default();
    let t0 = Instant::now();
    let (corpus, diags) = load_with(root, base_url, caches.map(|c| &c.parsed))?;
    t.load_ms = ms(t0);
    let t1 = Instant::now();
    let (resolved, ()) =
        resolved_and_theme(&corpus, diags, caches.map(|c| &c.resolve), opts, || ());
    let (site, warnings, rstats, theme) = resolved?;
    t.resolve_ms = ms(t1);
    let t2 = Instant::now();
    let (files, stats) = render_with(&site, &theme, opts)?;
    t.render_ms = ms(t2);
    crate::trace::phrase_breaks();
    crate::trace::templates();
    t.total_ms = ms(t0);
    made(InMemory {
        files,
        counts: counts(&corpus, rstats, stats),
        warnings,
        timings: t,
    });
    if !opts.defer_search {
        return Ok(Some(Vec::new()));
    }
    let t3 = Instant::now();
    let files = crate::render::search_files(&site, &theme, opts).map(|(files, _)| files);
    crate::trace::stage("search index (deferred)", t3);
    Ok(files)
}

/// The output folder for these options, as given.
pub fn out_dir(opts: &BuildOptions, corpus: &Corpus) -> PathBuf {
    opts.out
        .clone()
        .unwrap_or_else(|| opts.root.join(&corpus.config.output_dir))
}

/// The output folder for these options, with links resolved, refused when a build must never
/// replace it (the sources, the site root or a parent of them, a filesystem root, the home
/// or the current folder), whatever the flags.
pub fn output(opts: &BuildOptions, corpus: &Corpus) -> Result<Output, Diagnostic> {
    let given = out_dir(opts, corpus);
    let resolve = |p: &Path| {
        output::resolve(p).map_err(|e| {
            Diagnostic::error("E031", p, format!("cannot resolve the path: {e}"))
                .hint("check that the current folder still exists")
        })
    };
    let dir = resolve(&given)?;
    let root = resolve(&opts.root)?;
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| output::resolve(&c).ok());
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .and_then(|h| output::resolve(Path::new(&h)).ok());
    let Some(why) = output::forbidden(&dir, &root, cwd.as_deref(), home.as_deref()) else {
        return Ok(Output::named(dir, given));
    };
    let always =
        "a build replaces the whole output folder, so this one is refused even with --force";
    Err(match &opts.out {
        Some(out) => Diagnostic::error(
            "E033",
            out,
            format!("refusing to build into `{}`: {why}", out.display()),
        )
        .hint(format!(
            "choose a folder of its own, such as --out public; {always}"
        )),
        None => Diagnostic::error(
            "E033",
            "site.toml",
            format!(
                "output_dir `{}` is refused: {why}",
                corpus.config.output_dir
            ),
        )
        .at(crate::config::key_line(&opts.root, "output_dir"), 1)
        .hint(format!(
            "set output_dir to a folder of its own, such as \"public\"; {always}"
        )),
    })
}

/// Builds the site and writes it atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let t0 = Instant::now();
    let (corpus, diags) = load(&opts.root, opts.base_url.as_deref())?;
    let mut timings = Timings {
        load_ms: ms(t0),
        ..Default::default()
    };
    let out = output(opts, &corpus).map_err(|d| vec![d])?;
    out.check().map_err(|d| vec![d])?;
    // Held until the new site is in place: a second build of this output waits here.
    let _lock = out.lock().map_err(|d| vec![d])?;
    let t1 = Instant::now();
    let archive = corpus.config.offline_archive;
    // While the model is made: the output checked to be seisaku's to replace and, without the
    // archive, the previous tree listed. Nothing is replaced before the model is ready.
    let (resolved, tree) = resolved_and_theme(&corpus, diags, None, &opts.render, || {
        if !opts.force {
            out.check_owned()?;
        }
        (!archive).then(|| out.begin()).transpose()
    });
    // An output that is not seisaku's is reported first, as nothing could be written there.
    let tree = tree.map_err(|d| vec![d])?;
    let (site, warnings, rstats, theme) = match resolved {
        Ok(r) => r,
        Err(d) => {
            if let Some(tree) = tree {
                tree.abandon();
            }
            return Err(d);
        }
    };
    timings.resolve_ms = ms(t1);
    let t2 = Instant::now();
    let stats = if let Some(tree) = tree {
        // Each file is written (or found unchanged) as soon as it is made, so memory holds the
        // model and the pages in flight.
        let put_ns = std::sync::atomic::AtomicU64::new(0);
        let rendered = render_into(&site, &theme, &opts.render, &|f| {
            let t = Instant::now();
            let r = tree.put(f);
            put_ns.fetch_add(
                t.elapsed().as_nanos() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            r
        });
        let put_ms = put_ns.into_inner() as f64 / 1e6;
        let stats = match rendered {
            Ok(s) => s,
            Err(d) => {
                tree.abandon();
                return Err(d);
            }
        };
        // Render includes the writes made as pages come; write is their summed time plus
        // the completion of the tree.
        timings.render_ms = ms(t2);
        let t3 = Instant::now();
        tree.finish().map_err(|d| vec![d])?;
        timings.write_ms = put_ms + ms(t3);
        stats
    } else {
        // The archive is made from every file: the site is rendered in memory, then written.
        let (files, stats) = render_with(&site, &theme, &opts.render)?;
        timings.render_ms = ms(t2);
        let t3 = Instant::now();
        out.write_all(&files).map_err(|d| vec![d])?;
        timings.write_ms = ms(t3);
        stats
    };
    crate::trace::phrase_breaks();
    crate::trace::templates();
    timings.total_ms = ms(t0);
    let report = BuildReport {
        out_dir: out_dir(opts, &corpus),
        timings,
        stats: counts(&corpus, rstats, stats),
        warnings,
    };
    if opts.render.exits_after {
        std::mem::forget(site);
        std::mem::forget(theme);
        std::mem::forget(corpus);
    }
    Ok(report)
}

fn counts(corpus: &Corpus, resolve: ResolveStats, render: RenderStats) -> Counts {
    Counts {
        kinds: crate::registry::Kind::ALL
            .iter()
            .map(|k| (k.folder(), corpus.count(*k)))
            .collect(),
        resolve,
        render,
    }
}
