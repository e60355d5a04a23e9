//! `seisaku build` and `seisaku check` on fixture sites, driven through the real binary.

mod common;
use common::*;
use std::fs;

#[test]
fn builds_expected_pages_with_titles() {
    let site = copy_fixture("basic");
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.path().join("public");
    for (page, title) in [
        ("index.html", "<title>テスト計画サイト</title>"),
        (
            "policies/research-support/index.html",
            "<title>研究開発支援 | テスト計画サイト</title>",
        ),
        (
            "goals/plan2-goal-01/index.html",
            "<title>ゴール1 研究人材の増加 | テスト計画サイト</title>",
        ),
        (
            "plans/plan2/index.html",
            "<title>第2期テスト基本計画 | テスト計画サイト</title>",
        ),
        (
            "organisations/test-ministry/index.html",
            "<title>テスト省 | テスト計画サイト</title>",
        ),
        (
            "documents/plan-doc/index.html",
            "<title>テスト基本計画の概要 | テスト計画サイト</title>",
        ),
        (
            "glossary/imdrf/index.html",
            "<title>IMDRF | テスト計画サイト</title>",
        ),
        (
            "kpis/courses/index.html",
            "<title>研修コース数 | テスト計画サイト</title>",
        ),
        ("policies/index.html", "施策一覧"),
        ("policies/by-organisation/index.html", "府省庁別の施策一覧"),
        ("glossary/index.html", "用語集"),
        ("404.html", "ページが見つかりません"),
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(html.contains(title), "{page} lacks {title}");
        assert_eq!(html.matches("<h1").count(), 1, "{page} must have one h1");
        assert!(html.contains("<html lang=\"ja\">"), "{page}");
    }
    assert!(stderr(&o).contains("built "), "{}", stderr(&o));
}

#[test]
fn every_relative_link_resolves() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    let broken = broken_links(&site.path().join("public"));
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn no_external_requests_and_relative_links_only() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    for (path, bytes) in snapshot(&site.path().join("public")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for l in links(&html) {
            assert!(
                !l.starts_with("http") && !l.starts_with("//") && !l.starts_with('/'),
                "{path}: {l}"
            );
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let site = copy_fixture("basic");
    assert!(run(&["build", "--out", "a"], site.path()).status.success());
    assert!(run(&["build", "--out", "b"], site.path()).status.success());
    let a = snapshot(&site.path().join("a"));
    let b = snapshot(&site.path().join("b"));
    assert!(a.len() > 20);
    assert_eq!(a, b);
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    let before = snapshot(&site.path().join("public"));
    fs::write(
        site.path().join("content/policies/broken.md"),
        "+++\ntitle = \"x\"\nkind = 3\n+++\n",
    )
    .unwrap();
    let o = run(&["build"], site.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(snapshot(&site.path().join("public")), before);
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains("seisaku-")
                && !n.ends_with(".seisaku-prev")
                && !n.ends_with(".seisaku-index")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn removed_sources_disappear_from_output() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    assert!(site
        .path()
        .join("public/glossary/device-lag/index.html")
        .exists());
    fs::remove_file(site.path().join("content/terms/device-lag.md")).unwrap();
    fs::write(
        site.path().join("content/terms/imdrf.md"),
        fs::read_to_string(site.path().join("content/terms/imdrf.md"))
            .unwrap()
            .replace("related = [\"device-lag\"]\n", ""),
    )
    .unwrap();
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site
        .path()
        .join("public/glossary/device-lag/index.html")
        .exists());
}

#[test]
fn theme_override_replaces_exactly_one_template() {
    let site = copy_fixture("basic");
    assert!(run(&["build", "--out", "plain"], site.path())
        .status
        .success());
    let tdir = site.path().join("themes/custom/templates");
    fs::create_dir_all(&tdir).unwrap();
    fs::write(tdir.join("term.html"), "{% extends \"base.html\" %}{% block content %}<h1>CUSTOM {{ page.title }}</h1>{% endblock content %}").unwrap();
    let cfg = fs::read_to_string(site.path().join("site.toml")).unwrap();
    fs::write(
        site.path().join("site.toml"),
        format!("{cfg}theme = \"custom\"\n"),
    )
    .unwrap();
    let o = run(&["build", "--out", "themed"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let plain = snapshot(&site.path().join("plain"));
    let themed = snapshot(&site.path().join("themed"));
    let changed: Vec<&String> = plain
        .iter()
        .zip(themed.iter())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert_eq!(plain.len(), themed.len());
    assert!(
        changed.iter().all(|p| p.starts_with("glossary/")
            && p.ends_with("/index.html")
            && *p != "glossary/index.html"),
        "{changed:?}"
    );
    assert_eq!(changed.len(), 3, "{changed:?}");
    assert!(
        fs::read_to_string(site.path().join("themed/glossary/imdrf/index.html"))
            .unwrap()
            .contains("<h1>CUSTOM IMDRF</h1>")
    );
}

#[test]
fn check_writes_nothing() {
    let site = copy_fixture("basic");
    let o = run(&["check"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.path().join("public").exists());
    assert!(stderr(&o).contains("ok:"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2_and_help_and_version_work() {
    let site = copy_fixture("basic");
    assert_eq!(
        run(&["build", "--no-such-flag"], site.path()).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"], site.path()).status.code(), Some(2));
    let h = run(&["--help"], site.path());
    assert!(h.status.success() && stdout(&h).contains("build"));
    let v = run(&["--version"], site.path());
    assert!(stdout(&v).starts_with("seisaku "), "{}", stdout(&v));
}

#[test]
fn highlighted_code_uses_classes_and_a_generated_stylesheet() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    let html = fs::read_to_string(
        site.path()
            .join("public/policies/research-support/index.html"),
    )
    .unwrap();
    assert!(
        html.contains("<pre class=\"code\" data-lang=\"toml\"><code><span class=\"hl-"),
        "{html}"
    );
    let css = fs::read_to_string(site.path().join("public/static/highlight.css")).unwrap();
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
}

#[test]
fn base_url_adds_sitemap_feed_and_canonical_but_links_stay_relative() {
    let site = copy_fixture("basic");
    let o = run(
        &["build", "--base-url", "https://example.go.jp/plan/"],
        site.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.path().join("public");
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.go.jp/plan/policies/research-support/</loc>"),
        "{sitemap}"
    );
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(atom.contains("<title>研究開発支援</title>"));
    let html = fs::read_to_string(out.join("policies/research-support/index.html")).unwrap();
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://example.go.jp/plan/policies/research-support/\">"
    ));
    assert!(html.contains("property=\"og:title\""));
    assert!(broken_links(&out).is_empty());
    let not_found = fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"https://example.go.jp/plan/index.html\""),
        "404.html works at any depth: {not_found}"
    );
}

/// `check` runs every stage of `build` except writing: it fails exactly when `build` fails.
fn check_and_build_agree(edit: impl FnOnce(&std::path::Path), words: &[&str]) {
    let site = copy_fixture("basic");
    edit(site.path());
    let c = run(&["check"], site.path());
    let b = run(&["build"], site.path());
    assert_eq!(c.status.code(), Some(1), "check: {}", stderr(&c));
    assert_eq!(b.status.code(), Some(1), "build: {}", stderr(&b));
    for w in words {
        assert!(stderr(&c).contains(w), "check lacks `{w}`: {}", stderr(&c));
    }
    assert!(!site.path().join("public").exists());
}

#[test]
fn check_fails_on_a_script_url() {
    check_and_build_agree(
        |r| {
            fs::write(
                r.join("content/terms/js.md"),
                "+++\ntitle = \"JS\"\nsource = []\n+++\n[x](javascript:alert(1))\n",
            )
            .unwrap()
        },
        &["E020", "content/terms/js.md:5"],
    );
}

#[test]
fn check_fails_on_a_broken_template() {
    check_and_build_agree(
        |r| {
            site_template(r, "term.html", "{% extends \"base.html\" %}{% block content %}{{ page.title | nosuchfilter }}{% endblock content %}");
        },
        &["E041", "themes/default/templates/term.html"],
    );
    check_and_build_agree(
        |r| {
            site_template(r, "term.html", "{% extends \"base.html\" %}{% block content %}{{ page.nosuchfield.deeper }}{% endblock content %}");
        },
        &["E041", "themes/default/templates/term.html"],
    );
}

#[test]
fn the_trace_says_what_each_template_cost() {
    let site = copy_fixture("basic");
    let o = std::process::Command::new(bin())
        .args(["build"])
        .current_dir(site.path())
        .env("SEISAKU_TRACE", "1")
        .output()
        .expect("runs seisaku");
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let policies = fs::read_dir(site.path().join("content/policies"))
        .expect("the fixture has policies")
        .count();
    let line = err
        .lines()
        .find(|l| l.starts_with("trace: template policy.html"))
        .unwrap_or_else(|| panic!("no template line for policy.html:\n{err}"));
    assert!(
        line.contains(&format!(", {policies} pages, ")),
        "{line} should count {policies} policy pages"
    );
    // Without the variable, nothing of the trace is printed.
    let quiet = run(&["build"], site.path());
    assert!(!stderr(&quiet).contains("trace:"), "{}", stderr(&quiet));
}

#[test]
fn a_links_title_html_is_what_the_wbr_filter_makes_of_its_title() {
    let site = copy_fixture("basic");
    site_template(
        site.path(),
        "policy.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>\
         {% for g in goals %}<p class=\"a\">{{ g.title | wbr | safe }}</p><p class=\"b\">{{ g.title_html | safe }}</p>{% endfor %}\
         {% endblock content %}",
    );
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(
        site.path()
            .join("public/policies/research-support/index.html"),
    )
    .expect("the policy page is built");
    let between = |class: &str| -> Vec<String> {
        html.split(&format!("<p class=\"{class}\">"))
            .skip(1)
            .map(|s| s.split("</p>").next().unwrap_or("").to_string())
            .collect()
    };
    let (filtered, made) = (between("a"), between("b"));
    assert!(
        !filtered.is_empty(),
        "the fixture's policy names a goal:\n{html}"
    );
    assert_eq!(filtered, made);
    // A Japanese title is broken into phrases, so the two are not merely the title copied.
    assert!(made.iter().any(|t| t.contains("<wbr>")), "{made:?}");
}

#[test]
fn a_template_that_walks_a_map_writes_the_same_page_every_build() {
    let site = copy_fixture("basic");
    site_template(
        site.path(),
        "term.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>\
         <ul>{% for k, v in t.kind %}<li class=\"key\">{{ k }}</li>{% endfor %}</ul>{% endblock content %}",
    );
    let page = |out: &str| {
        let o = run(&["build", "--out", out], site.path());
        assert!(o.status.success(), "{}", stderr(&o));
        fs::read_to_string(site.path().join(out).join("glossary/imdrf/index.html"))
            .expect("the term page is built")
    };
    let first = page("one");
    for out in ["two", "three", "four"] {
        assert_eq!(page(out), first, "the map's keys came in another order");
    }
    let keys: Vec<&str> = first
        .split("<li class=\"key\">")
        .skip(1)
        .map(|s| s.split("</li>").next().unwrap_or(""))
        .collect();
    assert!(keys.len() > 3, "{first}");
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "the strings file's keys, in order");
}

/// A page edited by hand in the output, to bytes of the same length (so that only its bytes and
/// its file times tell), is put right by the builds that follow, whichever of the two trees
/// beside each other it is in by then.
#[test]
fn a_page_edited_by_hand_in_the_output_is_put_right_by_the_next_builds() {
    let site = copy_fixture("basic");
    let root = site.path();
    for _ in 0..2 {
        assert!(run(&["build"], root).status.success());
    }
    let expected = snapshot(&root.join("public"));
    let page = root.join("public/index.html");
    let text = fs::read_to_string(&page).unwrap();
    let edited = text.replacen("<html", "<HTML", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    fs::write(&page, &edited).unwrap();
    // The first build updates the other tree and swaps it in; the second updates the tree
    // holding the edited page, which the index must not vouch for.
    for i in 0..2 {
        let o = run(&["build"], root);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(snapshot(&root.join("public")), expected, "build {i}");
    }
}
