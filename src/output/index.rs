//! What a build knows of a tree's files without reading them back: for each path, the length
//! and hash of its bytes and the identity the file had when they were written (inode,
//! modification and change times). A build that finds a file with the identity recorded
//! compares hashes instead of reading the file; any write into the file, replacement,
//! rename over it or change of its links or permissions moves its change time, and such a
//! file is read and compared as before.
//!
//! Kept beside the output in `.<name>.seisaku-index`, one section per tree, named by the
//! inode of the tree's folder (renames keep it, so a section follows its tree through the
//! exchange with the output). Only the output and the hidden tree keep their sections. The
//! index is never part of the site, so the site stays byte-identical from build to build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The hash of a file's bytes (128-bit XXH3: a changed file with an unchanged hash would
/// need a collision between two versions of the same path).
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A file's identity on disk: equal only while nobody touched the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    ino: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stat {
    #[cfg(unix)]
    pub fn of(m: &std::fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat {
            ino: m.ino(),
            modified: (m.mtime(), m.mtime_nsec()),
            changed: (m.ctime(), m.ctime_nsec()),
        }
    }

    #[cfg(not(unix))]
    pub fn of(m: &std::fs::Metadata) -> Stat {
        let ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        Stat {
            ino: 0,
            modified: (ns, 0),
            changed: (ns, 0),
        }
    }
}

#[cfg(test)]
impl Stat {
    pub fn ino(&self) -> u64 {
        self.ino
    }

    /// The same times with inode `ino`.
    pub fn with_ino(self, ino: u64) -> Stat {
        Stat { ino, ..self }
    }
}

/// What a `stat` of an entry says: its kind, its length and its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub is_file: bool,
    pub is_dir: bool,
    pub len: u64,
    pub stat: Stat,
}

impl Meta {
    pub fn of(m: &std::fs::Metadata) -> Meta {
        Meta {
            is_file: m.is_file(),
            is_dir: m.is_dir(),
            len: m.len(),
            stat: Stat::of(m),
        }
    }

    /// What the entry at `path` is, not following a link; `None` when it cannot be read.
    pub fn at(path: &Path) -> Option<Meta> {
        std::fs::symlink_metadata(path).ok().map(|m| Meta::of(&m))
    }
}

/// A folder whose entries are looked at by their paths inside it: on Unix, from the folder
/// opened once (a path of a tree's own is resolved from there, not from the root of the file
/// system: tens of thousands of lookups per build, each of a deep path otherwise).
pub struct Dir {
    path: std::path::PathBuf,
    #[cfg(unix)]
    fd: Option<std::fs::File>,
}

impl Dir {
    pub fn open(path: &Path) -> Dir {
        Dir {
            path: path.to_path_buf(),
            #[cfg(unix)]
            fd: std::fs::File::open(path).ok(),
        }
    }

    /// What the entry at `rel` (a relative path, `/`-separated, or empty for the folder
    /// itself) is, not following a link; `None` when it cannot be read.
    pub fn meta(&self, rel: &str) -> Option<Meta> {
        #[cfg(unix)]
        if let Some(fd) = &self.fd {
            use rustix::fs::{statat, AtFlags, FileType};
            let at = if rel.is_empty() { "." } else { rel };
            let st = statat(fd, at, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            let kind = FileType::from_raw_mode(st.st_mode);
            return Some(Meta {
                is_file: kind == FileType::RegularFile,
                is_dir: kind == FileType::Directory,
                len: st.st_size as u64,
                stat: Stat {
                    ino: st.st_ino,
                    modified: (st.st_mtime as i64, st.st_mtime_nsec as i64),
                    changed: (st.st_ctime as i64, st.st_ctime_nsec as i64),
                },
            });
        }
        Meta::at(&self.path.join(rel))
    }
}

/// What was written at one path: its bytes' length and hash, and the file's identity after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRecord {
    pub len: u64,
    pub hash: u128,
    pub stat: Stat,
}

impl FileRecord {
    /// Whether the file `m` describes still holds the bytes recorded: `Some(true)` or
    /// `Some(false)` when its identity is the one recorded and the hashes say, `None` when the
    /// file must be read to know.
    pub fn holds(&self, m: &Meta, len: u64, hash: u128) -> Option<bool> {
        (m.is_file && m.stat == self.stat && m.len == self.len)
            .then_some(self.len == len && self.hash == hash)
    }
}

/// The records of one tree, by path.
pub type Records = rustc_hash::FxHashMap<String, FileRecord>;

const HEADER: &str = "# seisaku: the files of the trees beside this output, as last written (hash, length, inode, modified, changed, path), and their folders (folder, inode, modified, changed, path)";

/// The index file of the output folder `dir`.
pub fn path_for(dir: &Path) -> PathBuf {
    super::sibling_name(dir, ".seisaku-index")
}

#[cfg(unix)]
fn folder_id(dir: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(dir).ok().map(|m| m.ino())
}

#[cfg(not(unix))]
fn folder_id(_: &Path) -> Option<u64> {
    None
}

/// A folder of a tree as a build left it: its identity then, and the files and folders
/// directly in it. While the folder keeps that identity nothing was added to it or removed
/// from it (any such change moves its modification and change times), so a walk of the tree
/// takes its entries from here instead of reading the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownFolder {
    pub stat: Stat,
    pub files: Vec<String>,
    pub folders: Vec<String>,
}

/// Folders of a tree whose entries are known, by path from the tree's root.
pub type KnownFolders = rustc_hash::FxHashMap<String, KnownFolder>;

/// What the index says of one tree.
#[derive(Debug, Default)]
pub struct TreeIndex {
    /// The files whose bytes it vouches for.
    pub records: Records,
    /// The folders whose entries it knows.
    pub folders: KnownFolders,
}

/// What the index at `index` says of the tree at `tree` (nothing when it has no section for
/// it or cannot be read: every file is then read and compared, every folder listed).
///
/// A file's or folder's times have the clock's granularity (milliseconds on some file
/// systems), so one recorded as changed at the time the index was written could be changed
/// again within that same tick without its times moving. Such records are left out: those
/// files are read, those folders listed.
pub fn read(index: &Path, tree: &Path) -> TreeIndex {
    read_section(index, tree, true)
}

/// The folders the index at `index` knows of the tree at `tree` (see [`read`]), its files'
/// records left unread.
pub fn known_folders(index: &Path, tree: &Path) -> KnownFolders {
    read_section(index, tree, false).folders
}

fn read_section(index: &Path, tree: &Path, with_records: bool) -> TreeIndex {
    let (Some(id), Ok(meta), Ok(text)) = (
        folder_id(tree),
        std::fs::metadata(index),
        std::fs::read_to_string(index),
    ) else {
        return TreeIndex::default();
    };
    let written = Stat::of(&meta).modified;
    let Some(section) = sections(&text).find(|(t, _)| *t == id).map(|(_, s)| s) else {
        return TreeIndex::default();
    };
    let settled = |s: &Stat| s.changed < written && s.modified < written;
    let mut records = Records::default();
    let mut files: Vec<&str> = Vec::new();
    let mut folder_lines = Vec::new();
    for line in lines(section) {
        if let Some(rest) = line.strip_prefix(FOLDER) {
            folder_lines.extend(parse_folder(rest));
        } else if let Some((f, path)) = fields::<7>(line) {
            files.push(path);
            if with_records {
                if let Some(r) = parse_record(f).filter(|r| settled(&r.stat)) {
                    records.insert(path.to_string(), r);
                }
            }
        }
    }
    let mut folders: KnownFolders = folder_lines
        .iter()
        .filter(|(_, s)| settled(s))
        .map(|(p, s)| {
            let k = KnownFolder {
                stat: *s,
                files: Vec::new(),
                folders: Vec::new(),
            };
            (p.to_string(), k)
        })
        .collect();
    for (p, _) in &folder_lines {
        if let Some(k) = parent(p).and_then(|d| folders.get_mut(d)) {
            k.folders.push(p.to_string());
        }
    }
    for p in files {
        if let Some(k) = parent(p).and_then(|d| folders.get_mut(d)) {
            k.files.push(p.to_string());
        }
    }
    TreeIndex { records, folders }
}

/// The folder of a path (none at the root).
fn parent(p: &str) -> Option<&str> {
    p.rsplit_once('/').map(|(d, _)| d)
}

/// How a folder's line starts (a file's line starts with a hexadecimal hash).
const FOLDER: &str = "folder ";

fn parse_folder(rest: &str) -> Option<(&str, Stat)> {
    let (f, path) = fields::<5>(rest)?;
    Some((path, parse_stat(f)?))
}

/// The sections of an index: each tree's id and its lines.
fn sections(text: &str) -> impl Iterator<Item = (u64, &str)> {
    const MARK: &str = "\ntree ";
    let starts: Vec<usize> = memchr::memmem::find_iter(text.as_bytes(), MARK)
        .map(|i| i + MARK.len())
        .collect();
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|s| s - MARK.len())
        .chain([text.len()])
        .collect();
    starts.into_iter().zip(ends).filter_map(|(a, b)| {
        let s = &text[a..b];
        let (id, rest) = s.split_once('\n').unwrap_or((s, ""));
        Some((id.trim().parse().ok()?, rest))
    })
}

/// The lines of `text` (found with a vectorised search; the index is large at scale).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain([text.len()])
        .filter_map(move |end| {
            let line = &text[start.min(end)..end];
            start = end + 1;
            (!line.is_empty()).then_some(line)
        })
}

/// The first `N` space-separated fields of `line` and the rest after them (a path, which may
/// hold spaces itself).
fn fields<const N: usize>(line: &str) -> Option<([&str; N], &str)> {
    let mut out = [""; N];
    let mut start = 0;
    let mut spaces = memchr::memchr_iter(b' ', line.as_bytes());
    for f in &mut out {
        let end = spaces.next()?;
        *f = &line[start..end];
        start = end + 1;
    }
    Some((out, &line[start..]))
}

/// A file's record from the fields of its line before the path.
fn parse_record([hash, len, ino, m, mn, c, cn]: [&str; 7]) -> Option<FileRecord> {
    Some(FileRecord {
        hash: u128::from_str_radix(hash, 16).ok()?,
        len: len.parse().ok()?,
        stat: parse_stat([ino, m, mn, c, cn])?,
    })
}

/// An identity from its fields: inode, modification and change times (seconds, nanoseconds).
fn parse_stat([ino, m, mn, c, cn]: [&str; 5]) -> Option<Stat> {
    let n = |f: &str| f.parse::<i64>().ok();
    Some(Stat {
        ino: ino.parse().ok()?,
        modified: (n(m)?, n(mn)?),
        changed: (n(c)?, n(cn)?),
    })
}

/// What a build writes of one tree: its files' records and, when every file and folder of
/// the tree has its record, the identity of each folder but the root (a folder left out
/// would hide what is under it: without every one, none is written and the tree is listed).
#[derive(Clone, Copy)]
pub struct Section<'a> {
    pub records: &'a [(&'a str, FileRecord)],
    pub folders: &'a [(&'a str, Stat)],
}

/// Writes the section of the tree at `tree` and that of the tree at `other` (the output, or
/// the hidden tree): given anew, or without it kept as the index has it. Sections of trees
/// that are gone are dropped. Written whole into a temporary file, then renamed over the
/// index.
pub fn write(
    index: &Path,
    tree: &Path,
    section: Section<'_>,
    other: &Path,
    other_section: Option<Section<'_>>,
) -> std::io::Result<()> {
    let Some(id) = folder_id(tree) else {
        return Ok(());
    };
    let mut text =
        String::with_capacity(section.records.len() * 96 + section.folders.len() * 64 + 256);
    text.push_str(HEADER);
    let _ = write!(text, "\ntree {id}\n");
    push_section(&mut text, section);
    if let Some(o) = folder_id(other).filter(|o| *o != id) {
        match other_section {
            Some(s) => {
                let _ = write!(text, "\ntree {o}\n");
                push_section(&mut text, s);
            }
            None => {
                let old = std::fs::read_to_string(index).unwrap_or_default();
                let kept = sections(&old).find(|(t, _)| *t == o).map(|(_, s)| s);
                if let Some(s) = kept {
                    let _ = write!(text, "\ntree {o}\n{s}");
                }
            }
        }
    }
    let mut tmp = index.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    // A new file, never one found there (a link left at that name is not followed).
    let _ = std::fs::remove_file(&tmp);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    drop(file);
    std::fs::rename(&tmp, index)
}

fn push_section(text: &mut String, section: Section<'_>) {
    for (path, r) in section.records {
        let s = &r.stat;
        let _ = writeln!(
            text,
            "{:032x} {} {} {} {} {} {} {path}",
            r.hash, r.len, s.ino, s.modified.0, s.modified.1, s.changed.0, s.changed.1
        );
    }
    for (path, s) in section.folders {
        let _ = writeln!(
            text,
            "{FOLDER}{} {} {} {} {} {path}",
            s.ino, s.modified.0, s.modified.1, s.changed.0, s.changed.1
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_looked_at_from_its_folder_is_what_its_whole_path_says() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("a/b c")).unwrap();
        std::fs::write(root.join("a/b c/index.html"), b"page").unwrap();
        std::fs::write(root.join("top.html"), b"").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("a", root.join("link")).unwrap();
        let dir = Dir::open(root);
        for rel in ["", "a", "a/b c", "a/b c/index.html", "top.html", "link"] {
            if rel == "link" && cfg!(not(unix)) {
                continue;
            }
            let whole = Meta::of(&std::fs::symlink_metadata(root.join(rel)).unwrap());
            assert_eq!(dir.meta(rel), Some(whole), "{rel}");
        }
        let file = dir.meta("a/b c/index.html").unwrap();
        assert!(file.is_file && !file.is_dir && file.len == 4);
        assert!(dir.meta("a").unwrap().is_dir);
        #[cfg(unix)]
        {
            let link = dir.meta("link").unwrap();
            assert!(!link.is_file && !link.is_dir, "a link is not followed");
        }
        assert_eq!(dir.meta("missing"), None);
        assert_eq!(dir.meta("top.html/x"), None);
    }

    fn record(dir: &Path, name: &str, bytes: &[u8]) -> FileRecord {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        FileRecord {
            len: bytes.len() as u64,
            hash: hash(bytes),
            stat: Stat::of(&std::fs::symlink_metadata(&p).unwrap()),
        }
    }

    /// A section of files only.
    fn files<'a>(records: &'a [(&'a str, FileRecord)]) -> Section<'a> {
        Section {
            records,
            folders: &[],
        }
    }

    /// A temporary folder with an empty tree `t` in it.
    fn with_tree() -> (tempfile::TempDir, std::path::PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let tree = d.path().join("t");
        std::fs::create_dir_all(&tree).unwrap();
        (d, tree)
    }

    #[test]
    fn records_are_read_back_for_their_tree_and_the_other_trees_section_is_kept() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let index = d.path().join(".out.seisaku-index");
        let ra = record(&a, "x.html", b"x");
        let rb = record(&b, "y y.html", b"yy");
        // Written a clock tick after the files, as a build's index is.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&index, &a, files(&[("x.html", ra)]), &b, None).unwrap();
        write(&index, &b, files(&[("y y.html", rb)]), &a, None).unwrap();
        assert_eq!(read(&index, &a).records.get("x.html"), Some(&ra));
        // A path with spaces reads back whole.
        assert_eq!(read(&index, &b).records.get("y y.html"), Some(&rb));
        // A third tree in place of `a`: a's section is dropped at the next write.
        let c = d.path().join("c");
        std::fs::create_dir_all(&c).unwrap();
        write(&index, &b, files(&[("y y.html", rb)]), &c, None).unwrap();
        assert!(read(&index, &a).records.is_empty());
        assert_eq!(read(&index, &b).records.len(), 1);
    }

    #[test]
    fn a_file_recorded_no_earlier_than_the_index_is_not_vouched_for() {
        let (d, tree) = with_tree();
        let index = d.path().join(".out.seisaku-index");
        let r = record(&tree, "p.html", b"page");
        // Changed as late as the index itself (here: later than it will be written).
        let racy = FileRecord {
            stat: Stat {
                changed: (r.stat.changed.0 + 60, 0),
                ..r.stat
            },
            ..r
        };
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(
            &index,
            &tree,
            files(&[("p.html", r), ("q.html", racy)]),
            &tree,
            None,
        )
        .unwrap();
        let read_back = read(&index, &tree).records;
        assert_eq!(read_back.get("p.html"), Some(&r));
        assert_eq!(read_back.get("q.html"), None);
    }

    #[test]
    fn folders_are_known_with_their_entries_unless_recorded_no_earlier_than_the_index() {
        let (d, tree) = with_tree();
        let index = d.path().join(".out.seisaku-index");
        std::fs::create_dir_all(tree.join("a/b c/d")).unwrap();
        let page = record(&tree, "a/index.html", b"a");
        let deep = record(&tree, "a/b c/d/index.html", b"d");
        let top = record(&tree, "index.html", b"top");
        let stat = |p: &str| Stat::of(&std::fs::symlink_metadata(tree.join(p)).unwrap());
        let (a, bc, dd) = (stat("a"), stat("a/b c"), stat("a/b c/d"));
        let racy = Stat {
            changed: (dd.changed.0 + 60, 0),
            ..dd
        };
        std::thread::sleep(std::time::Duration::from_millis(20));
        let records = [
            ("a/b c/d/index.html", deep),
            ("a/index.html", page),
            ("index.html", top),
        ];
        let folders = [("a", a), ("a/b c", bc), ("a/b c/d", racy)];
        let section = Section {
            records: &records,
            folders: &folders,
        };
        write(&index, &tree, section, &tree, None).unwrap();
        let known = read(&index, &tree).folders;
        let entries = |p: &str| known.get(p).map(|k| (k.stat, &k.files, &k.folders));
        assert_eq!(
            entries("a"),
            Some((a, &vec!["a/index.html".into()], &vec!["a/b c".into()]))
        );
        // A path with a space reads back whole; a folder changed as late as the index is
        // not known (it is read), though its parent knows it is there.
        assert_eq!(
            entries("a/b c"),
            Some((bc, &vec![], &vec!["a/b c/d".into()]))
        );
        assert_eq!(entries("a/b c/d"), None);
        // The root is never known: it is read.
        assert_eq!(entries(""), None);
        assert_eq!(known.len(), 2);
        // An index of files only knows no folder.
        write(&index, &tree, files(&records), &tree, None).unwrap();
        assert!(read(&index, &tree).folders.is_empty());
    }

    #[test]
    fn a_link_at_the_temporary_name_is_replaced_not_followed() {
        let (d, tree) = with_tree();
        let outside = d.path().join("outside.txt");
        std::fs::write(&outside, "keep").unwrap();
        let index = d.path().join(".out.seisaku-index");
        std::os::unix::fs::symlink(&outside, d.path().join(".out.seisaku-index.tmp")).unwrap();
        write(&index, &tree, files(&[]), &tree, None).unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
        assert!(std::fs::read_to_string(&index).unwrap().starts_with(HEADER));
    }

    #[test]
    fn a_record_holds_only_while_the_file_is_untouched() {
        let d = tempfile::tempdir().unwrap();
        let r = record(d.path(), "p.html", b"page");
        let p = d.path().join("p.html");
        let meta = || Meta::of(&std::fs::symlink_metadata(&p).unwrap());
        assert_eq!(r.holds(&meta(), 4, hash(b"page")), Some(true));
        assert_eq!(r.holds(&meta(), 4, hash(b"gape")), Some(false));
        // Written into with bytes of the same length: the file must be read.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&p, b"gape").unwrap();
        assert_eq!(r.holds(&meta(), 4, hash(b"gape")), None);
    }
}
