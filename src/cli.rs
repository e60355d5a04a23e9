//! The command line: what each command takes (clap derive). What they do is in `cmd/`.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A static site generator for policy documents.
#[derive(Parser, Debug)]
#[command(name = "seisaku", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
