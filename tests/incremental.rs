//! Watch mode's reuse of unchanged work: after edits, a rebuild through the cache gives exactly
//! the site a fresh build gives.

mod common;
use common::*;
use seisaku::build::Caches;
use seisaku::render::RenderOptions;
use seisaku::serve::build_in_memory;
use std::collections::BTreeMap;
use std::fs;

fn site_map(root: &std::path::Path, cache: &Caches) -> BTreeMap<String, Vec<u8>> {
    let (files, _) = build_in_memory(root, cache).unwrap_or_else(|d| panic!("{d:?}"));
    files
        .into_iter()
        .map(|f| (f.path, f.bytes.to_vec()))
        .collect()
}

/// The site as watch mode shows it, rendered at once: no cache, the search index made with
/// the pages.
fn at_once(root: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let opts = RenderOptions {
        live_reload: true,
        ..Default::default()
    };
    let mut made = None;
    let search = seisaku::build::build_files(root, None, &opts, None, |m| made = Some(m))
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert!(search.is_some_and(|s| s.is_empty()));
    made.unwrap()
        .files
        .into_iter()
        .map(|f| (f.path, f.bytes.to_vec()))
        .collect()
}

/// Replaces the first `from` in the file at `p` under `root` with `to`.
fn edit(root: &std::path::Path, p: &str, from: &str, to: &str) {
    let f = root.join(p);
    let t = fs::read_to_string(&f).unwrap();
    assert!(t.contains(from), "{p} lacks {from}");
    fs::write(&f, t.replacen(from, to, 1)).unwrap();
}

/// Adds a paragraph at the end of the file at `p` under `root`.
fn append(root: &std::path::Path, p: &str, text: &str) {
    let f = root.join(p);
    let t = fs::read_to_string(&f).unwrap();
    fs::write(&f, format!("{t}\n{text}\n")).unwrap();
}

/// Fails, naming `after`, unless the two sites hold the same files with the same bytes.
fn assert_same_site(
    got: &BTreeMap<String, Vec<u8>>,
    want: &BTreeMap<String, Vec<u8>>,
    after: &str,
) {
    let differing: Vec<&String> = want
        .keys()
        .filter(|k| got.get(*k) != want.get(*k))
        .collect();
    assert!(
        differing.is_empty() && got.len() == want.len(),
        "after {after}: stale pages {differing:?}"
    );
}

#[test]
fn cached_rebuilds_equal_fresh_builds_after_each_kind_of_edit() {
    let site = copy_fixture("basic");
    let root = site.path();
    let cache = Caches::default();
    // As in watch mode: only the files the watcher reports are looked at again.
    cache.parsed.reported_by_watcher();
    site_map(root, &cache);
    let edit = |p: &str, from: &str, to: &str| {
        edit(root, p, from, to);
        cache.parsed.changed([root.join(p)], false);
    };
    let steps: Vec<Box<dyn Fn()>> = vec![
        Box::new(|| {
            edit(
                "content/policies/research-support.md",
                "title = \"研究開発支援\"",
                "title = \"研究開発の支援\"",
            )
        }),
        Box::new(|| edit("content/kpis/courses.toml", "value = 69", "value = 70")),
        Box::new(|| {
            edit(
                "content/policies/research-support.md",
                "デバイスラグの解消にも取り組む。",
                "デバイスラグの解消にも取り組む。本文のみの変更。",
            )
        }),
        Box::new(|| {
            edit(
                "content/policies/research-support.md",
                "source = [\"plan.txt#L8\"]",
                "source = [\"plan.txt#L7-L8\"]",
            )
        }),
        Box::new(|| {
            edit(
                "content/organisations/test-ministry.toml",
                "name = \"テスト省\"",
                "name = \"試験省\"",
            )
        }),
        Box::new(|| edit("content/terms/device-lag.md", "遅れ。", "遅れのこと。")),
        Box::new(|| {
            edit(
                "content/policies/research-support.md",
                "source = \"plan.txt#L9\"",
                "source = \"plan.txt#L9-L10\"",
            )
        }),
        Box::new(|| {
            edit(
                "content/goals/plan2-goal-01.md",
                "title = \"研究人材の増加\"",
                "title = \"研究人材の拡大\"",
            )
        }),
    ];
    for (i, step) in steps.iter().enumerate() {
        step();
        let cached = site_map(root, &cache);
        let after = format!("edit {i}");
        assert_same_site(&cached, &site_map(root, &Caches::default()), &after);
        // Served in stages, the site is the one rendered at once.
        assert_same_site(&cached, &at_once(root), &after);
    }
    assert!(
        cache
            .pages
            .reused
            .load(std::sync::atomic::Ordering::Relaxed)
            > 0,
        "the cache was used"
    );
}

/// An edit and what it changes.
type Step<'a> = (&'static str, Box<dyn Fn() + 'a>);

/// The seed site, with its plan maps, comparisons, relations and events: after each kind of
/// edit an editor makes, the cached rebuild equals a fresh build byte for byte.
#[test]
fn cached_rebuilds_of_the_seed_site_equal_fresh_builds() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "seeds", "themes"] {
        if repo.join(dir).is_dir() {
            copy_dir(&repo.join(dir), &root.join(dir));
        }
    }
    fs::copy(repo.join("site.toml"), root.join("site.toml")).unwrap();
    let cache = Caches::default();
    // As in watch mode: only the files the watcher reports are looked at again.
    cache.parsed.reported_by_watcher();
    site_map(root, &cache);
    let append = |p: &str, text: &str| {
        append(root, p, text);
        cache.parsed.changed([root.join(p)], false);
    };
    let edit = |p: &str, from: &str, to: &str| {
        edit(root, p, from, to);
        cache.parsed.changed([root.join(p)], false);
    };
    let steps: Vec<Step> = vec![
        (
            "a goal's body",
            Box::new(|| append("content/goals/plan2-goal-01.md", "編集で加えた一文。")),
        ),
        (
            "a programme's body",
            Box::new(|| {
                append(
                    "content/policies/cao-certified-operators.md",
                    "編集で加えたMDSAPの一文。",
                )
            }),
        ),
        (
            "a link added to a body",
            Box::new(|| {
                append(
                    "content/policies/cao-certified-operators.md",
                    "[次のゴール](@goal/plan2-goal-02)",
                )
            }),
        ),
        (
            "a KPI value",
            Box::new(|| {
                edit(
                    "content/kpis/mhlw-asia-network-adoptions.toml",
                    "value = 2",
                    "value = 3",
                )
            }),
        ),
        (
            "a plan's title",
            Box::new(|| edit("content/plans/plan2.md", "title = \"", "title = \"改")),
        ),
        (
            "a term's body",
            Box::new(|| append("content/terms/a2.md", "編集で加えた説明。")),
        ),
    ];
    for (what, step) in &steps {
        step();
        assert_same_site(
            &site_map(root, &cache),
            &site_map(root, &Caches::default()),
            &format!("editing {what}"),
        );
    }
}
