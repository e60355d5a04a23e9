//! Listing a tree of the output on several threads. A site of 100,000 pages is 100,000
//! folders; on a disk whose cache is cold, a walk that reads one folder at a time waits for
//! each in turn, while several reads in flight keep the disk busy (the listing of the previous
//! tree and the check of the output took 13 s of a 51 s build at that size).

use std::path::Path;

/// Threads reading folders at once: enough requests in flight for a disk, few enough to stay
/// cheap when the tree is in memory.
const THREADS: usize = 6;

/// What a walk found under its root: every entry but the root, by path from the root with `/`.
#[derive(Debug, Default)]
pub struct Listing {
    /// Entries that are not folders, and whether each is a regular file (not a link or
    /// anything else).
    pub files: Vec<(String, bool)>,
    pub folders: Vec<String>,
}

/// Folders handed out to be read.
#[derive(Default)]
struct Queue {
    waiting: Vec<String>,
    done: bool,
    failed: Option<std::io::Error>,
}

/// Lists everything under `root` (symbolic links are listed, never followed). Entries come in
/// no particular order.
///
/// Each thread reads folders from a stack of its own (the kind of each entry comes with the
/// listing, no entry is opened) and puts the folders it finds on it; it hands some to the
/// shared queue only while another thread waits for work, so that a tree in memory is walked
/// with almost no locking and a tree on a cold disk still has several reads in flight. A
/// general parallel walker (with ignore rules, sorting, per-entry metadata) cost a tenth of a
/// second more CPU at 10,000 pages in memory.
pub fn list(root: &Path) -> std::io::Result<Listing> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    if !std::fs::symlink_metadata(root)?.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "not a folder",
        ));
    }
    let queue = std::sync::Mutex::new(Queue {
        waiting: vec![String::new()],
        ..Default::default()
    });
    // Threads waiting for work: changed under the lock, read without it to decide whether
    // to share.
    let idle = AtomicUsize::new(0);
    let ready = std::sync::Condvar::new();
    let lock = || queue.lock().unwrap_or_else(|e| e.into_inner());
    let listings: std::io::Result<Vec<Listing>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Listing::default();
                    let mut stack: Vec<String> = Vec::new();
                    loop {
                        let rel = match stack.pop() {
                            Some(rel) => rel,
                            None => {
                                let mut q = lock();
                                loop {
                                    if q.done || q.failed.is_some() {
                                        return mine;
                                    }
                                    if let Some(rel) = q.waiting.pop() {
                                        break rel;
                                    }
                                    if idle.load(Relaxed) == THREADS - 1 {
                                        // Every other thread waits too: nothing is left.
                                        q.done = true;
                                        ready.notify_all();
                                        return mine;
                                    }
                                    idle.fetch_add(1, Relaxed);
                                    q = ready.wait(q).unwrap_or_else(|e| e.into_inner());
                                    idle.fetch_sub(1, Relaxed);
                                }
                            }
                        };
                        match read_folder(root, &rel, &mut mine) {
                            Ok(folders) => stack.extend(folders),
                            Err(e) => {
                                lock().failed.get_or_insert(e);
                                ready.notify_all();
                                return mine;
                            }
                        }
                        if stack.len() > 1 && idle.load(Relaxed) > 0 {
                            let mut q = lock();
                            let give = stack.len() / 2;
                            q.waiting.extend(stack.drain(..give));
                            ready.notify_all();
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .map_err(|_| std::io::Error::other("a thread listing the folder stopped"))
            })
            .collect()
    });
    if let Some(e) = lock().failed.take() {
        return Err(e);
    }
    let mut all = Listing::default();
    for l in listings? {
        all.files.extend(l.files);
        all.folders.extend(l.folders);
    }
    Ok(all)
}

/// Lists the folder `rel` of `root` into `into`; gives the folders found in it, to be read.
fn read_folder(root: &Path, rel: &str, into: &mut Listing) -> std::io::Result<Vec<String>> {
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(root.join(rel))? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = if rel.is_empty() {
            name.into_owned()
        } else {
            format!("{rel}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            into.folders.push(path.clone());
            folders.push(path);
        } else {
            into.files.push((path, kind.is_file()));
        }
    }
    Ok(folders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_listed_hidden_ones_and_links_too_and_links_are_not_followed() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for i in 0..40 {
            std::fs::create_dir_all(r.join(format!("p/{i}/deep"))).unwrap();
            std::fs::write(r.join(format!("p/{i}/index.html")), "x").unwrap();
        }
        std::fs::write(r.join(".hidden"), "h").unwrap();
        std::fs::write(r.join(".gitignore"), "p/\n").unwrap();
        std::fs::create_dir_all(r.join("target")).unwrap();
        std::os::unix::fs::symlink(r.join("p"), r.join("link")).unwrap();
        let mut l = list(r).unwrap();
        l.files.sort();
        l.folders.sort();
        assert_eq!(l.folders.len(), 1 + 40 * 2 + 1);
        assert!(l.folders.contains(&"p/7/deep".to_string()));
        assert!(l.folders.contains(&"target".to_string()));
        assert_eq!(l.files.len(), 40 + 3);
        assert!(l.files.contains(&(".hidden".to_string(), true)));
        assert!(l.files.contains(&(".gitignore".to_string(), true)));
        assert!(l.files.contains(&("p/39/index.html".to_string(), true)));
        // The link is an entry of its own, not a regular file, and not walked into.
        assert!(l.files.contains(&("link".to_string(), false)));
        assert!(!l.files.iter().any(|(p, _)| p.starts_with("link/")));
    }

    #[test]
    fn a_missing_root_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        assert!(list(&d.path().join("absent")).is_err());
    }
}
