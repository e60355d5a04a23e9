//! Publishing essentials, as a reader or an editor meets them: update dates (front matter or
//! the last commit), tables of contents, lists split into pages and narrowed without a script,
//! old addresses that redirect, edit links, and years that machines can read.

mod common;
use common::*;
use std::fs;
use std::path::Path;

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn edit(path: &Path, from: &str, to: &str) {
    let t = read(path);
    assert!(t.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, t.replacen(from, to, 1)).unwrap();
}

fn build(site: &Path, out: &Path) -> String {
    let o = run(
        &[
            "build",
            "--root",
            site.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        site,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// The text of the page's 更新日 line, if it has one.
fn updated_line(html: &str) -> Option<&str> {
    let i = html.find("<p class=\"updated\">")?;
    let end = html[i..].find("</p>")? + i;
    Some(&html[i..end])
}

const POLICY: &str = "content/policies/research-support.md";

#[test]
fn a_page_shows_its_updated_date_in_wareki_as_a_time_element() {
    let site = copy_fixture("basic");
    edit(
        &site.path().join(POLICY),
        "kind = \"measure\"",
        "kind = \"measure\"\nupdated = \"令和7年6月4日\"",
    );
    let out = site.path().join("out");
    build(site.path(), &out);
    let html = read(&out.join("policies/research-support/index.html"));
    assert_eq!(
        updated_line(&html),
        Some("<p class=\"updated\">更新日：<time datetime=\"2025-06-04\">令和7年6月4日（2025年6月4日）</time>")
    );
    // The list of policies shows the newest date of its entries; a page with no date, none.
    assert!(read(&out.join("policies/index.html")).contains("<time datetime=\"2025-06-04\">"));
    assert_eq!(
        updated_line(&read(&out.join("glossary/imdrf/index.html"))),
        None
    );
}

#[test]
fn an_updated_date_that_is_not_a_day_is_an_error_at_its_line() {
    let site = copy_fixture("basic");
    edit(
        &site.path().join(POLICY),
        "kind = \"measure\"",
        "kind = \"measure\"\nupdated = \"令和7年度\"",
    );
    let o = run(&["check"], site.path());
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("E015") && err.contains("research-support.md:4"),
        "{err}"
    );
}

#[test]
fn without_updated_a_page_shows_the_date_of_the_last_commit_of_its_file() {
    let site = copy_fixture("basic");
    let root = site.path();
    fs::write(
        root.join("site.toml"),
        read(&root.join("site.toml")) + "base_url = \"https://example.go.jp/plan/\"\n",
    )
    .unwrap();
    git(root, &["init", "-q"], "2024-03-05T10:00:00+09:00");
    git(root, &["add", "."], "2024-03-05T10:00:00+09:00");
    git(
        root,
        &["commit", "-qm", "first"],
        "2024-03-05T10:00:00+09:00",
    );
    // A later commit touches one policy only, in another time zone (its own date counts).
    edit(
        &root.join(POLICY),
        "研究開発を支援する。",
        "研究開発を支援する。\n\n新しい段落。",
    );
    git(
        root,
        &["commit", "-qam", "second"],
        "2025-01-02T23:30:00-05:00",
    );
    // A file never committed has no date.
    fs::write(
        root.join("content/terms/new-term.md"),
        "+++\ntitle = \"新用語\"\nreading = \"しんようご\"\nsource = [\"plan.txt#L3\"]\n+++\n新しい用語。\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let log = build(root, out.path());
    assert!(!log.contains("W005"), "{log}");
    let page = |p: &str| read(&out.path().join(p));
    assert!(updated_line(&page("policies/research-support/index.html"))
        .unwrap()
        .contains("<time datetime=\"2025-01-02\">令和7年1月2日（2025年1月2日）</time>"));
    assert!(updated_line(&page("glossary/imdrf/index.html"))
        .unwrap()
        .contains("<time datetime=\"2024-03-05\">"));
    assert_eq!(updated_line(&page("glossary/new-term/index.html")), None);
    // A list shows its newest entry's date; the glossary's newest is the older commit.
    assert!(updated_line(&page("policies/index.html"))
        .unwrap()
        .contains("2025-01-02"));
    assert!(updated_line(&page("glossary/index.html"))
        .unwrap()
        .contains("2024-03-05"));
    // The sitemap and the feed use the same dates, never the build's.
    let sitemap = page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.go.jp/plan/policies/research-support/</loc><lastmod>2025-01-02</lastmod>"), "{sitemap}");
    assert!(sitemap.contains(
        "<loc>https://example.go.jp/plan/glossary/imdrf/</loc><lastmod>2024-03-05</lastmod>"
    ));
    assert!(sitemap.contains("<loc>https://example.go.jp/plan/glossary/new-term/</loc></url>"));
    let atom = page("atom.xml");
    assert!(
        atom.contains("<updated>2025-01-02T00:00:00Z</updated>"),
        "{atom}"
    );
    // `updated` wins over the history.
    edit(
        &root.join(POLICY),
        "kind = \"measure\"",
        "kind = \"measure\"\nupdated = \"2023-04-01\"",
    );
    let again = tempfile::tempdir().unwrap();
    build(root, again.path());
    assert!(updated_line(&read(
        &again.path().join("policies/research-support/index.html")
    ))
    .unwrap()
    .contains("2023-04-01"));
    // Two builds of one history are byte-identical.
    let third = tempfile::tempdir().unwrap();
    build(root, third.path());
    assert!(
        snapshot(again.path()) == snapshot(third.path()),
        "builds differ"
    );
}

#[test]
fn a_site_outside_git_builds_the_same_bytes_twice_with_no_dates() {
    let site = copy_fixture("basic");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let log = build(site.path(), a.path());
    assert!(!log.contains("W005"), "{log}");
    build(site.path(), b.path());
    assert!(snapshot(a.path()) == snapshot(b.path()), "builds differ");
    for (path, bytes) in snapshot(a.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("class=\"updated\""),
            "{path} has a date"
        );
    }
}

#[test]
fn a_body_with_three_headings_gets_a_table_of_contents_whose_links_resolve() {
    let site = copy_fixture("basic");
    edit(
        &site.path().join(POLICY),
        "## 取組の方向性\n",
        "## 取組の方向性\n\n本文。\n\n### 事業の目的\n\n目的。\n\n## 実績\n\n実績。\n\n",
    );
    let out = site.path().join("out");
    build(site.path(), &out);
    let html = read(&out.join("policies/research-support/index.html"));
    let toc_at = html
        .find("<nav aria-label=\"目次\">")
        .expect("a table of contents");
    let toc = &html[toc_at..toc_at + html[toc_at..].find("</nav>").unwrap()];
    // Folded in a <details> (opened beside the page on a wide screen), nested by level.
    assert!(html[..toc_at].contains("<details class=\"toc\" id=\"toc\">"));
    let targets: Vec<String> = links(toc);
    assert_eq!(
        targets,
        vec!["#取組の方向性", "#事業の目的", "#実績"],
        "{toc}"
    );
    assert!(
        toc.contains("<ol><li><a href=\"#事業の目的\">"),
        "h3 nested under h2: {toc}"
    );
    for t in &targets {
        assert!(
            html.contains(&format!("id=\"{}\"", &t[1..])),
            "no heading {t}"
        );
    }
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
    // Two headings or fewer: no table of contents. It is never printed.
    assert!(!read(&out.join("glossary/imdrf/index.html")).contains("aria-label=\"目次\""));
    assert!(read(&out.join("plans/plan2/index.html")).contains("aria-label=\"目次\""));
    let css = read(&out.join("static/style.css"));
    let print = &css[css.find("@media print").unwrap()..];
    assert!(print.contains("details.toc") && print.contains("display: none"));
}

/// The fixture with `n` more policies, all under one pillar and two organisations.
fn with_policies(n: usize) -> tempfile::TempDir {
    let site = copy_fixture("basic");
    fs::write(
        site.path().join("content/organisations/other-agency.toml"),
        "name = \"別の機関\"\nkind = \"agency\"\nsource = [\"plan.txt#L3\"]\n",
    )
    .unwrap();
    for i in 0..n {
        let org = if i % 2 == 0 {
            "test-ministry"
        } else {
            "other-agency"
        };
        fs::write(
            site.path().join(format!("content/policies/gen-{i:03}.md")),
            format!("+++\ntitle = \"生成施策{i:03}\"\nkind = \"programme\"\nplan = \"plan2\"\npillars = [\"plan2-policy-1\"]\norganisations = [\"{org}\"]\nsource = [\"plan.txt#L8\"]\n+++\n施策{i:03}の本文。\n"),
        )
        .unwrap();
    }
    site
}

/// Follows `rel="next"` from `first`, then `rel="prev"` back: the chain of pages.
fn chain(out: &Path, first: &str, rel: &str) -> Vec<String> {
    let mut seen = vec![first.to_string()];
    let mut at = out.join(first);
    loop {
        let html = read(&at);
        let needle = format!("<link rel=\"{rel}\" href=\"");
        let Some(i) = html.find(&needle) else { break };
        let href = &html[i + needle.len()..];
        let href = &href[..href.find('"').unwrap()];
        assert!(
            href.ends_with("/index.html") && !href.starts_with('/'),
            "{href}"
        );
        let next = at.parent().unwrap().join(href).canonicalize().unwrap();
        seen.push(
            next.strip_prefix(out.canonicalize().unwrap())
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
        at = next;
        assert!(seen.len() < 10, "{seen:?}");
    }
    seen
}

#[test]
fn a_list_of_250_splits_into_three_linked_pages_that_work_from_disk() {
    let site = with_policies(249); // and the fixture's own: 250
    let out = site.path().join("out");
    build(site.path(), &out);
    let pages = [
        "policies/index.html",
        "policies/page/2/index.html",
        "policies/page/3/index.html",
    ];
    assert!(!out.join("policies/page/4/index.html").exists());
    assert_eq!(chain(&out, pages[0], "next"), pages);
    assert_eq!(
        chain(&out, pages[2], "prev"),
        pages.iter().rev().copied().collect::<Vec<_>>()
    );
    for (i, p) in pages.iter().enumerate() {
        let html = read(&out.join(p));
        assert!(
            html.contains(&format!("<title>施策一覧（{}/3ページ） | ", i + 1)),
            "{p}"
        );
        // Visible navigation: previous, next and every page number, the current one marked.
        let nav = &html[html.find("<nav class=\"pager\"").unwrap()..];
        assert!(
            nav.contains(&format!("aria-current=\"page\">{}</a>", i + 1)),
            "{p}"
        );
        assert_eq!(nav.contains("rel=\"next\">次のページ</a>"), i < 2, "{p}");
        assert_eq!(nav.contains("rel=\"prev\">前のページ</a>"), i > 0, "{p}");
    }
    // Every policy once, 100 a page.
    let items = |p: &str| {
        let h = read(&out.join(p));
        h.matches("生成施策").count() + h.matches(">研究開発支援</a>").count()
    };
    assert_eq!(
        (items(pages[0]), items(pages[1]), items(pages[2])),
        (100, 100, 50)
    );
    // Every link of every page resolves from disk and names a file, never a folder.
    assert!(
        broken_links(&out).is_empty(),
        "{:?}",
        &broken_links(&out)[..3.min(broken_links(&out).len())]
    );
    for p in pages {
        for l in links(&read(&out.join(p))) {
            if !l.starts_with('#') && !l.starts_with("http") {
                assert!(!l.ends_with('/'), "{p}: {l}");
            }
        }
    }
}

#[test]
fn lists_are_narrowed_by_ministry_plan_and_pillar_without_a_script_and_the_page_size_is_set_in_site_toml(
) {
    let site = with_policies(120);
    fs::write(
        site.path().join("site.toml"),
        read(&site.path().join("site.toml")) + "paginate_by = 50\n",
    )
    .unwrap();
    let out = site.path().join("out");
    build(site.path(), &out);
    // 121 policies at 50 a page.
    assert!(
        out.join("policies/page/3/index.html").exists()
            && !out.join("policies/page/4/index.html").exists()
    );
    let main = read(&out.join("policies/index.html"));
    for l in [
        "by-organisation/index.html",
        "by-plan/index.html",
        "by-pillar/index.html",
    ] {
        assert!(main.contains(&format!("href=\"../policies/{l}\"")), "{l}");
    }
    // One list per organisation: the ministry has 61 policies (2 pages), the agency 60.
    let index = read(&out.join("policies/by-organisation/index.html"));
    assert!(index.contains("href=\"../../policies/by-organisation/test-ministry/index.html\">テスト省</a> <span class=\"meta\">61件</span>"), "{index}");
    let ministry = read(&out.join("policies/by-organisation/test-ministry/index.html"));
    assert!(
        ministry.contains("<title>テスト省の施策（1/2ページ）"),
        "{ministry}"
    );
    assert!(ministry.contains("生成施策000") && !ministry.contains("生成施策001"));
    let agency = read(&out.join("policies/by-organisation/other-agency/index.html"));
    assert!(agency.contains("生成施策001") && !agency.contains("生成施策000"));
    assert!(out
        .join("policies/by-organisation/test-ministry/page/2/index.html")
        .exists());
    assert!(out
        .join("policies/by-plan/plan2/page/3/index.html")
        .exists());
    assert!(read(&out.join("policies/by-pillar/index.html"))
        .contains("by-pillar/plan2-policy-1/index.html"));
    assert!(read(&out.join("policies/by-pillar/index.html")).contains("plan2-policy-1/index.html\">基本方針1 研究開発の<wbr>推進</a> <span class=\"meta\">121件</span>"));
    assert!(
        read(&out.join("policies/by-pillar/plan2-policy-1/page/3/index.html"))
            .contains("研究開発支援")
    );
    assert!(
        broken_links(&out).is_empty(),
        "{:?}",
        broken_links(&out).first()
    );
    // No page of a list needs a script to narrow it.
    assert!(!index.contains("<script>"));
}

#[test]
fn an_old_address_redirects_to_the_page_from_disk_and_a_colliding_one_fails_at_its_line() {
    let site = copy_fixture("basic");
    let policy = site.path().join(POLICY);
    edit(
        &policy,
        "kind = \"measure\"",
        "kind = \"measure\"\naliases = [\"old/research/\", \"/policies/research.html\"]",
    );
    edit(
        &site.path().join("content/organisations/test-ministry.toml"),
        "kind = \"ministry\"",
        "kind = \"ministry\"\nurl_aliases = [\"ministry/\"]",
    );
    let out = site.path().join("out");
    build(site.path(), &out);
    let r = read(&out.join("old/research/index.html"));
    assert!(r.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../policies/research-support/index.html\">"), "{r}");
    assert!(
        r.contains("<link rel=\"canonical\" href=\"../../policies/research-support/index.html\">")
    );
    assert!(r.contains("<a href=\"../../policies/research-support/index.html\">研究開発支援</a>"));
    assert!(read(&out.join("policies/research.html"))
        .contains("url=../policies/research-support/index.html"));
    assert!(read(&out.join("ministry/index.html"))
        .contains("url=../organisations/test-ministry/index.html"));
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
    // Not in the sitemap.
    fs::write(
        site.path().join("site.toml"),
        read(&site.path().join("site.toml")) + "base_url = \"https://example.go.jp/\"\n",
    )
    .unwrap();
    let out2 = site.path().join("out2");
    build(site.path(), &out2);
    let sitemap = read(&out2.join("sitemap.xml"));
    assert!(!sitemap.contains("old/research") && sitemap.contains("policies/research-support/"));
    assert!(read(&out2.join("old/research/index.html")).contains(
        "<link rel=\"canonical\" href=\"https://example.go.jp/policies/research-support/\">"
    ));

    // An old address that is another page's address, or another old address: E018 at its line.
    for (alias, says) in [
        ("plans/plan2/", "plan page `plan2`"),
        ("policies/", "address of a page of the site"),
        ("ministry", "is also an old address of the"),
        ("static/style.css/", "inside `static/style.css`"),
    ] {
        let t = read(&policy);
        let start = t.find("aliases = [").unwrap();
        let end = start + t[start..].find('\n').unwrap();
        fs::write(
            &policy,
            format!("{}aliases = [\"{alias}\"]{}", &t[..start], &t[end..]),
        )
        .unwrap();
        for cmd in ["build", "check"] {
            let out3 = site.path().join("out3");
            let args: Vec<&str> = match cmd {
                "build" => vec![cmd, "--out", out3.to_str().unwrap()],
                _ => vec![cmd],
            };
            let o = run(&args, site.path());
            assert_eq!(o.status.code(), Some(1), "{alias} {cmd}");
            let err = stderr(&o);
            assert!(
                err.contains("E018") && err.contains("research-support.md:4"),
                "{alias} {cmd}: {err}"
            );
            assert!(err.contains(says), "{alias}: {err}");
        }
    }
    // A path among a term's names is pointed at url_aliases.
    edit(
        &site.path().join("content/terms/imdrf.md"),
        "title = \"IMDRF\"",
        "title = \"IMDRF\"\naliases = [\"glossary/imdrf/\"]",
    );
    let err = stderr(&run(&["check"], site.path()));
    assert!(err.contains("E018") && err.contains("url_aliases"), "{err}");
}

#[test]
fn edit_links_come_from_edit_url_and_the_source_link_never_reaches_build_output() {
    let site = copy_fixture("basic");
    fs::write(
        site.path().join("site.toml"),
        read(&site.path().join("site.toml"))
            + "edit_url = \"https://github.com/org/repo/edit/main/site/{path}\"\nopen_url = \"vscode://file{abs_path}:{line}\"\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/terms/医療機器.md"),
        "+++\ntitle = \"医療機器\"\nreading = \"いりょうきき\"\nsource = [\"plan.txt#L3\"]\n+++\n医療機器。\n",
    )
    .unwrap();
    let out = site.path().join("out");
    build(site.path(), &out);
    let html = read(&out.join("policies/research-support/index.html"));
    assert!(html.contains("<a class=\"edit-link\" href=\"https://github.com/org/repo/edit/main/site/content/policies/research-support.md\">このページを編集</a>"), "{html}");
    let kpi = read(&out.join("kpis/courses/index.html"));
    assert!(kpi.contains("edit/main/site/content/kpis/courses.toml\">このページを編集"));
    // A Japanese file name is escaped in the link.
    let slugged = snapshot(&out)
        .into_iter()
        .find(|(_, b)| String::from_utf8_lossy(b).contains("content/terms/%E5%8C%BB"))
        .map(|(p, _)| p);
    assert!(
        slugged.is_some(),
        "no escaped edit link for a Japanese file name"
    );
    for (path, bytes) in snapshot(&out) {
        let t = String::from_utf8_lossy(&bytes);
        assert!(
            !t.contains("ソースを開く") && !t.contains("vscode://") && !t.contains("/__seisaku/"),
            "{path}"
        );
    }
    // List pages are not a file's: no edit link.
    assert!(!read(&out.join("policies/index.html")).contains("このページを編集"));
}

/// Years (`2024年`, `2024年度`) in the text of `html` that are not inside a `<time>`.
fn bare_years(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices('年') {
        let before = &html[..i];
        let digits = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
        if digits != 4 {
            continue;
        }
        let inside = before
            .rfind("<time")
            .is_some_and(|o| before.rfind("</time>").is_none_or(|c| o > c));
        if !inside {
            out.push(html[i - 4..i + 3].to_string());
        }
    }
    out
}

#[test]
fn every_year_in_a_kpi_table_and_a_budget_table_is_a_time_element() {
    let site = copy_fixture("basic");
    let out = site.path().join("out");
    build(site.path(), &out);
    let kpi = read(&out.join("kpis/courses/index.html"));
    let table = &kpi[kpi.find("<table class=\"data\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 3, "{table}");
    for (row, year) in rows.iter().zip([2022, 2023, 2024]) {
        assert!(
            row.starts_with(&format!("<th scope=\"row\"><time datetime=\"{year}\">")),
            "{row}"
        );
        // The fiscal-year meaning stays in words.
        assert!(row.contains(&format!("（{year}年度）</time>")), "{row}");
    }
    // Every year printed in the table, the summary and the figures sits inside a <time>.
    let between = |a: &str, b: &str| {
        let i = kpi.find(a).unwrap();
        &kpi[i..i + kpi[i..].find(b).unwrap()]
    };
    let summary = between("<p class=\"kpi-summary\">", "</p>");
    let figures = between("<section aria-labelledby=\"summary-h\">", "</section>");
    assert!(
        figures.contains("（<time datetime=\"2022\">2022年度</time>）"),
        "{figures}"
    );
    for part in [table, summary, figures] {
        assert_eq!(bare_years(part), Vec::<String>::new(), "{part}");
    }
    let policy = read(&out.join("policies/research-support/index.html"));
    assert!(policy.contains("<th scope=\"row\"><time datetime=\"2025\">令和７年度</time>当初予算案</th><td><time datetime=\"2025\">令和7年度（2025年度）</time>"), "{policy}");
    // The chart on the policy page carries its figures as a table, years as <time>.
    assert!(policy.contains("<details class=\"chart-data\">"));
    assert!(policy
        .contains("<th scope=\"row\"><time datetime=\"2022\">令和4年度（2022年度）</time></th>"));
    let budgets = read(&out.join("budgets/index.html"));
    assert!(
        budgets.contains("<th scope=\"row\"><time datetime=\"2025\">令和7年度（2025年度）</time></th><td>当初予算案</td>"),
        "{budgets}"
    );
}

#[test]
fn every_year_and_date_in_a_body_is_a_time_element_with_its_words_and_breaks_kept() {
    let site = copy_fixture("basic");
    let file = site.path().join("content/policies/research-support.md");
    edit(
        &file,
        "デバイスラグの解消にも取り組む。",
        "デバイスラグの解消にも取り組む。平成28年5月31日に第1期計画が決定され、令和9年度目途で第3期を開始し、2040年の将来像を描く。\n\n## 令和7年度の取組\n\n[2024年6月の報告](../../documents/plans/)を参照。",
    );
    let out = site.path().join("out");
    build(site.path(), &out);
    let page = read(&out.join("policies/research-support/index.html"));
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    for (iso, words) in [
        ("2016-05-31", "平成28年5月31日"),
        ("2027", "令和9年度"),
        ("2040", "2040年"),
        ("2025", "令和7年度"),
        ("2024-06", "2024年6月"),
    ] {
        let open = format!("<time datetime=\"{iso}\">");
        let at = main.find(&open).unwrap_or_else(|| panic!("{open} {main}"));
        let inner = &main[at + open.len()..];
        let inner = &inner[..inner.find("</time>").unwrap()];
        assert_eq!(inner.replace("<wbr>", ""), words, "{main}");
    }
    // Outside the charts (an SVG's title and description are plain text by definition).
    let mut html = main.to_string();
    while let (Some(a), Some(b)) = (html.find("<svg"), html.find("</svg>")) {
        html.replace_range(a..b + "</svg>".len(), "");
    }
    assert_eq!(bare_years(&html), Vec::<String>::new(), "{html}");
    // The words read as written: the text without its markup is the source's.
    let text = text_of_html(main);
    assert!(text.contains("平成28年5月31日に第1期計画が決定され、令和9年度目途で第3期を開始し、2040年の将来像を描く。"), "{text}");
}
