//! One module per command; each returns the process's exit code.

mod build;
mod check;
mod init;
mod new;
mod schema;
mod serve;
mod stats;

use crate::cli::{Command, Format};
use seisaku::diag::{self, Diagnostic};
use std::process::ExitCode;

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Build {
            root,
            out,
            base_url,
            format,
            force,
        } => build::run(root, out, base_url, format, force),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => serve::run(root, port, bind, open),
        Command::Init { dir, force } => init::run(&dir, force),
        Command::New {
            kind,
            id,
            title,
            root,
        } => new::run(&kind, &id, title.as_deref(), &root),
        Command::Schema { out } => schema::run(&out),
        Command::Stats { root, format } => stats::run(&root, format),
        Command::Check { root, format } => check::run(root, format),
    }
}

/// Prints diagnostics for a person (with colour on a terminal) or as JSON lines.
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

/// The exit code of a command that failed with diagnostics.
fn failed(diags: &[Diagnostic], format: Format) -> ExitCode {
    report(diags, format);
    ExitCode::from(1)
}
