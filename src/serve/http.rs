//! The dev server's answers: site files by key (no path can leave the site), the live-reload
//! script and event stream, and the error page when no site has been built yet.

use super::{state_event, Clients, Served, State};
use crate::diag::Diagnostic;
use crate::render::search;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

const LIVE_JS: &str = include_str!("../serve_live.js");

/// The longest a request for a file of the search index waits for the index of the pages
/// served to be made.
const SEARCH_WAIT: Duration = Duration::from_secs(60);

/// The MIME type for a path.
pub fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "zip" => "application/zip",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Maps a request path to a key of the site, or `None` for a path that tries to leave it.
pub fn site_key(url_path: &str) -> Option<String> {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    // Header names and values here are ASCII constants or MIME types, always valid.
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

pub(super) fn handle(
    req: tiny_http::Request,
    root: &Path,
    served: &Arc<Served>,
    clients: &Mutex<Clients>,
) {
    let url = req.url().to_string();
    if url.starts_with("/__seisaku/open?") || url == "/__seisaku/open" {
        open_source_page(req, root, &url);
    } else if url == "/__seisaku/live.js" {
        let resp = tiny_http::Response::from_string(LIVE_JS)
            .with_header(header("Content-Type", mime("x.js")))
            .with_header(header("Cache-Control", "no-store"));
        let _ = req.respond(resp);
    } else if url == "/__seisaku/events" {
        live_events(req, served, clients);
    } else {
        site_file(req, served, &url);
    }
}

/// The source file and line an "open the source" link names, or why it cannot be shown.
fn open_source_page(req: tiny_http::Request, root: &Path, url: &str) {
    let (status, body) = match open_source(root, url) {
        Ok(html) => (200, html),
        Err(why) => (404, format!("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not a source file</title></head><body><p>{}</p></body></html>", html_escape::encode_text(&why))),
    };
    let resp = tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", mime("x.html")))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = req.respond(resp);
}

/// The live-reload stream: the state now, then an event per rebuild, on a thread of its own.
fn live_events(req: tiny_http::Request, served: &Served, clients: &Mutex<Clients>) {
    let (tx, rx) = channel::<String>();
    let first = state_event(&served.lock());
    let _ = tx.send(first);
    clients
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .senders
        .push(tx);
    // The raw connection carries the stream, unbuffered and until the client goes away;
    // a thread of its own keeps the request workers free.
    let resp = tiny_http::Response::empty(200)
        .with_header(header("Content-Type", "text/event-stream"))
        .with_header(header("Cache-Control", "no-store"));
    let mut stream = req.upgrade("sse", resp);
    std::thread::spawn(move || loop {
        // A comment line every 15 s keeps the connection open and detects closed clients.
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(ev) => ev,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if stream
            .write_all(msg.as_bytes())
            .and_then(|_| stream.flush())
            .is_err()
        {
            return;
        }
    });
}

/// A file of the site at `url`. A file of the search index is answered once the index of the
/// pages served is in place, never from an older one; while it is being made, the request
/// waits on a thread of its own, leaving the request workers to the pages.
fn site_file(req: tiny_http::Request, served: &Arc<Served>, url: &str) {
    let Some(key) = site_key(url) else {
        let _ = req.respond(tiny_http::Response::from_string("bad path").with_status_code(400));
        return;
    };
    let st = served.lock();
    if !search::is_index_path(&key) || st.search_ready() {
        answer(req, st, key, url);
        return;
    }
    drop(st);
    let (served, url) = (served.clone(), url.to_string());
    std::thread::spawn(move || {
        let (st, wait) = served
            .search_in_place
            .wait_timeout_while(served.lock(), SEARCH_WAIT, |st| !st.search_ready())
            .unwrap_or_else(|e| e.into_inner());
        if wait.timed_out() {
            drop(st);
            let resp = tiny_http::Response::from_string("the search index is still being made")
                .with_status_code(503)
                .with_header(header("Retry-After", "1"))
                .with_header(header("Cache-Control", "no-store"));
            let _ = req.respond(resp);
        } else {
            answer(req, st, key, &url);
        }
    });
}

/// The file at `key` of the state `st`: the page, a redirect to a folder's page, or the 404
/// page (the error page while there is no site yet).
fn answer(req: tiny_http::Request, st: MutexGuard<'_, State>, key: String, url: &str) {
    let (status, key, body) = match st.files.get(&key) {
        Some(b) => (200, key, b.clone()),
        None => match st.files.get(&format!("{key}/index.html")) {
            Some(_) => {
                drop(st);
                let resp = tiny_http::Response::empty(301).with_header(header(
                    "Location",
                    &format!("{}/", url.split('?').next().unwrap_or("")),
                ));
                let _ = req.respond(resp);
                return;
            }
            None => match st.files.get("404.html") {
                Some(b) => (404, "404.html".to_string(), bytes::Bytes::from(rooted(b))),
                None if !st.errors.is_empty() => (
                    503,
                    "error.html".into(),
                    bytes::Bytes::from(error_page(&st.errors).into_bytes()),
                ),
                None => (404, "x.txt".into(), bytes::Bytes::from_static(b"not found")),
            },
        },
    };
    drop(st);
    let resp = tiny_http::Response::from_data(body.to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", mime(&key)))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = req.respond(resp);
}

/// The value of `name` in the query of `url`, decoded.
fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next().unwrap_or("");
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// `/__seisaku/open?path=content/x.md&line=3`: watch mode's default 「ソースを開く」, the source
/// file's text with line numbers, the line marked. Only files inside `content/` are shown.
pub fn open_source(root: &Path, url: &str) -> Result<String, String> {
    let rel = query_param(url, "path").ok_or("no path given")?;
    let line: usize = query_param(url, "line")
        .and_then(|l| l.parse().ok())
        .unwrap_or(1);
    let p = Path::new(&rel);
    let plain = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain || !p.starts_with("content") {
        return Err(format!("{rel} is not a file in content/"));
    }
    let content = std::fs::canonicalize(root.join("content")).map_err(|e| e.to_string())?;
    let file = std::fs::canonicalize(root.join(p)).map_err(|_| format!("{rel} does not exist"))?;
    if !file.starts_with(&content) || !file.is_file() {
        return Err(format!("{rel} is not a file in content/"));
    }
    let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {rel}: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let n = i + 1;
            format!(
                "<li id=\"L{n}\" value=\"{n}\"{}><a class=\"ln\" href=\"#L{n}\">{n}</a><span class=\"lt\">{}</span></li>\n",
                if n == line { " class=\"hl\"" } else { "" },
                html_escape::encode_text(l)
            )
        })
        .collect();
    let name = html_escape::encode_text(&rel);
    let abs = html_escape::encode_text(&file.to_string_lossy()).into_owned();
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{name}:{line}</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n<main id=\"main\" class=\"wrap\">\n<h1>{name}</h1>\n<p>{line}行目 — <code>{abs}</code> をエディタで開いて編集し、保存すると開いているページが更新されます。</p>\n<ol class=\"source-lines\">\n{lines}</ol>\n</main>\n<script src=\"/static/site.js\"></script>\n<script src=\"/__seisaku/live.js\"></script>\n</body>\n</html>\n"
    ))
}

/// The 404 page with its relative links resolved from the site root, as it is answered at
/// any depth.
fn rooted(page: &[u8]) -> Vec<u8> {
    const BASE: &[u8] = b"<base href=\"/\">";
    let at = memchr::memmem::find(page, b"<head>").map_or(0, |i| i + b"<head>".len());
    [&page[..at], BASE, &page[at..]].concat()
}

/// Shown when the very first build failed: there is no good site yet.
fn error_page(errors: &[Diagnostic]) -> String {
    let items: String = errors
        .iter()
        .map(|d| {
            format!(
                "<li><pre>{}</pre></li>",
                html_escape::encode_text(&d.to_string())
            )
        })
        .collect();
    format!("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><h1>Build failed</h1><ul>{items}</ul><script src=\"/__seisaku/live.js\"></script></body></html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_leave_the_site() {
        assert_eq!(site_key("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_key("/policies/x/").as_deref(),
            Some("policies/x/index.html")
        );
        assert_eq!(
            site_key("/static/style.css?v=1").as_deref(),
            Some("static/style.css")
        );
        assert_eq!(
            site_key("/glossary/%E7%94%A8/").as_deref(),
            Some("glossary/用/index.html")
        );
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2fCargo.toml",
            "/a\\..\\b",
            "/%00",
        ] {
            assert_eq!(site_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_404_page_gets_a_root_base() {
        let page = rooted(b"<!DOCTYPE html><html><head><link href=\"static/a.css\">");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<!DOCTYPE html><html><head><base href=\"/\"><link href=\"static/a.css\">"
        );
    }

    #[test]
    fn the_source_view_shows_only_files_in_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/terms")).unwrap();
        std::fs::write(
            dir.path().join("content/terms/a.md"),
            "+++\ntitle = \"<A>\"\n+++\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"x\"\n").unwrap();
        let page = open_source(
            dir.path(),
            "/__seisaku/open?path=content%2Fterms%2Fa.md&line=2",
        )
        .unwrap();
        assert!(
            page.contains("<li id=\"L2\" value=\"2\" class=\"hl\">"),
            "{page}"
        );
        assert!(page.contains("title = \"&lt;A&gt;\""), "{page}");
        for bad in [
            "path=site.toml",
            "path=content/../site.toml",
            "path=/etc/passwd",
            "path=content/terms/b.md",
            "",
        ] {
            assert!(
                open_source(dir.path(), &format!("/__seisaku/open?{bad}")).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime("search-index.js"), "text/javascript; charset=utf-8");
        assert_eq!(mime("kpis/x/data.csv"), "text/csv; charset=utf-8");
    }
}
