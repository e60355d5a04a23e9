//! `seisaku serve`: the editors' watch mode.
//!
//! The site is built in memory and served from there, so a failed build never touches what is
//! being served, a page is never read half-written, and no path can escape the site (requests
//! are looked up by key, never joined to a folder). Open pages listen on Server-Sent Events
//! and reload after a rebuild has completed, or show an overlay with the errors.

use crate::build::{self, Caches, Timings};
use crate::diag::{self, Diagnostic};
use crate::output::OutFile;
use crate::render::RenderOptions;
use notify::{RecursiveMode, Watcher};
use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// Quiet time after the last file event before a rebuild starts: long enough to take an
/// editor's save (write, rename) or a branch switch as one change, short enough not to be
/// the bulk of the save-to-served time.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

const LIVE_JS: &str = include_str!("serve_live.js");

/// What the server currently serves.
#[derive(Default)]
pub struct State {
    /// The last good site, by path.
    pub files: HashMap<String, Arc<[u8]>>,
    /// Errors of the latest build, if it failed.
    pub errors: Vec<Diagnostic>,
    pub generation: u64,
}

/// Open event streams.
#[derive(Default)]
struct Clients {
    senders: Vec<Sender<String>>,
}

impl Clients {
    fn broadcast(&mut self, event: &str) {
        self.senders.retain(|s| s.send(event.to_string()).is_ok());
    }
}

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
}

/// The `event:` message for the current state.
fn state_event(state: &State) -> String {
    if state.errors.is_empty() {
        format!("event: reload\ndata: {}\n\n", state.generation)
    } else {
        let json: Vec<String> = state.errors.iter().map(Diagnostic::to_json_line).collect();
        format!("event: builderror\ndata: [{}]\n\n", json.join(","))
    }
}

/// Builds the site in memory with the live-reload client, reusing what has not changed.
pub fn build_in_memory(
    root: &Path,
    caches: &Caches,
) -> Result<(Vec<OutFile>, Timings), Vec<Diagnostic>> {
    let opts = RenderOptions {
        live_reload: true,
        cache: Some(caches.pages.clone()),
    };
    let built = build::build_files(root, None, &opts, Some(caches))?;
    Ok((built.files, built.timings))
}

fn rebuild(root: &Path, state: &RwLock<State>, clients: &Mutex<Clients>, caches: &Caches) {
    caches.pages.reset_counts();
    let result = build_in_memory(root, caches);
    let event = {
        // A poisoned lock means a request thread panicked; the state itself is still whole.
        let mut st = state.write().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok((files, t)) => {
                st.files = files.into_iter().map(|f| (f.path, f.bytes)).collect();
                st.errors.clear();
                st.generation += 1;
                eprintln!(
                    "rebuilt {} files in {:.0} ms (load {:.0}, resolve {:.0}, render {:.0}; {} pages reused, {} made anew)",
                    st.files.len(),
                    t.total_ms,
                    t.load_ms,
                    t.resolve_ms,
                    t.render_ms,
                    caches.pages.reused.load(std::sync::atomic::Ordering::Relaxed),
                    caches.pages.rendered.load(std::sync::atomic::Ordering::Relaxed)
                );
            }
            Err(mut diags) => {
                diag::sort(&mut diags);
                diag::print_human(&diags);
                if st.generation == 0 {
                    eprintln!("no site has been built yet: every page shows these errors until they are fixed");
                } else {
                    eprintln!("the last good site is still being served, with these errors over every page");
                }
                st.errors = diags;
            }
        }
        state_event(&st)
    };
    clients
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .broadcast(&event);
}

/// What happened to a watched path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Created,
    Changed,
    Removed,
    MovedAway,
    MovedHere,
}

impl Change {
    fn words(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Changed => "changed",
            Change::Removed => "removed",
            Change::MovedAway => "moved away",
            Change::MovedHere => "moved here",
        }
    }
}

/// The change an event makes to a file: created, written, renamed or removed; `None` for an
/// event that changes nothing (opened, read, metadata).
pub fn change_of(kind: &notify::EventKind) -> Option<Change> {
    use notify::event::{EventKind, ModifyKind, RenameMode};
    match kind {
        EventKind::Create(_) => Some(Change::Created),
        EventKind::Remove(_) => Some(Change::Removed),
        EventKind::Modify(ModifyKind::Metadata(_)) => None,
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => Some(Change::MovedAway),
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => Some(Change::MovedHere),
        EventKind::Modify(_) => Some(Change::Changed),
        EventKind::Access(_) | EventKind::Other | EventKind::Any => None,
    }
}

/// Whether an event changes a file: created, written, renamed or removed (not opened or read).
pub fn is_change(kind: &notify::EventKind) -> bool {
    change_of(kind).is_some()
}

/// The folders of the site that are watched, each with everything in it.
const SOURCE_FOLDERS: [&str; 3] = ["content", "themes", "seeds"];

/// Whether a changed path should trigger a rebuild.
pub fn is_watched(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut comps = rel.components();
    let first = comps
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::content::load::is_ignored(&name) {
        return false;
    }
    matches!(first.as_str(), "content" | "themes" | "seeds" | "site.toml")
}

/// Starts watching the site at `root`: its top level (site.toml, and source folders that come
/// and go) and each source folder with everything in it.
fn watch(root: &Path) -> Result<(Watches, Receiver<Event>), String> {
    // Events go to a channel; one thread debounces them into rebuilds.
    let (tx, rx) = channel::<Event>();
    let watch_root = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let ev = match res {
            Ok(ev) if !ev.need_rescan() => ev,
            // Events were lost (or a watch broke): look at everything again.
            _ => {
                let _ = tx.send(Event::Rescan);
                return;
            }
        };
        // Reading a file (the build itself does) is not a change.
        let Some(change) = change_of(&ev.kind) else {
            return;
        };
        // A rename seen from both ends names the old path, then the new one.
        let both = matches!(
            ev.kind,
            notify::EventKind::Modify(notify::event::ModifyKind::Name(
                notify::event::RenameMode::Both
            ))
        );
        for (i, p) in ev.paths.into_iter().enumerate() {
            let change = match (both, i) {
                (true, 0) => Change::MovedAway,
                (true, _) => Change::MovedHere,
                _ => change,
            };
            if is_watched(&watch_root, &p) {
                let _ = tx.send(Event::Path(p, change));
            }
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    // The root itself, not recursively: site.toml (editors replace the file on save) and the
    // source folders appearing, disappearing or being moved.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let watches = Watches {
        watcher,
        root: root.to_path_buf(),
        armed: Default::default(),
    };
    Ok((watches, rx))
}

/// Runs the server until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<(), String> {
    let root = std::fs::canonicalize(&opts.root)
        .map_err(|e| format!("cannot open site root {}: {e}", opts.root.display()))?;
    let state = Arc::new(RwLock::new(State::default()));
    let clients = Arc::new(Mutex::new(Clients::default()));
    let cache = Arc::new(Caches::default());
    let (mut watches, rx) = watch(&root)?;
    watches.arm(true);
    // Built after the watches are set, so no edit falls between the two.
    rebuild(&root, &state, &clients, &cache);
    {
        let (root, state, clients) = (root.clone(), state.clone(), clients.clone());
        std::thread::spawn(move || {
            debounce_loop(&rx, &mut watches, &root, &state, &clients, &cache)
        });
    }

    let addr: SocketAddr = format!("{}:{}", opts.bind, opts.port)
        .parse()
        .map_err(|e| format!("bad address {}:{}: {e}", opts.bind, opts.port))?;
    let server =
        tiny_http::Server::http(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    let url = format!("http://{local}/");
    eprintln!("serving {} on {url} (Ctrl-C to stop)", root.display());
    if opts.open {
        let _ = std::process::Command::new(if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        })
        .arg(&url)
        .spawn();
    }

    let server = Arc::new(server);
    let workers = std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 4)
        .max(8);
    let mut handles = Vec::new();
    for _ in 0..workers {
        let (server, state, clients) = (server.clone(), state.clone(), clients.clone());
        handles.push(std::thread::spawn(move || {
            for req in server.incoming_requests() {
                handle(req, &state, &clients);
            }
        }));
    }
    for h in handles {
        let _ = h.join();
    }
    Ok(())
}

/// A message from the watcher.
enum Event {
    Path(PathBuf, Change),
    /// Events may have been lost: re-arm every watch and rebuild.
    Rescan,
}

/// The watches on the source folders. A folder that is moved away, deleted, created after the
/// start or put back is watched again as soon as an event (or a rescan) says its place changed.
struct Watches {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    /// The identity of the folder each watch was set on (`None`: not watched).
    armed: HashMap<&'static str, Option<(u64, u64)>>,
}

impl Watches {
    /// Watches each source folder that exists, again when `all` is set or when the folder at
    /// its path is not the one watched.
    fn arm(&mut self, all: bool) {
        for sub in SOURCE_FOLDERS {
            let path = self.root.join(sub);
            let now = folder_identity(&path);
            let before = self.armed.get(sub).copied().flatten();
            if !all && now == before {
                continue;
            }
            // A watch may already be gone with its folder; nothing to undo then.
            let _ = self.watcher.unwatch(&path);
            let mut armed = None;
            if now.is_some() {
                match self.watcher.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => armed = now,
                    Err(e) => eprintln!(
                        "warning: cannot watch {sub}/: {e}; edits there are seen after the next change elsewhere"
                    ),
                }
            }
            self.armed.insert(sub, armed);
        }
    }
}

/// Device and inode of a folder, or `None` when there is no folder at `path`.
fn folder_identity(path: &Path) -> Option<(u64, u64)> {
    let m = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        Some((0, 0))
    }
}

fn debounce_loop(
    rx: &Receiver<Event>,
    watches: &mut Watches,
    root: &Path,
    state: &RwLock<State>,
    clients: &Mutex<Clients>,
    cache: &Caches,
) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(e) => batch.push(e),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let mut changed: Vec<(PathBuf, Change)> = Vec::new();
        let mut rescan = false;
        for e in batch {
            match e {
                Event::Path(p, c) => changed.push((p, c)),
                Event::Rescan => rescan = true,
            }
        }
        changed.sort();
        changed.dedup();
        // A source folder itself created, removed or moved: its watch is set anew.
        let folder_moved = changed.iter().any(|(p, _)| {
            p.parent() == Some(root)
                && p.file_name()
                    .is_some_and(|n| SOURCE_FOLDERS.iter().any(|s| n == *s))
        });
        watches.arm(rescan || folder_moved);
        eprintln!("rebuilding: {}", describe(root, &changed, rescan));
        rebuild(root, state, clients, cache);
    }
}

/// What changed, for the terminal: up to five paths with what happened to each.
fn describe(root: &Path, changed: &[(PathBuf, Change)], rescan: bool) -> String {
    let mut parts: Vec<String> = changed
        .iter()
        .take(5)
        .map(|(p, c)| {
            let rel = diag::rel(root, p);
            let folder = if SOURCE_FOLDERS.iter().any(|s| rel == Path::new(s)) {
                "/"
            } else {
                ""
            };
            format!("{}{folder} {}", rel.display(), c.words())
        })
        .collect();
    if changed.len() > 5 {
        parts.push(format!("and {} more", changed.len() - 5));
    }
    if rescan {
        parts.push("events were lost, so everything is read again".into());
    }
    parts.join(", ")
}

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

fn handle(req: tiny_http::Request, state: &RwLock<State>, clients: &Mutex<Clients>) {
    let url = req.url().to_string();
    if url == "/__seisaku/live.js" {
        let resp = tiny_http::Response::from_string(LIVE_JS)
            .with_header(header("Content-Type", mime("x.js")))
            .with_header(header("Cache-Control", "no-store"));
        let _ = req.respond(resp);
        return;
    }
    if url == "/__seisaku/events" {
        let (tx, rx) = channel::<String>();
        let first = state_event(&state.read().unwrap_or_else(|e| e.into_inner()));
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
        return;
    }
    let Some(key) = site_key(&url) else {
        let _ = req.respond(tiny_http::Response::from_string("bad path").with_status_code(400));
        return;
    };
    let st = state.read().unwrap_or_else(|e| e.into_inner());
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
                Some(b) => (404, "404.html".to_string(), Arc::from(rooted(b))),
                None if !st.errors.is_empty() => (
                    503,
                    "error.html".into(),
                    Arc::from(error_page(&st.errors).into_bytes()),
                ),
                None => (404, "x.txt".into(), Arc::from(&b"not found"[..])),
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
    fn watched_paths() {
        let r = Path::new("/s");
        assert!(is_watched(r, Path::new("/s/content/policies/a.md")));
        assert!(is_watched(r, Path::new("/s/site.toml")));
        assert!(!is_watched(r, Path::new("/s/public/index.html")));
        assert!(!is_watched(r, Path::new("/s/content/policies/.a.md.swp")));
    }

    #[test]
    fn only_changes_trigger_rebuilds() {
        use notify::event::{
            AccessKind, CreateKind, DataChange, EventKind, ModifyKind, RemoveKind,
        };
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Remove(RemoveKind::File)));
        assert!(!is_change(&EventKind::Access(AccessKind::Read)));
    }

    #[test]
    fn renames_and_writes_are_told_apart() {
        use notify::event::{EventKind, ModifyKind, RenameMode};
        assert_eq!(
            change_of(&EventKind::Modify(ModifyKind::Name(RenameMode::From))),
            Some(Change::MovedAway)
        );
        let r = Path::new("/s");
        let said = describe(
            r,
            &[
                (PathBuf::from("/s/content"), Change::MovedHere),
                (PathBuf::from("/s/content/terms/a.md"), Change::Changed),
            ],
            false,
        );
        assert_eq!(said, "content/ moved here, content/terms/a.md changed");
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
    fn mime_types() {
        assert_eq!(mime("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime("search-index.js"), "text/javascript; charset=utf-8");
        assert_eq!(mime("kpis/x/data.csv"), "text/csv; charset=utf-8");
    }
}
