//! The `seisaku` command: parse the command line, run the command, exit with its code
//! (0 success, 1 content or output errors, 2 usage errors).

#![forbid(unsafe_code)]

mod cli;
mod cmd;

use clap::Parser;
use std::process::ExitCode;

/// A build makes and drops millions of small strings and template values (a page's context is
/// a tree of them); mimalloc serves them with a fraction of the instructions of the system's
/// allocator. Built without transparent huge pages (`no_thp`), so that peak memory stays below
/// the system allocator's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::Cli::try_parse() {
        Ok(c) => cmd::run(c.command),
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
