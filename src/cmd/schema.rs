//! `seisaku schema`: JSON Schemas of site.toml and every kind, and a Taplo configuration.

use std::path::Path;
use std::process::ExitCode;

pub fn run(out: &Path) -> ExitCode {
    match seisaku::schema::write(out) {
        Ok(files) => {
            let taplo = seisaku::schema::taplo_config(&out.display().to_string());
            if let Err(e) = std::fs::write(out.join("taplo.toml"), &taplo) {
                eprintln!("error: cannot write taplo.toml: {e}");
                return ExitCode::from(1);
            }
            for f in files {
                println!("{f}");
            }
            eprintln!(
                "copy {}/taplo.toml to .taplo.toml at the site root to validate as you type",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write schemas: {e}");
            ExitCode::from(1)
        }
    }
}
