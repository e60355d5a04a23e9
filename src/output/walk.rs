//! Listing a tree of the output on several threads. A site of 100,000 pages is 100,000
//! folders; on a disk whose cache is cold, a walk that reads one folder at a time waits for
//! each in turn, while several reads in flight keep the disk busy (the listing of the previous
//! tree and the check of the output took 13 s of a 51 s build at that size).

use super::index::{Dir, KnownFolders};
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
#[cfg(test)]
pub fn list(root: &Path) -> std::io::Result<Listing> {
    list_known(root, &KnownFolders::default())
}

/// [`list`], taking the entries of a folder of `known` from there, without reading it, while
/// the folder keeps the identity recorded with them (one `stat` in place of opening and
/// reading the folder).
pub fn list_known(root: &Path, known: &KnownFolders) -> std::io::Result<Listing> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    if !std::fs::symlink_metadata(root)?.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "not a folder",
        ));
    }
    let dir = Dir::open(root);
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
                        match visit(root, &dir, &rel, known, &mut mine) {
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

/// Lists the folder `rel` of `root` (opened as `dir`) into `into`, from `known` when it
/// vouches for the folder; gives the folders in it, to be visited.
fn visit(
    root: &Path,
    dir: &Dir,
    rel: &str,
    known: &KnownFolders,
    into: &mut Listing,
) -> std::io::Result<Vec<String>> {
    if let Some(k) = known.get(rel) {
        if dir.meta(rel).is_some_and(|m| m.is_dir && m.stat == k.stat) {
            into.files.extend(k.files.iter().map(|f| (f.clone(), true)));
            into.folders.extend(k.folders.iter().cloned());
            return Ok(k.folders.clone());
        }
    }
    read_folder(root, rel, into)
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
    use crate::output::index::Stat;

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

    /// A known folder as the index would give it, with the folder's identity now.
    fn known(root: &Path, rel: &str, files: &[&str], folders: &[&str]) -> KnownFolders {
        let m = std::fs::symlink_metadata(root.join(rel)).unwrap();
        let k = crate::output::index::KnownFolder {
            stat: Stat::of(&m),
            files: files.iter().map(|f| f.to_string()).collect(),
            folders: folders.iter().map(|f| f.to_string()).collect(),
        };
        [(rel.to_string(), k)].into_iter().collect()
    }

    fn sorted(mut l: Listing) -> Listing {
        l.files.sort();
        l.folders.sort();
        l
    }

    #[test]
    fn a_known_folder_is_taken_from_the_index_until_an_entry_is_added_or_removed() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("a/b")).unwrap();
        std::fs::write(r.join("a/index.html"), "x").unwrap();
        std::fs::write(r.join("a/b/index.html"), "y").unwrap();
        // What the index says of `a` (not what it holds): taken as it is while `a` is
        // untouched; `b`, which the index does not know, is read.
        let k = known(r, "a", &["a/said.html"], &["a/b"]);
        let l = sorted(list_known(r, &k).unwrap());
        assert_eq!(
            l.files,
            [
                ("a/b/index.html".into(), true),
                ("a/said.html".into(), true)
            ]
        );
        assert_eq!(l.folders, ["a", "a/b"]);
        // A file added to `a` (or removed from it) moves its times: `a` is read.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(r.join("a/stray.txt"), "s").unwrap();
        let l = sorted(list_known(r, &k).unwrap());
        assert_eq!(
            l.files,
            [
                ("a/b/index.html".into(), true),
                ("a/index.html".into(), true),
                ("a/stray.txt".into(), true)
            ]
        );
        // A folder put where a known one was is another folder: read.
        std::fs::remove_dir_all(r.join("a")).unwrap();
        std::fs::create_dir_all(r.join("a")).unwrap();
        std::fs::write(r.join("a/new.html"), "n").unwrap();
        let k = {
            let mut k = k;
            let stat = Stat::of(&std::fs::symlink_metadata(r.join("a")).unwrap());
            // Same times as the new folder, the old folder's inode.
            k.get_mut("a").unwrap().stat = Stat::with_ino(stat, stat.ino() + 1);
            k
        };
        let l = sorted(list_known(r, &k).unwrap());
        assert_eq!(l.files, [("a/new.html".into(), true)]);
    }

    #[test]
    fn a_missing_root_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        assert!(list(&d.path().join("absent")).is_err());
    }
}
