//! `seisaku serve`: watch mode.

use seisaku::serve::{serve, ServeOptions};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(root: PathBuf, port: u16, bind: String, open: bool) -> ExitCode {
    match serve(&ServeOptions {
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
    }
}
