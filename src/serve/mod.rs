//! `seisaku serve`: the editors' watch mode.
//!
//! The site is built in memory and served from there, so a failed build never touches what is
//! being served, a page is never read half-written, and no path can escape the site (requests
//! are looked up by key, never joined to a folder). Open pages listen on Server-Sent Events
//! and reload as soon as the pages of a rebuild are in place, or show an overlay with the
//! errors. The search index is made right after the pages, from the same model; a request for
//! one of its files waits until the index of the pages served is in place.

mod http;
mod watch;

pub use http::{mime, open_source, site_key};
pub use watch::{change_of, is_change, is_watched, Change};

use crate::build::{self, Caches, InMemory, Timings};
use crate::diag::{self, Diagnostic};
use crate::output::OutFile;
use crate::render::RenderOptions;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Quiet time after the last file event before a rebuild starts: long enough to take an
/// editor's save (a write, or a write and a rename, within a millisecond) as one change,
/// short enough not to be the bulk of the save-to-served time. A longer burst (a branch
/// switch) may make two rebuilds; the first gives up its search index for the second.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// What the server currently serves.
#[derive(Default)]
pub struct State {
    /// The last good site, by path.
    pub files: HashMap<String, bytes::Bytes>,
    /// Errors of the latest build, if it failed.
    pub errors: Vec<Diagnostic>,
    /// The build whose pages are served.
    pub generation: u64,
    /// The build whose search index is served: behind `generation` while the index of the
    /// pages served is being made, and then no file of the index is served.
    pub search_generation: u64,
}

impl State {
    /// Whether the search index of the pages served is in place.
    pub fn search_ready(&self) -> bool {
        self.search_generation == self.generation
    }
}

/// The served state, and the signal that its search index is in place.
#[derive(Default)]
pub(super) struct Served {
    state: Mutex<State>,
    search_in_place: Condvar,
}

impl Served {
    /// The state, locked. A poisoned lock means a request thread panicked; the state itself
    /// is still whole.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Open event streams.
#[derive(Default)]
pub(super) struct Clients {
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
pub(super) fn state_event(state: &State) -> String {
    if state.errors.is_empty() {
        format!("event: reload\ndata: {}\n\n", state.generation)
    } else {
        let json: Vec<String> = state.errors.iter().map(Diagnostic::to_json_line).collect();
        format!("event: builderror\ndata: [{}]\n\n", json.join(","))
    }
}

/// Builds the site in memory with the live-reload client, reusing what has not changed.
/// `pages` is given every file but those of the search index as soon as they are made; the
/// search index is then made from the same model, and its files returned (`None` when the
/// sources changed again meanwhile: the next build makes it).
pub fn build_in_stages(
    root: &Path,
    caches: &Caches,
    pages: impl FnOnce(InMemory),
) -> Result<Option<Vec<OutFile>>, Vec<Diagnostic>> {
    let opts = RenderOptions {
        live_reload: true,
        cache: Some(caches.pages.clone()),
        defer_search: true,
        // The server goes on.
        exits_after: false,
    };
    build::build_files(root, None, &opts, Some(caches), pages)
}

/// The whole site as watch mode serves it once its search index is in place, sorted by path,
/// and the times of its stages up to the search index.
pub fn build_in_memory(
    root: &Path,
    caches: &Caches,
) -> Result<(Vec<OutFile>, Timings), Vec<Diagnostic>> {
    let mut made = None;
    let search = build_in_stages(root, caches, |m| made = Some(m))?
        .expect("only the watch loop interrupts a build, and it does not use this function");
    let InMemory {
        mut files, timings, ..
    } = made.expect("the pages are given before the search index is made");
    files.extend(search);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, timings))
}

/// Rebuilds and serves the result: on success, the pages (and a reload event) as soon as
/// they are made, then the search index; on failure, the errors over the last good site.
pub(super) fn rebuild(root: &Path, served: &Served, clients: &Mutex<Clients>, caches: &Caches) {
    caches.pages.reset_counts();
    caches.pages.clear_interrupt();
    let mut pages_served = None;
    let result = build_in_stages(root, caches, |made| {
        serve_pages(made, served, clients, caches);
        pages_served = Some(Instant::now());
    });
    match result {
        Ok(Some(search)) => {
            let count = search.len();
            serve_search(search, served);
            if let Some(t) = pages_served {
                eprintln!(
                    "search index ready {:.0} ms later ({count} files)",
                    t.elapsed().as_secs_f64() * 1e3
                );
            }
        }
        // Requests for it wait for the next build's.
        Ok(None) => eprintln!("search index left to the next rebuild: the sources changed again"),
        Err(mut diags) => {
            diag::sort(&mut diags);
            diag::print_human(&diags);
            let event = {
                let mut st = served.lock();
                if st.generation == 0 {
                    eprintln!("no site has been built yet: every page shows these errors until they are fixed");
                } else {
                    eprintln!("the last good site is still being served, with these errors over every page");
                }
                st.errors = diags;
                state_event(&st)
            };
            broadcast(clients, &event);
        }
    }
}

/// Serves a new build's pages in place of the last site's, with no search index until its
/// own is in place, and tells the open pages to reload.
fn serve_pages(made: InMemory, served: &Served, clients: &Mutex<Clients>, caches: &Caches) {
    let files: HashMap<String, bytes::Bytes> =
        made.files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let count = files.len();
    let (event, last) = {
        let mut st = served.lock();
        let last = std::mem::replace(&mut st.files, files);
        st.errors.clear();
        st.generation += 1;
        (state_event(&st), last)
    };
    broadcast(clients, &event);
    drop(last);
    let t = made.timings;
    eprintln!(
        "rebuilt {count} files in {:.0} ms (load {:.0}, resolve {:.0}, render {:.0}; {} pages reused, {} made anew)",
        t.total_ms,
        t.load_ms,
        t.resolve_ms,
        t.render_ms,
        caches.pages.reused.load(Ordering::Relaxed),
        caches.pages.rendered.load(Ordering::Relaxed)
    );
}

/// Serves the search index of the pages served, and wakes the requests waiting for it.
fn serve_search(index: Vec<OutFile>, served: &Served) {
    let index: Vec<(String, bytes::Bytes)> = index.into_iter().map(|f| (f.path, f.bytes)).collect();
    let mut st = served.lock();
    st.files.extend(index);
    st.search_generation = st.generation;
    drop(st);
    served.search_in_place.notify_all();
}

fn broadcast(clients: &Mutex<Clients>, event: &str) {
    clients
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .broadcast(event);
}

/// Runs the server until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<(), String> {
    let root = std::fs::canonicalize(&opts.root)
        .map_err(|e| format!("cannot open site root {}: {e}", opts.root.display()))?;
    let state = Arc::new(Served::default());
    let clients = Arc::new(Mutex::new(Clients::default()));
    let cache = Arc::new(Caches::default());
    // A change seen while a search index is being made gives it up for the next build's.
    let pages = cache.pages.clone();
    let (mut watches, rx) = watch::watch(&root, move || pages.interrupt())?;
    watches.arm(true);
    cache.parsed.reported_by_watcher();
    // Built after the watches are set, so no edit falls between the two.
    rebuild(&root, &state, &clients, &cache);
    {
        let (root, state, clients) = (root.clone(), state.clone(), clients.clone());
        std::thread::spawn(move || {
            watch::debounce_loop(&rx, &mut watches, &root, &state, &clients, &cache)
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
        let root = root.clone();
        handles.push(std::thread::spawn(move || {
            for req in server.incoming_requests() {
                http::handle(req, &root, &state, &clients);
            }
        }));
    }
    for h in handles {
        let _ = h.join();
    }
    Ok(())
}
