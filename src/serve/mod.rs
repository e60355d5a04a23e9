//! `seisaku serve`: the editors' watch mode.
//!
//! The site is built in memory and served from there, so a failed build never touches what is
//! being served, a page is never read half-written, and no path can escape the site (requests
//! are looked up by key, never joined to a folder). Open pages listen on Server-Sent Events
//! and reload after a rebuild has completed, or show an overlay with the errors.

mod http;
mod watch;

pub use http::{mime, open_source, site_key};
pub use watch::{change_of, is_change, is_watched, Change};

use crate::build::{self, Caches, Timings};
use crate::diag::{self, Diagnostic};
use crate::output::OutFile;
use crate::render::RenderOptions;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// Quiet time after the last file event before a rebuild starts: long enough to take an
/// editor's save (write, rename) or a branch switch as one change, short enough not to be
/// the bulk of the save-to-served time.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

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
pub fn build_in_memory(
    root: &Path,
    caches: &Caches,
) -> Result<(Vec<OutFile>, Timings), Vec<Diagnostic>> {
    let opts = RenderOptions {
        live_reload: true,
        cache: Some(caches.pages.clone()),
        defer_search: false,
    };
    let mut made = None;
    build::build_files(root, None, &opts, Some(caches), |m| made = Some(m))?;
    let built = made.expect("the site is given when it is made");
    Ok((built.files, built.timings))
}

pub(super) fn rebuild(
    root: &Path,
    state: &RwLock<State>,
    clients: &Mutex<Clients>,
    caches: &Caches,
) {
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

/// Runs the server until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<(), String> {
    let root = std::fs::canonicalize(&opts.root)
        .map_err(|e| format!("cannot open site root {}: {e}", opts.root.display()))?;
    let state = Arc::new(RwLock::new(State::default()));
    let clients = Arc::new(Mutex::new(Clients::default()));
    let cache = Arc::new(Caches::default());
    let (mut watches, rx) = watch::watch(&root)?;
    watches.arm(true);
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
