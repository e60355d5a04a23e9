//! The `seisaku` command.

use clap::{Parser, Subcommand, ValueEnum};
use seisaku::build::{self, BuildOptions};
use seisaku::diag::{self, Diagnostic};
use std::path::PathBuf;
use std::process::ExitCode;

/// A static site generator for policy documents.
#[derive(Parser, Debug)]
#[command(name = "seisaku", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build {
        /// Site root (the folder with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: site.toml's output_dir under the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Public address of the site; adds sitemap.xml, atom.xml and canonical links.
        #[arg(long)]
        base_url: Option<String>,
        /// Diagnostics format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Replace an output folder that holds files seisaku did not write.
        #[arg(long)]
        force: bool,
    },
    /// Build in memory, serve on 127.0.0.1, rebuild on every save and reload open pages.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only loopback unless you ask for another.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new site with one example of every kind.
    Init {
        /// Folder for the new site.
        dir: PathBuf,
        /// Write into a non-empty folder (never over an existing file).
        #[arg(long)]
        force: bool,
    },
    /// Add a source file: document, plan, pillar, goal, policy, kpi, organisation or term.
    New {
        kind: String,
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write JSON Schemas of site.toml and every content kind, and a Taplo configuration.
    Schema {
        #[arg(long, default_value = "schemas")]
        out: PathBuf,
    },
    /// Counts per kind and gaps: unused terms, unlinked KPIs, unsourced entities.
    Stats {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Run every stage of build (load, validate, resolve, render in memory); write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Diagnostics format: human, or JSON lines for editors and CI.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

fn report(diags: &[Diagnostic], format: Format) {
    match format {
        Format::Human => diag::print_human(diags),
        Format::Json => {
            for d in diags {
                println!("{}", d.to_json_line());
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            format,
            force,
        } => {
            let opts = BuildOptions {
                root,
                out,
                base_url,
                force,
                ..Default::default()
            };
            match build::build(&opts) {
                Ok(r) => {
                    report(&r.warnings, format);
                    if format == Format::Human {
                        let t = &r.timings;
                        let (rs, ps) = (&r.stats.resolve, &r.stats.render);
                        eprintln!(
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
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    report(&diags, format);
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => match seisaku::serve::serve(&seisaku::serve::ServeOptions {
            root,
            bind,
            port,
            open,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
        Command::Init { dir, force } => match seisaku::scaffold::init(&dir, force) {
            Ok(files) => {
                eprintln!(
                    "created a site with {} files in {}; next: cd {} && seisaku serve",
                    files.len(),
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
        Command::New {
            kind,
            id,
            title,
            root,
        } => {
            let Some(k) = seisaku::content::Kind::from_name(&kind) else {
                eprintln!(
                    "error: unknown kind `{kind}`; kinds are {}",
                    seisaku::content::Kind::names()
                );
                return ExitCode::from(2);
            };
            if let Err(e) = seisaku::scaffold::check_id(&id) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            match seisaku::scaffold::new_entity(&root, k, &id, title.as_deref()) {
                Ok((path, url)) => {
                    println!("{}", path.display());
                    println!("{url}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Schema { out } => {
            match seisaku::schema::write(&out) {
                Ok(files) => {
                    let taplo = seisaku::schema::taplo_config(&out.display().to_string());
                    let _ = std::fs::write(out.join("taplo.toml"), &taplo);
                    for f in files {
                        println!("{f}");
                    }
                    eprintln!("copy {}/taplo.toml to .taplo.toml at the site root to validate as you type", out.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: cannot write schemas: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Stats { root, format } => match seisaku::stats::stats(&root) {
            Ok(s) => {
                match format {
                    Format::Human => print!("{}", s.to_text()),
                    // Serialising plain data cannot fail.
                    Format::Json => println!("{}", serde_json::to_string_pretty(&s).expect("json")),
                }
                ExitCode::SUCCESS
            }
            Err(diags) => {
                report(&diags, format);
                ExitCode::from(1)
            }
        },
        Command::Check { root, format } => match build::check(&BuildOptions {
            root,
            ..Default::default()
        }) {
            Ok((counts, warnings)) => {
                report(&warnings, format);
                if format == Format::Human {
                    let counts: Vec<String> = counts
                        .kinds
                        .iter()
                        .map(|(k, n)| format!("{n} {k}"))
                        .collect();
                    eprintln!("ok: {}", counts.join(", "));
                }
                ExitCode::SUCCESS
            }
            Err(diags) => {
                report(&diags, format);
                ExitCode::from(1)
            }
        },
    }
}
