//! Drives the pipeline: load → resolve → render → write.

use crate::content::{load, Corpus};
use crate::diag::{self, Diagnostic};
use crate::output::{self, OutFile, Output};
use crate::render::pages::{render_site, RenderOptions, RenderStats};
use crate::render::theme;
use crate::resolve::{resolve, Graph};
use serde::Serialize;
use std::path::{Path, PathBuf};
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

#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildReport {
    pub out_dir: PathBuf,
    pub timings: Timings,
    pub stats: RenderStats,
    pub warnings: Vec<Diagnostic>,
}

/// Loads and resolves everything: what `check` does, and the first half of `build`.
pub fn check(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(Corpus, Graph, Vec<Diagnostic>, Timings), Vec<Diagnostic>> {
    let mut t = Timings::default();
    let t0 = Instant::now();
    let (corpus, mut diags) = load::load(root);
    t.load_ms = ms(t0);
    let Some(mut corpus) = corpus else {
        diag::sort(&mut diags);
        return Err(diags);
    };
    if let Some(b) = base_url {
        corpus.config.base_url = Some(b.to_string());
    }
    let t1 = Instant::now();
    let (graph, rdiags) = resolve(&corpus);
    t.resolve_ms = ms(t1);
    diags.extend(rdiags);
    diag::sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((corpus, graph, diags, t))
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Renders a checked corpus to files in memory.
pub fn render(
    corpus: &Corpus,
    graph: &mut Graph,
    opts: &RenderOptions,
) -> Result<(Vec<OutFile>, RenderStats), Vec<Diagnostic>> {
    let theme = theme::load(&corpus.root, &corpus.config.theme)?;
    let (mut files, stats) = render_site(corpus, graph, &theme, opts)?;
    // The original documents travel with the site, for readers who want the whole text.
    for seed in corpus.seeds.values() {
        files.push(OutFile {
            path: format!("seeds/{}", seed.file),
            bytes: seed.lines.join("\n").into_bytes().into(),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, stats))
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

/// Everything `build` does except writing: load, resolve, the output location, the theme and
/// every page rendered in memory. Fails exactly where `build` would, apart from what the
/// output folder holds (see `--force`).
pub fn verify(opts: &BuildOptions) -> Result<(Corpus, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (corpus, mut graph, warnings, _) = check(&opts.root, opts.base_url.as_deref())?;
    let out = output(opts, &corpus).map_err(|d| vec![d])?;
    out.check().map_err(|d| vec![d])?;
    render(&corpus, &mut graph, &opts.render)?;
    Ok((corpus, warnings))
}

/// Builds the site and writes it atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let t0 = Instant::now();
    let (corpus, mut graph, warnings, mut timings) = check(&opts.root, opts.base_url.as_deref())?;
    let out = output(opts, &corpus).map_err(|d| vec![d])?;
    out.check().map_err(|d| vec![d])?;
    // Held until the new site is in place: a second build of this output waits here.
    let _lock = out.lock().map_err(|d| vec![d])?;
    if !opts.force {
        out.check_owned().map_err(|d| vec![d])?;
    }
    let t1 = Instant::now();
    let (mut files, stats) = render(&corpus, &mut graph, &opts.render)?;
    if corpus.config.offline_archive {
        files.push(crate::archive::zip_site(&files, &corpus.config.title).map_err(|d| vec![d])?);
    }
    timings.render_ms = ms(t1);
    let t2 = Instant::now();
    out.write_all(&files).map_err(|d| vec![d])?;
    timings.write_ms = ms(t2);
    timings.total_ms = ms(t0);
    Ok(BuildReport {
        out_dir: out_dir(opts, &corpus),
        timings,
        stats,
        warnings,
    })
}
