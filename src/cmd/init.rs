//! `seisaku init DIR`: a new site with one example of every kind.

use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path, force: bool) -> ExitCode {
    match seisaku::scaffold::init(dir, force) {
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
    }
}
