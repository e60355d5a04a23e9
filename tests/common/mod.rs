//! Helpers shared by the integration tests: run the real binary on fixture sites.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_seisaku"))
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a fixture site into a fresh temporary folder.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

pub fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run seisaku")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// `href` and `src` values of an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let start = i + attr.len();
            let end = rest[start..].find('"').map_or(rest.len(), |j| start + j);
            out.push(html_escape::decode_html_entities(&rest[start..end]).into_owned());
            rest = &rest[end..];
        }
    }
    out
}

/// Checks every relative link of every HTML page resolves to a file (and its `#fragment` to an id).
/// Returns the broken ones.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in snapshot(site) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let page_dir = Path::new(&path)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for l in links(&html) {
            if l.starts_with("http://")
                || l.starts_with("https://")
                || l.starts_with("mailto:")
                || l.starts_with("/__seisaku")
            {
                continue;
            }
            let (file, frag) = l
                .split_once('#')
                .map_or((l.as_str(), None), |(a, b)| (a, Some(b)));
            let file = file.split('?').next().unwrap_or("");
            let target = if file.is_empty() {
                site.join(&path)
            } else {
                normalise(&site.join(&page_dir).join(file))
            };
            if !target.is_file() {
                broken.push(format!("{path}: {l}"));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                if target.extension().is_some_and(|e| e == "html") {
                    let t = std::fs::read_to_string(&target).unwrap_or_default();
                    if !t.contains(&format!("id=\"{f}\"")) {
                        broken.push(format!("{path}: {l} (no id {f})"));
                    }
                }
            }
        }
    }
    broken
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// The text of some HTML: its tags removed.
pub fn text_of_html(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Runs git in `dir` as an editor would, committing as of `date` (author and committer).
pub fn git(dir: &Path, args: &[&str], date: &str) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.jp"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Writes `text` as the site's own template `name` (`themes/default/templates/{name}`), which
/// goes over the built-in one.
pub fn site_template(site: &Path, name: &str, text: &str) {
    let dir = site.join("themes/default/templates");
    std::fs::create_dir_all(&dir).expect("creates the template folder");
    std::fs::write(dir.join(name), text).expect("writes the template");
}
