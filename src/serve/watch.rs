//! Watching the site's sources: which file events are changes, which paths matter, the watches
//! re-armed when a source folder is moved, deleted or created, and the debounced rebuilds.

use super::{rebuild, Clients, Served, DEBOUNCE};
use crate::build::Caches;
use crate::diag;
use notify::{RecursiveMode, Watcher};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Mutex;

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
/// Watches the site's sources; `changed` is called as each change is seen (before the
/// debounced rebuild that takes it).
pub(super) fn watch(
    root: &Path,
    changed: impl Fn() + Send + 'static,
) -> Result<(Watches, Receiver<Event>), String> {
    // Events go to a channel; one thread debounces them into rebuilds.
    let (tx, rx) = channel::<Event>();
    let watch_root = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let ev = match res {
            Ok(ev) if !ev.need_rescan() => ev,
            // Events were lost (or a watch broke): look at everything again.
            _ => {
                changed();
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
                changed();
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
/// A message from the watcher.
pub(super) enum Event {
    Path(PathBuf, Change),
    /// Events may have been lost: re-arm every watch and rebuild.
    Rescan,
}

/// The watches on the source folders. A folder that is moved away, deleted, created after the
/// start or put back is watched again as soon as an event (or a rescan) says its place changed.
pub(super) struct Watches {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    /// The identity of the folder each watch was set on (`None`: not watched).
    armed: HashMap<&'static str, Option<(u64, u64)>>,
}

impl Watches {
    /// Watches each source folder that exists, again when `all` is set or when the folder at
    /// its path is not the one watched.
    pub(super) fn arm(&mut self, all: bool) {
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

/// Gathers events until [`DEBOUNCE`] passes without one, then rebuilds once. A plain
/// `recv_timeout` loop rather than a debouncer crate: `notify-debouncer-mini` reports only
/// paths (the watches need to know that a source folder was moved away, moved back or
/// created, and when events were lost), and `notify-debouncer-full` adds a file-id cache and a
/// thread of its own for what this loop does in a few lines.
pub(super) fn debounce_loop(
    rx: &Receiver<Event>,
    watches: &mut Watches,
    root: &Path,
    state: &Served,
    clients: &Mutex<Clients>,
    cache: &Caches,
) {
    while let Ok(first) = rx.recv() {
        let since = std::time::Instant::now();
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
        // The next load looks only at the files reported, unless a folder came or went whole
        // (its files are not reported one by one) or events were lost.
        if rescan || folder_moved || changed.iter().any(|(p, _)| p.is_dir()) {
            cache.parsed.unknown();
        } else {
            let came_or_went = changed.iter().any(|(_, c)| *c != Change::Changed);
            cache
                .parsed
                .changed(changed.iter().map(|(p, _)| p.clone()), came_or_went);
        }
        crate::trace::stage("debounce", since);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
