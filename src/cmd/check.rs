//! `seisaku check`: every stage of build in memory; nothing written.

use super::{failed, report};
use crate::cli::Format;
use seisaku::build::{self, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(root: PathBuf, format: Format) -> ExitCode {
    let opts = BuildOptions {
        root,
        ..Default::default()
    };
    match build::check(&opts) {
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
        Err(diags) => failed(&diags, format),
    }
}
