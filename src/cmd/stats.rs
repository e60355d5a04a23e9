//! `seisaku stats`: counts per kind and the gaps editors should look at.

use super::failed;
use crate::cli::Format;
use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path, format: Format) -> ExitCode {
    match seisaku::stats::stats(root) {
        Ok(s) => {
            match format {
                Format::Human => print!("{}", s.to_text()),
                // Serialising plain data cannot fail.
                Format::Json => println!("{}", serde_json::to_string_pretty(&s).expect("json")),
            }
            ExitCode::SUCCESS
        }
        Err(diags) => failed(&diags, format),
    }
}
