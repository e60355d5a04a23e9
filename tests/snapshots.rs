//! Expected output, page by page: every kind of page of two fixture sites, built and compared
//! with `tests/expected/<site>/<page>` (the `<main>` part of HTML pages, data files whole).
//! A change in what a reader sees shows up here as a diff to review. After an intended
//! change, `SEISAKU_BLESS=1 cargo test --release --test snapshots` rewrites the files.

mod common;
use common::*;
use std::fs;
use std::path::Path;

/// One page of each kind, the list pages, data files and feeds.
const BASIC: &[&str] = &[
    "index.html",
    "404.html",
    "documents/plan-doc/index.html",
    "plans/plan2/index.html",
    "plans/plan2/map/index.html",
    "pillars/plan2-policy-1/index.html",
    "goals/plan2-goal-01/index.html",
    "policies/research-support/index.html",
    "kpis/courses/index.html",
    "kpis/courses/data.csv",
    "kpis/courses/data.json",
    "organisations/test-ministry/index.html",
    "glossary/imdrf/index.html",
    "plans/index.html",
    "pillars/index.html",
    "policies/index.html",
    "policies/by-organisation/index.html",
    "goals/index.html",
    "kpis/index.html",
    "organisations/index.html",
    "documents/index.html",
    "glossary/index.html",
    "budgets/index.html",
    "funding/index.html",
    "events/index.html",
    "search/index.html",
    "sitemap.xml",
];

const LINEAGE: &[&str] = &[
    "events/plan3-start/index.html",
    "events/index.html",
    "compare/plan2-plan3/index.html",
    "funding/index.html",
    "plans/plan2/map/index.html",
    "policies/talent/index.html",
];

/// What is compared of a file: the `<main>` of a page, or the whole file.
fn comparable(path: &str, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).into_owned();
    if !path.ends_with(".html") {
        return text;
    }
    match (text.find("<main"), text.find("</main>")) {
        (Some(a), Some(b)) => format!("{}\n", &text[a..b + "</main>".len()]),
        _ => text,
    }
}

fn check(site: &str, pages: &[&str], extra: &[&str]) {
    let dir = copy_fixture(site);
    let mut args = vec!["build", "--out", "out"];
    args.extend_from_slice(extra);
    let o = run(&args, dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(site);
    let bless = std::env::var_os("SEISAKU_BLESS").is_some();
    let mut differing = Vec::new();
    for page in pages {
        let got = comparable(
            page,
            &fs::read(dir.path().join("out").join(page)).unwrap_or_else(|e| panic!("{page}: {e}")),
        );
        let file = expected_dir.join(page.replace('/', "__"));
        if bless {
            fs::create_dir_all(&expected_dir).unwrap();
            fs::write(&file, &got).unwrap();
            continue;
        }
        let want = fs::read_to_string(&file).unwrap_or_default();
        if want != got {
            let line = want
                .lines()
                .zip(got.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(want.lines().count().min(got.lines().count()));
            differing.push(format!(
                "{page} (first difference at line {}):\n  expected: {}\n  got:      {}",
                line + 1,
                want.lines().nth(line).unwrap_or("<end>"),
                got.lines().nth(line).unwrap_or("<end>")
            ));
        }
    }
    assert!(
        differing.is_empty(),
        "{} page(s) differ from tests/expected/{site}/ (after an intended change: SEISAKU_BLESS=1):\n{}",
        differing.len(),
        differing.join("\n")
    );
}

#[test]
fn every_kind_of_page_of_the_basic_site_is_as_expected() {
    check(
        "basic",
        BASIC,
        &["--base-url", "https://example.go.jp/plan/"],
    );
}

#[test]
fn the_lineage_pages_are_as_expected() {
    check("lineage", LINEAGE, &[]);
}
