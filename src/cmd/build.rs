//! `seisaku build`: the site written into its output folder, and a summary line.

use super::{failed, report};
use crate::cli::Format;
use seisaku::build::{self, BuildOptions, BuildReport};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(
    root: PathBuf,
    out: Option<PathBuf>,
    base_url: Option<String>,
    format: Format,
    force: bool,
) -> ExitCode {
    let opts = BuildOptions {
        root,
        out,
        base_url,
        force,
        render: seisaku::render::RenderOptions {
            exits_after: true,
            ..Default::default()
        },
    };
    match build::build(&opts) {
        Ok(r) => {
            report(&r.warnings, format);
            if format == Format::Human {
                eprintln!("{}", summary(&r));
            }
            ExitCode::SUCCESS
        }
        Err(diags) => failed(&diags, format),
    }
}

/// `built 520 pages (663 files) into ./public in 290 ms (load …); 643 glossary links, …`
fn summary(r: &BuildReport) -> String {
    let t = &r.timings;
    let (rs, ps) = (&r.stats.resolve, &r.stats.render);
    format!(
        "built {} pages ({} files) into {} in {:.0} ms (load {:.0}, resolve {:.0} [markdown {:.0}], render {:.0}, write {:.0}); {} glossary links, {} backlinks, {} source links, search index {} KB",
        ps.pages,
        ps.files,
        r.out_dir.display(),
        t.total_ms,
        t.load_ms,
        t.resolve_ms,
        rs.markdown_ms,
        t.render_ms,
        t.write_ms,
        rs.autolinks,
        rs.backlinks,
        ps.source_links,
        ps.search_index_bytes / 1024
    )
}
