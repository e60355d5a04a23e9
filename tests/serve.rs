//! `seisaku serve` driven as an editor would: start it, listen for reloads, edit files.
//! Every wait is bounded in time.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    /// Every line the server printed on stderr so far.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    let mut child = Command::new(bin())
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let log = Arc::new(Mutex::new(Vec::new()));
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            log.lock().unwrap().push(line.clone());
            if let Some(i) = line.find("http://") {
                let addr = line[i + 7..].split('/').next().unwrap().to_string();
                let keep = log.clone();
                std::thread::spawn(move || {
                    while let Ok(l) = rx.recv() {
                        keep.lock().unwrap().push(l);
                    }
                });
                return Server { child, addr, log };
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not start");
}

fn get(addr: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_string(), body.to_string())
}

/// The status and body of `path`, asked for in HTTP/1.0 so that a large body comes whole,
/// not in chunks.
fn get_whole(addr: &str, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(70))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let end = head_end(&buf).unwrap_or_else(|| panic!("no response to {path}"));
    let status = String::from_utf8_lossy(&buf[..end])
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, buf[end + 4..].to_vec())
}

/// Where the head of a response ends.
fn head_end(response: &[u8]) -> Option<usize> {
    response.windows(4).position(|w| w == b"\r\n\r\n")
}

/// Reads the event stream on a thread; events arrive on the channel as (name, data).
fn events(addr: &str) -> Receiver<(String, String)> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /__seisaku/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send((name.clone(), d.to_string())).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

fn next_event(rx: &Receiver<(String, String)>, secs: u64) -> (String, String) {
    rx.recv_timeout(Duration::from_secs(secs))
        .expect("an event in time")
}

#[test]
fn edit_reloads_error_overlays_and_recovery() {
    let site = copy_fixture("basic");
    let server = start(site.path());
    let ev = events(&server.addr);
    assert_eq!(next_event(&ev, 10).0, "reload", "initial state");
    let (status, head, body) = get(&server.addr, "/policies/research-support/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"));
    assert!(
        body.contains("/__seisaku/live.js"),
        "reload script injected in serve mode"
    );

    // An edit: a reload arrives and the served page changed.
    let p = site.path().join("content/policies/research-support.md");
    let original = std::fs::read_to_string(&p).unwrap();
    let t0 = Instant::now();
    std::fs::write(
        &p,
        original.replace("title = \"研究開発支援\"", "title = \"研究開発支援（改）\""),
    )
    .unwrap();
    let (name, _) = next_event(&ev, 10);
    let latency = t0.elapsed();
    assert_eq!(name, "reload");
    assert!(get(&server.addr, "/policies/research-support/")
        .2
        .contains("研究開発支援（改）"));
    eprintln!("save-to-reload: {latency:?}");

    // A broken edit: the overlay gets file and line; the last good page is still served.
    std::fs::write(
        &p,
        original.replace("kind = \"measure\"", "kind = \"measur\""),
    )
    .unwrap();
    let (name, data) = next_event(&ev, 10);
    assert_eq!(name, "builderror");
    assert!(
        data.contains("content/policies/research-support.md") && data.contains("\"line\":3"),
        "{data}"
    );
    assert!(get(&server.addr, "/policies/research-support/")
        .2
        .contains("研究開発支援（改）"));

    // Fixing it clears the error and reloads.
    std::fs::write(&p, &original).unwrap();
    assert_eq!(next_event(&ev, 10).0, "reload");
    let body = get(&server.addr, "/policies/research-support/").2;
    assert!(body.contains("<h1>研究開発支援</h1>"), "{body}");
}

#[test]
fn added_and_removed_files_and_bursts_of_saves() {
    let site = copy_fixture("basic");
    let server = start(site.path());
    let ev = events(&server.addr);
    next_event(&ev, 10);
    let p = site.path().join("content/terms/new-term.md");
    std::fs::write(
        &p,
        "+++\ntitle = \"NEWTERM\"\nsource = []\n+++\n新しい用語。\n",
    )
    .unwrap();
    next_event(&ev, 10);
    assert_eq!(get(&server.addr, "/glossary/new-term/").0, 200);
    std::fs::remove_file(&p).unwrap();
    next_event(&ev, 10);
    assert_eq!(get(&server.addr, "/glossary/new-term/").0, 404);
    // 100 saves in a burst end with the final state built.
    let q = site.path().join("content/terms/device-lag.md");
    let base = std::fs::read_to_string(&q).unwrap();
    for i in 0..100 {
        std::fs::write(&q, base.replace("遅れ。", &format!("遅れ。版{i}"))).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let _ = ev.recv_timeout(Duration::from_millis(500));
        if get(&server.addr, "/glossary/device-lag/")
            .2
            .contains("版99")
        {
            break;
        }
        assert!(Instant::now() < deadline, "final state not served in time");
    }
}

#[test]
fn refuses_paths_out_of_the_site_and_answers_404() {
    let site = copy_fixture("basic");
    let server = start(site.path());
    for bad in [
        "/../Cargo.toml",
        "/%2e%2e/site.toml",
        "/static/%2E%2E/%2E%2E/site.toml",
        "/..%2fsite.toml",
    ] {
        let (status, _, body) = get(&server.addr, bad);
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(!body.contains("title ="), "{bad} leaked a file");
    }
    let (status, _, body) = get(&server.addr, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("ページが見つかりません"));
    let (_, head, _) = get(&server.addr, "/static/style.css");
    assert!(head.contains("text/css"));
    // Many concurrent requests are all answered.
    let handles: Vec<_> = (0..64)
        .map(|_| {
            let a = server.addr.clone();
            std::thread::spawn(move || get(&a, "/").0)
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap() == 200));
}

#[test]
fn first_build_failing_still_serves_and_recovers() {
    let site = copy_fixture("basic");
    let p = site.path().join("content/kpis/courses.toml");
    let original = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, "title = \n").unwrap();
    let server = start(site.path());
    let ev = events(&server.addr);
    let (name, data) = next_event(&ev, 10);
    assert_eq!(name, "builderror");
    assert!(data.contains("content/kpis/courses.toml"), "{data}");
    let (status, _, body) = get(&server.addr, "/");
    assert_eq!(status, 503);
    assert!(body.contains("content/kpis/courses.toml"));
    std::fs::write(&p, original).unwrap();
    assert_eq!(next_event(&ev, 10).0, "reload");
    assert_eq!(get(&server.addr, "/").0, 200);
}

#[test]
fn every_entity_page_offers_its_source_in_serve_only() {
    let site = copy_fixture("basic");
    let server = start(site.path());
    let (status, _, body) = get(&server.addr, "/policies/research-support/");
    assert_eq!(status, 200);
    let link = "<a class=\"open-source\" href=\"/__seisaku/open?path=content/policies/research-support.md&amp;line=2#L2\">ソースを開く</a> <span class=\"small\">content/policies/research-support.md:2</span>";
    assert!(body.contains(link), "{body}");
    // The dev server shows the file with line numbers, the title's line marked.
    let (status, head, src) = get(
        &server.addr,
        "/__seisaku/open?path=content/policies/research-support.md&line=2",
    );
    assert_eq!(status, 200, "{src}");
    assert!(head.contains("text/html"));
    assert!(
        src.contains("<li id=\"L2\" value=\"2\" class=\"hl\"><a class=\"ln\" href=\"#L2\">2</a><span class=\"lt\">title = \"研究開発支援\"</span></li>"),
        "{src}"
    );
    // Only sources: nothing outside content/.
    for bad in [
        "site.toml",
        "content/../site.toml",
        "/etc/passwd",
        "content/policies/none.md",
    ] {
        let (status, _, _) = get(&server.addr, &format!("/__seisaku/open?path={bad}&line=1"));
        assert_eq!(status, 404, "{bad}");
    }
    // An editor's URL scheme instead, from site.toml: the page links it after the rebuild.
    drop(server);
    let toml = site.path().join("site.toml");
    std::fs::write(
        &toml,
        std::fs::read_to_string(&toml).unwrap() + "open_url = \"vscode://file{abs_path}:{line}\"\n",
    )
    .unwrap();
    let server = start(site.path());
    let (_, _, body) = get(&server.addr, "/organisations/test-ministry/");
    let abs = site
        .path()
        .canonicalize()
        .unwrap()
        .join("content/organisations/test-ministry.toml");
    assert!(
        body.contains(&format!(
            "href=\"vscode://file{}:1\">ソースを開く</a>",
            abs.display()
        )),
        "{body}"
    );
}

#[test]
fn build_output_has_no_reload_script() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    for (path, bytes) in snapshot(&site.path().join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__seisaku"),
            "{path}"
        );
    }
}

#[test]
fn a_rebuild_reading_the_sources_does_not_trigger_another() {
    let site = copy_fixture("basic");
    let server = start(site.path());
    let ev = events(&server.addr);
    next_event(&ev, 10);
    let p = site.path().join("content/terms/imdrf.md");
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, t.replace("枠組み。", "枠組み。改")).unwrap();
    assert_eq!(next_event(&ev, 10).0, "reload");
    // The rebuild read every source; reading is not a change, so nothing more arrives.
    assert!(
        ev.recv_timeout(Duration::from_millis(1500)).is_err(),
        "a rebuild loop"
    );
}

/// Waits until `path` is served with `needle` in its body, draining events meanwhile.
fn wait_served(
    server: &Server,
    ev: &Receiver<(String, String)>,
    path: &str,
    needle: &str,
) -> (u16, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _, body) = get(&server.addr, path);
        if body.contains(needle) {
            return (status, body);
        }
        assert!(
            Instant::now() < deadline,
            "{path} never served `{needle}`; last: {status} {body:.300}\nlog:\n{}",
            server.log()
        );
        let _ = ev.recv_timeout(Duration::from_millis(300));
    }
}

#[test]
fn survives_content_moved_away_and_back_and_themes_created_later() {
    let site = copy_fixture("basic");
    let root = site.path();
    let server = start(root);
    let ev = events(&server.addr);
    assert_eq!(next_event(&ev, 10).0, "reload");

    // A branch switch or a sync tool moves the whole folder away and back.
    std::fs::rename(root.join("content"), root.join("content.away")).unwrap();
    let (name, data) = next_event(&ev, 10);
    assert_eq!(name, "builderror", "{data}");
    std::fs::rename(root.join("content.away"), root.join("content")).unwrap();
    assert_eq!(next_event(&ev, 10).0, "reload");
    let p = root.join("content/policies/research-support.md");
    let original = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        original.replace("研究開発支援", "研究開発支援（戻った後）"),
    )
    .unwrap();
    wait_served(
        &server,
        &ev,
        "/policies/research-support/",
        "研究開発支援（戻った後）",
    );
    assert!(
        server
            .log()
            .contains("content/policies/research-support.md"),
        "the terminal names the changed file:\n{}",
        server.log()
    );

    // A themes/ folder created after the start is watched like the others.
    std::fs::create_dir_all(root.join("themes/default/static")).unwrap();
    std::fs::write(root.join("themes/default/static/extra.css"), "a{color:red}").unwrap();
    wait_served(&server, &ev, "/static/extra.css", "a{color:red}");
    std::fs::write(
        root.join("themes/default/static/extra.css"),
        "a{color:blue}",
    )
    .unwrap();
    wait_served(&server, &ev, "/static/extra.css", "a{color:blue}");

    // A folder deleted and made again, with new files in it.
    let sub = root.join("content/terms/extra");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join("one.md"),
        "+++\ntitle = \"ONE\"\nsource = []\n+++\n一。\n",
    )
    .unwrap();
    wait_served(&server, &ev, "/glossary/one/", "ONE");
    std::fs::remove_dir_all(&sub).unwrap();
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join("two.md"),
        "+++\ntitle = \"TWO\"\nsource = []\n+++\n二。\n",
    )
    .unwrap();
    wait_served(&server, &ev, "/glossary/two/", "TWO");
    std::fs::write(
        sub.join("two.md"),
        "+++\ntitle = \"TWO2\"\nsource = []\n+++\n二。\n",
    )
    .unwrap();
    wait_served(&server, &ev, "/glossary/two/", "TWO2");
    // The whole content/ deleted and written anew.
    let backup = tempfile::tempdir().unwrap();
    copy_dir(&root.join("content"), backup.path());
    std::fs::remove_dir_all(root.join("content")).unwrap();
    let _ = next_event(&ev, 10);
    copy_dir(backup.path(), &root.join("content"));
    std::fs::write(
        &p,
        original.replace("研究開発支援", "研究開発支援（作り直し）"),
    )
    .unwrap();
    wait_served(
        &server,
        &ev,
        "/policies/research-support/",
        "研究開発支援（作り直し）",
    );
    std::fs::write(
        &p,
        original.replace("研究開発支援", "研究開発支援（その後）"),
    )
    .unwrap();
    wait_served(
        &server,
        &ev,
        "/policies/research-support/",
        "研究開発支援（その後）",
    );
}

#[test]
fn a_broken_template_at_start_says_what_is_served() {
    let site = copy_fixture("basic");
    site_template(site.path(), "term.html", "{% extends \"base.html\" %}{% block content %}{{ page.title | nosuchfilter }}{% endblock content %}");
    let server = start(site.path());
    let ev = events(&server.addr);
    assert_eq!(next_event(&ev, 10).0, "builderror");
    let (status, _, body) = get(&server.addr, "/");
    assert_eq!(status, 503);
    assert!(body.contains("nosuchfilter"), "{body}");
    let log = server.log();
    assert!(!log.contains("last good site"), "{log}");
    assert!(log.contains("no site has been built yet"), "{log}");
    std::fs::remove_file(site.path().join("themes/default/templates/term.html")).unwrap();
    assert_eq!(next_event(&ev, 10).0, "reload");
    assert_eq!(get(&server.addr, "/").0, 200);
}

#[test]
fn the_404_page_keeps_its_style_at_any_depth_and_no_footer_link_is_dead() {
    let site = copy_fixture("basic");
    let cfg = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        format!("{cfg}offline_archive = true\n"),
    )
    .unwrap();
    let server = start(site.path());
    let (status, _, body) = get(&server.addr, "/deep/er/no/such/page/");
    assert_eq!(status, 404);
    // Relative links of the 404 page resolve from the site root at any depth.
    assert!(body.contains("<base href=\"/\">"), "{body}");
    assert!(body.contains("href=\"static/style.css\""), "{body}");
    // Every link of a page is served.
    for page in ["/", "/policies/research-support/"] {
        let body = get(&server.addr, page).2;
        for l in links(&body) {
            if l.starts_with("http") || l.starts_with('#') || l.contains("?q=") {
                continue;
            }
            let joined = if l.starts_with('/') {
                l.clone()
            } else {
                format!("{page}{l}")
            };
            let mut parts: Vec<&str> = Vec::new();
            for seg in joined.split('#').next().unwrap().split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            let target = format!("/{}", parts.join("/"));
            let (status, _, _) = get(&server.addr, &target);
            assert!(status == 200, "{page}: {l} gives {status}");
        }
    }
}

/// A site of `policies` policies (and their KPIs, terms, ...) made by the benchmark's
/// generator, in `<dir>/seisaku`: large enough that its search index takes a while to make.
fn generated_site(policies: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let gen = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_corpus.py");
    let ok = Command::new("python3")
        .arg(&gen)
        .arg(policies.to_string())
        .arg(dir.path())
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(ok.success());
    dir
}

/// The files of the search index `seisaku build` wrote into `out`, by path from the site root.
fn built_search_files(out: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(
        "search-index.js".to_string(),
        std::fs::read(out.join("search-index.js")).unwrap(),
    )];
    for (path, bytes) in snapshot(&out.join("search-index")) {
        files.push((format!("search-index/{path}"), bytes));
    }
    assert!(files.len() > 100, "{} files", files.len());
    files
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The edit of the search tests: a word of a policy's body replaced by one found nowhere else
/// in the site.
const BODY_WORD: (&str, &str) = ("人材育成とリスキリング", "人材育成と鏡餅");

/// The new word as a token of a token shard.
const NEW_TOKEN: &str = "\"鏡餅\":";

fn edit_body(site: &std::path::Path) {
    let p = site.join("content/policies/pol00000.md");
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(BODY_WORD.0));
    std::fs::write(&p, text.replacen(BODY_WORD.0, BODY_WORD.1, 1)).unwrap();
}

#[test]
fn search_files_served_after_a_reload_are_those_of_the_edited_site() {
    let gen = generated_site(2000);
    let site = gen.path().join("seisaku");
    // What fresh builds of the sources and of the edited sources write, and which files of the
    // search index the edit changed.
    let edited = tempfile::tempdir().unwrap();
    copy_dir(&site, edited.path());
    edit_body(edited.path());
    let out = tempfile::tempdir().unwrap();
    for (root, to) in [(site.as_path(), "before"), (edited.path(), "after")] {
        let o = run(
            &["build", "--root", root.to_str().unwrap(), "--out", to],
            out.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let before = built_search_files(&out.path().join("before"));
    let after = built_search_files(&out.path().join("after"));
    assert!(!before.iter().any(|(_, js)| contains(js, "鏡餅")));
    let (mut changed, same): (Vec<_>, Vec<_>) =
        after.into_iter().partition(|f| !before.contains(f));
    assert!(
        changed.iter().any(|(_, js)| contains(js, NEW_TOKEN)),
        "the new word is a token of the index"
    );

    let server = start(&site);
    let ev = events(&server.addr);
    assert_eq!(next_event(&ev, 60).0, "reload", "initial state");
    edit_body(&site);
    let (name, data) = next_event(&ev, 60);
    assert_eq!(name, "reload", "{data}");
    // Right after the reload: the files the edit changed first, then every other one.
    changed.extend(same);
    assert_served(&server, changed, "the edited site's");
}

/// Fails unless each of `files` is served with its bytes (`whose`: what they are, for the
/// message).
fn assert_served(server: &Server, files: Vec<(String, Vec<u8>)>, whose: &str) {
    for (path, js) in files {
        let (status, body) = get_whole(&server.addr, &format!("/{path}"));
        assert_eq!(status, 200, "{path}");
        assert!(body == js, "{path} is not {whose}\nlog:\n{}", server.log());
    }
}

#[test]
fn a_body_edit_reloads_and_serves_the_page_and_its_search_index() {
    let gen = generated_site(2000);
    let site = gen.path().join("seisaku");
    let server = start(&site);
    let ev = events(&server.addr);
    assert_eq!(next_event(&ev, 60).0, "reload", "initial state");
    edit_body(&site);
    let t0 = Instant::now();
    let (name, data) = next_event(&ev, 60);
    assert_eq!(name, "reload", "{data}");
    eprintln!("save-to-reload: {:?}", t0.elapsed());
    let (status, page) = get_whole(&server.addr, "/policies/pol00000/");
    assert_eq!(status, 200);
    assert!(contains(&page, BODY_WORD.1));
    // The search index served with it finds the new word.
    let (status, meta) = get_whole(&server.addr, "/search-index.js");
    assert_eq!(status, 200);
    let meta = String::from_utf8(meta).unwrap();
    let shards: usize = meta
        .split("\"t\":")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{meta:.200}"));
    let found = (0..shards).any(|i| {
        let (status, js) = get_whole(&server.addr, &format!("/search-index/t-{i}.js"));
        assert_eq!(status, 200);
        contains(&js, NEW_TOKEN)
    });
    assert!(
        found,
        "the new word is in the served index\nlog:\n{}",
        server.log()
    );
    // The terminal says when the search index is in place.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = server.log();
        let rebuilt = log.rfind("rebuilt ").unwrap();
        if log[rebuilt..].contains("search index ready") {
            break;
        }
        assert!(Instant::now() < deadline, "{log}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A folder of sources moved away, edited and moved back in one go: its files are not
/// reported one by one, and the edit is still served.
#[test]
fn a_folder_moved_back_with_an_edited_file_is_read_again() {
    let site = copy_fixture("basic");
    let root = site.path();
    let group = root.join("content/policies/group");
    std::fs::create_dir_all(&group).unwrap();
    let original =
        std::fs::read_to_string(root.join("content/policies/research-support.md")).unwrap();
    let nested = original.replace("研究開発支援", "入れ子の施策");
    assert_ne!(nested, original);
    std::fs::write(group.join("nested-policy.md"), &nested).unwrap();
    let server = start(root);
    let ev = events(&server.addr);
    assert_eq!(next_event(&ev, 10).0, "reload");
    wait_served(&server, &ev, "/policies/nested-policy/", "入れ子の施策");

    let away = root.join("group.away");
    std::fs::rename(&group, &away).unwrap();
    std::fs::write(
        away.join("nested-policy.md"),
        nested.replace("入れ子の施策", "入れ子の施策（移動の間に編集）"),
    )
    .unwrap();
    std::fs::rename(&away, &group).unwrap();
    wait_served(
        &server,
        &ev,
        "/policies/nested-policy/",
        "入れ子の施策（移動の間に編集）",
    );
}

/// A save while the search index of the previous one is being made: that index is given up
/// or finished, and what is served after the second reload is the index of the newest sources.
#[test]
fn a_save_during_the_search_index_of_the_last_one_serves_the_newest_index() {
    let gen = generated_site(2000);
    let site = gen.path().join("seisaku");
    let second = |root: &std::path::Path| {
        let p = root.join("content/policies/pol00001.md");
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(BODY_WORD.0));
        std::fs::write(&p, text.replacen(BODY_WORD.0, "人材育成と門松", 1)).unwrap();
    };
    let edited = tempfile::tempdir().unwrap();
    copy_dir(&site, edited.path());
    edit_body(edited.path());
    second(edited.path());
    let out = tempfile::tempdir().unwrap();
    let o = run(
        &[
            "build",
            "--root",
            edited.path().to_str().unwrap(),
            "--out",
            "after",
        ],
        out.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let after = built_search_files(&out.path().join("after"));

    let server = start(&site);
    let ev = events(&server.addr);
    assert_eq!(next_event(&ev, 60).0, "reload", "initial state");
    edit_body(&site);
    assert_eq!(next_event(&ev, 60).0, "reload");
    // At once: while the first edit's search index is being made.
    second(&site);
    assert_eq!(next_event(&ev, 60).0, "reload");
    assert_served(&server, after, "the newest sources'");
}

/// An editor commits while previewing: the commit changes no source, and the next save shows
/// the pages dated by it (the history is read again once the repository moved).
#[test]
fn a_commit_made_while_serving_dates_the_pages_at_the_next_save() {
    let site = copy_fixture("basic");
    let root = site.path();
    let first = "2024-03-05T10:00:00+09:00";
    git(root, &["init", "-q"], first);
    git(root, &["add", "."], first);
    git(root, &["commit", "-qm", "first"], first);
    let server = start(root);
    let ev = events(&server.addr);
    assert_eq!(next_event(&ev, 60).0, "reload", "initial state");
    let page = "/policies/research-support/";
    wait_served(&server, &ev, page, "<time datetime=\"2024-03-05\">");
    let policy = root.join("content/policies/research-support.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text + "\nAPPENDED-PARAGRAPH\n").unwrap();
    wait_served(&server, &ev, page, "APPENDED-PARAGRAPH");
    git(
        root,
        &["commit", "-qam", "second"],
        "2025-01-02T10:00:00+09:00",
    );
    // A later save of another file.
    let term = root.join("content/terms/imdrf.md");
    let text = std::fs::read_to_string(&term).unwrap();
    std::fs::write(&term, text + "\nANOTHER-PARAGRAPH\n").unwrap();
    let (_, body) = wait_served(&server, &ev, page, "<time datetime=\"2025-01-02\">");
    assert!(
        !body.contains("<time datetime=\"2024-03-05\">"),
        "{body:.2000}"
    );
}
