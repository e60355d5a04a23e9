//! Drives the pipeline: load → resolve → render → write.

use crate::content::{load, Corpus};
use crate::diag::{self, Diagnostic};
use crate::output::{OutFile, Output};
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

/// The output folder for these options.
pub fn out_dir(opts: &BuildOptions, corpus: &Corpus) -> PathBuf {
    opts.out
        .clone()
        .unwrap_or_else(|| opts.root.join(&corpus.config.output_dir))
}

/// Builds the site and writes it atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let t0 = Instant::now();
    let (corpus, mut graph, warnings, mut timings) = check(&opts.root, opts.base_url.as_deref())?;
    let out = Output::new(out_dir(opts, &corpus));
    out.check().map_err(|d| vec![d])?;
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
        out_dir: out.dir,
        timings,
        stats,
        warnings,
    })
}
