//! `seisaku new KIND ID`: a source file with every field of its kind, and its page's URL.

use seisaku::content::Kind;
use std::path::Path;
use std::process::ExitCode;

pub fn run(kind: &str, id: &str, title: Option<&str>, root: &Path) -> ExitCode {
    let Some(k) = Kind::from_name(kind) else {
        eprintln!("error: unknown kind `{kind}`; kinds are {}", Kind::names());
        return ExitCode::from(2);
    };
    if let Err(e) = seisaku::scaffold::check_id(id) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    match seisaku::scaffold::new_entity(root, k, id, title) {
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
