//! The bad-input catalogue (README): each class gives file, line and hint, a non-zero exit,
//! every error at once, and leaves the previous output untouched.

mod common;
use common::*;
use std::fs;

/// Builds the fixture once, applies `edit`, builds again: returns (exit code, stderr) and
/// asserts the first output is untouched.
fn failing_build(edit: impl FnOnce(&std::path::Path)) -> (i32, String) {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    let before = snapshot(&site.path().join("public"));
    edit(site.path());
    let o = run(&["build"], site.path());
    assert_eq!(
        snapshot(&site.path().join("public")),
        before,
        "previous output must be untouched"
    );
    (o.status.code().unwrap_or(-1), stderr(&o))
}

fn assert_reports(code: i32, err: &str, what: &[&str]) {
    assert_eq!(code, 1, "{err}");
    for w in what {
        assert!(err.contains(w), "`{w}` missing in:\n{err}");
    }
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn duplicate_slug() {
    let (c, e) = failing_build(|r| {
        fs::write(
            r.join("content/terms/other.md"),
            "+++\ntitle = \"OTHER\"\nslug = \"imdrf\"\nsource = []\n+++\n",
        )
        .unwrap();
    });
    assert_reports(c, &e, &["E007", "slug `imdrf`", "content/terms/"]);
}

#[test]
fn kpi_with_a_year_twice_and_an_unknown_unit() {
    let (c, e) = failing_build(|r| {
        fs::write(r.join("content/kpis/bad.toml"), "title = \"x\"\nkind = \"kpi\"\nunit = \"furlongs\"\nperiod = \"年\"\nsource = []\n[[points]]\nyear = 2020\nvalue = 1\n[[points]]\nyear = 2020\nvalue = 2\n").unwrap();
    });
    assert_reports(
        c,
        &e,
        &[
            "content/kpis/bad.toml:6",
            "year 2020 appears twice",
            "content/kpis/bad.toml:3",
            "unknown unit `furlongs`",
            "2 error(s)",
        ],
    );
}

#[test]
fn non_numeric_kpi_value() {
    let (c, e) = failing_build(|r| {
        fs::write(r.join("content/kpis/bad.toml"), "title = \"x\"\nkind = \"kpi\"\nunit = \"件\"\nperiod = \"年\"\nsource = []\n[[points]]\nyear = 2020\nvalue = \"約5\"\n").unwrap();
    });
    assert_reports(c, &e, &["content/kpis/bad.toml:8", "invalid type"]);
}

#[test]
fn empty_files() {
    let (c, e) = failing_build(|r| {
        fs::write(r.join("content/terms/empty.md"), "").unwrap();
        fs::write(r.join("content/kpis/empty.toml"), "\n").unwrap();
    });
    assert_reports(
        c,
        &e,
        &[
            "content/terms/empty.md:1",
            "content/kpis/empty.toml:1",
            "file is empty",
        ],
    );
}

#[test]
fn unparseable_budget_and_date() {
    let (c, e) = failing_build(|r| {
        let p = r.join("content/policies/research-support.md");
        fs::write(
            &p,
            fs::read_to_string(&p)
                .unwrap()
                .replace("amount = \"9.3億円\"", "amount = \"たくさん\""),
        )
        .unwrap();
        let d = r.join("content/documents/plan-doc.md");
        fs::write(
            &d,
            fs::read_to_string(&d)
                .unwrap()
                .replace("令和4年5月31日", "令和4年13月31日"),
        )
        .unwrap();
    });
    assert_reports(
        c,
        &e,
        &[
            "E014",
            "budget amount `たくさん`",
            "E015",
            "content/documents/plan-doc.md:4",
        ],
    );
}

#[test]
fn source_reference_outside_the_seed() {
    let (c, e) = failing_build(|r| {
        let p = r.join("content/terms/imdrf.md");
        fs::write(
            &p,
            fs::read_to_string(&p)
                .unwrap()
                .replace("plan.txt#L10", "plan.txt#L900"),
        )
        .unwrap();
    });
    assert_reports(
        c,
        &e,
        &["E011", "content/terms/imdrf.md:6", "plan.txt#L900"],
    );
}

#[test]
fn broken_template_names_the_template() {
    let (c, e) = failing_build(|r| {
        site_template(r, "term.html", "{% extends \"base.html\" %}{% block content %}{{ page.title | nosuchfilter }}{% endblock content %}");
    });
    assert_reports(
        c,
        &e,
        &["E041", "themes/default/templates/term.html", "nosuchfilter"],
    );
}

#[test]
fn missing_theme() {
    let (c, e) = failing_build(|r| {
        let s = fs::read_to_string(r.join("site.toml")).unwrap();
        fs::write(r.join("site.toml"), format!("{s}theme = \"nope\"\n")).unwrap();
    });
    assert_reports(c, &e, &["E040", "site.toml:3", "theme `nope` not found"]);
}

#[test]
fn unreadable_file() {
    let (c, e) = failing_build(|r| {
        std::os::unix::fs::symlink("/nonexistent/seisaku-file", r.join("content/terms/gone.md"))
            .unwrap();
    });
    assert_reports(c, &e, &["E001", "content/terms/gone.md", "cannot read"]);
}

#[test]
fn output_directory_that_is_a_file() {
    let site = copy_fixture("basic");
    fs::write(site.path().join("public"), "not a folder").unwrap();
    let o = run(&["build"], site.path());
    assert_reports(
        o.status.code().unwrap(),
        &stderr(&o),
        &["E030", "public", "not a folder"],
    );
    assert_eq!(
        fs::read_to_string(site.path().join("public")).unwrap(),
        "not a folder"
    );
}

#[test]
fn very_large_file_builds() {
    let site = copy_fixture("basic");
    let body = "医療機器の研究開発を推進する。IMDRFとデバイスラグ。\n\n".repeat(40_000);
    fs::write(
        site.path().join("content/policies/huge.md"),
        format!("+++\ntitle = \"大きな施策\"\nkind = \"measure\"\nsource = []\n+++\n{body}"),
    )
    .unwrap();
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        fs::metadata(site.path().join("public/policies/huge/index.html"))
            .unwrap()
            .len()
            > 2_000_000
    );
}

#[test]
fn a_20_mb_paragraph_builds() {
    // One paragraph, no blank line. Its first half has no `&` (phrase breaking once looked
    // back over the whole paragraph for an open entity at each phrase); its second half has
    // many (the sanitiser's serialiser once rescanned the rest of the text at each one).
    let site = copy_fixture("basic");
    let plain = "医療機器の研究開発を推進する。IMDRFとデバイスラグ、その例。";
    let amp = "医療機器の研究開発を推進する。IMDRFとデバイスラグ、AT&Tの例。";
    let body = plain.repeat(10_000_000 / plain.len() + 1) + &amp.repeat(10_000_000 / amp.len() + 1);
    fs::write(
        site.path().join("content/policies/long.md"),
        format!(
            "+++\ntitle = \"長い段落\"\nkind = \"measure\"\nsource = []\n+++\n{body}終わりの文。\n"
        ),
    )
    .unwrap();
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(site.path().join("public/policies/long/index.html")).unwrap();
    assert!(html.len() > 20_000_000, "{}", html.len());
    let para = &html[html.find("<p>医療").unwrap()..];
    let para = &para[..para.find("</p>").unwrap()];
    assert!(para.len() > 20_000_000, "one paragraph: {}", para.len());
    assert!(para.ends_with("終わりの<wbr>文。") || para.ends_with("終わりの文。"));
    assert!(
        para.contains("医療機器の<wbr>研究開発を<wbr>推進する。"),
        "phrases are broken"
    );
    assert!(!html.contains("&am<wbr>p;") && html.matches("AT&amp;T").count() > 100_000);
    assert!(para.contains("その<wbr>例。医療機器の<wbr>研究開発を"));
}

#[test]
fn hostile_text_is_escaped_and_scripts_refused() {
    let site = copy_fixture("basic");
    fs::write(
        site.path().join("content/policies/evil.md"),
        "+++\ntitle = \"<script>alert('t')</script>\\\" onmouseover=\\\"x\"\nkind = \"measure\"\nissue = \"<img src=x onerror=alert(1)>\"\nsource = []\n+++\n<script>alert('body')</script><img src=\"x\" onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">a</a>\n",
    )
    .unwrap();
    fs::write(site.path().join("content/kpis/evil.toml"), "title = \"<script>alert('k')</script>\"\nkind = \"kpi\"\nunit = \"件\"\nperiod = \"年\"\nsource = []\n[[points]]\nyear = 2020\nvalue = 1\nlabel = \"</script><script>alert(4)</script>\"\n").unwrap();
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    for (path, bytes) in snapshot(&site.path().join("public")) {
        let t = String::from_utf8_lossy(&bytes);
        if path.starts_with("search-index") {
            assert!(
                !t.contains('<'),
                "the search index is data: no raw `<` may end its script"
            );
        } else if path.ends_with(".html") {
            assert!(
                !t.contains("<script>alert"),
                "{path} has an unescaped script"
            );
            assert!(
                !t.contains("onerror=\"alert") && !t.contains("onerror=alert(1)>"),
                "{path} has an event handler"
            );
            assert!(!t.contains("javascript:alert"), "{path} has a script URL");
        }
    }
    // A script URL in a Markdown link is refused outright.
    fs::write(
        site.path().join("content/terms/js.md"),
        "+++\ntitle = \"JS\"\nsource = []\n+++\n[x](javascript:alert(1))\n",
    )
    .unwrap();
    let o = run(&["build"], site.path());
    assert_reports(
        o.status.code().unwrap(),
        &stderr(&o),
        &["E020", "content/terms/js.md:5"],
    );
}

#[test]
fn trusted_html_passes_through_when_the_site_says_so() {
    let site = copy_fixture("basic");
    let s = fs::read_to_string(site.path().join("site.toml")).unwrap();
    fs::write(
        site.path().join("site.toml"),
        format!("{s}trust_html = true\n"),
    )
    .unwrap();
    fs::write(
        site.path().join("content/terms/raw.md"),
        "+++\ntitle = \"RAW\"\nsource = []\n+++\n<div class=\"note\" data-x=\"1\">raw</div>\n",
    )
    .unwrap();
    assert!(run(&["build"], site.path()).status.success());
    let html = fs::read_to_string(site.path().join("public/glossary/raw/index.html")).unwrap();
    assert!(html.contains("<div class=\"note\" data-x=\"1\">"), "{html}");
}

#[test]
fn symlink_in_seeds_is_refused_not_published() {
    let secret = tempfile::tempdir().unwrap();
    fs::write(secret.path().join("secret.txt"), "SECRET-LINE").unwrap();
    let (c, e) = failing_build(|r| {
        std::os::unix::fs::symlink(secret.path().join("secret.txt"), r.join("seeds/link.txt"))
            .unwrap();
    });
    assert_reports(c, &e, &["E008", "seeds/link.txt", "symbolic link"]);
}
