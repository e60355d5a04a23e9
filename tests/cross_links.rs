//! Cross-linking on the fixture site: backlinks on both ends, provenance anchors, KPI data files.

mod common;
use common::*;
use std::fs;

fn built() -> tempfile::TempDir {
    built_with([])
}

/// The fixture with `files` (path in the site, text) added, built.
fn built_with(files: impl IntoIterator<Item = (String, String)>) -> tempfile::TempDir {
    let site = copy_fixture("basic");
    for (path, text) in files {
        fs::write(site.path().join(path), text).unwrap();
    }
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

fn page(s: &tempfile::TempDir, p: &str) -> String {
    // Phrase breaks are markup, not text.
    fs::read_to_string(s.path().join("public").join(p))
        .unwrap_or_else(|e| panic!("{p}: {e}"))
        .replace("<wbr>", "")
}

#[test]
fn references_show_on_both_ends() {
    let s = built();
    let policy = page(&s, "policies/research-support/index.html");
    assert!(policy.contains("href=\"../../goals/plan2-goal-01/index.html\""));
    assert!(policy.contains("href=\"../../organisations/test-ministry/index.html\""));
    let goal = page(&s, "goals/plan2-goal-01/index.html");
    assert!(
        goal.contains("この目標に関連する施策")
            && goal.contains("href=\"../../policies/research-support/index.html\""),
        "{goal}"
    );
    let org = page(&s, "organisations/test-ministry/index.html");
    assert!(org.contains("href=\"../../policies/research-support/index.html\""));
    assert!(org.contains("9.3億円"), "organisation pages list budgets");
}

#[test]
fn glossary_terms_link_themselves_and_list_where_they_are_used() {
    let s = built();
    let policy = page(&s, "policies/research-support/index.html");
    assert!(
        policy.contains("<a class=\"term\" href=\"../../glossary/imdrf-chair/index.html\""),
        "longest match"
    );
    let term = page(&s, "glossary/device-lag/index.html");
    assert!(
        term.contains("この用語が使われているページ")
            && term.contains("../../policies/research-support/index.html"),
        "{term}"
    );
    assert!(
        !term.contains("<a class=\"term\" href=\"../../glossary/device-lag/"),
        "no link to itself on its own page"
    );
    let index = page(&s, "glossary/index.html");
    assert!(
        index.contains("id=\"g-I\"") && index.contains("id=\"g-た\""),
        "A–Z and 五十音 groups"
    );
    assert!(
        index.contains("<span lang=\"en\">International Medical Device Regulators Forum</span>")
    );
}

#[test]
fn every_source_link_lands_on_an_anchor_of_the_source_page() {
    let s = built();
    let out = s.path().join("public");
    let mut n = 0;
    for (path, bytes) in snapshot(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for l in links(&html)
            .into_iter()
            .filter(|l| l.contains("documents/plan-doc/index.html#L"))
        {
            let frag = l.split('#').nth(1).unwrap();
            let src = fs::read_to_string(out.join("documents/plan-doc/index.html")).unwrap();
            assert!(src.contains(&format!("id=\"{frag}\"")), "{path}: {l}");
            n += 1;
        }
    }
    assert!(n >= 10, "{n} source links");
    let src = page(&s, "documents/plan-doc/index.html");
    assert!(
        src.contains("<li id=\"L8\" value=\"8\">"),
        "one anchor per line"
    );
}

#[test]
fn kpi_csv_and_json_round_trip_to_the_source_values() {
    let s = built();
    let csv = page(&s, "kpis/participants/data.csv");
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let values: Vec<(i32, f64)> = rows
        .iter()
        .map(|r| (r[0].parse().unwrap(), r[2].parse().unwrap()))
        .collect();
    assert_eq!(values, vec![(2022, 2737.0), (2023, 2783.0), (2024, 4086.0)]);
    let json: serde_json::Value =
        serde_json::from_str(&page(&s, "kpis/participants/data.json")).unwrap();
    let pts: Vec<(i64, f64)> = json["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["year"].as_i64().unwrap(), p["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(pts, vec![(2022, 2737.0), (2023, 2783.0), (2024, 4086.0)]);
    assert_eq!(json["unit"], "人");
    let kgi = page(&s, "kpis/market/index.html");
    assert!(
        kgi.contains("18兆円") && kgi.contains("6.6%"),
        "gap to target and required growth: {kgi}"
    );
}

#[test]
fn offline_archive_holds_the_whole_site() {
    let site = copy_fixture("basic");
    let s = fs::read_to_string(site.path().join("site.toml")).unwrap();
    fs::write(
        site.path().join("site.toml"),
        format!("{s}offline_archive = true\n"),
    )
    .unwrap();
    assert!(run(&["build"], site.path()).status.success());
    let zip = fs::read(site.path().join("public/site-offline.zip")).unwrap();
    assert_eq!(&zip[..2], b"PK");
    let listing = String::from_utf8_lossy(&zip);
    assert!(
        listing.contains("site/index.html")
            && listing.contains("site/search-index.js")
            && listing.contains("site/search-index/d-0.js")
    );
    let index = fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(index.contains("href=\"site-offline.zip\""));
}

#[test]
fn a_large_site_splits_its_search_index_and_the_search_page_loads_only_its_layout() {
    let site = built_with((0..300).map(|i| {
        (
            format!("content/terms/zz{i:03}.md"),
            format!("+++\ntitle = \"ZZTERM{i:03}\"\nautolink = false\nsource = [\"plan.txt#L10\"]\n+++\n用語{i}の定義。\n"),
        )
    }));
    let public = site.path().join("public");
    let parts: Vec<String> = fs::read_dir(public.join("search-index"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let chunks: Vec<&String> = parts.iter().filter(|n| n.starts_with("d-")).collect();
    let tokens: Vec<&String> = parts.iter().filter(|n| n.starts_with("t-")).collect();
    // Small document chunks (a query loads those of the results it shows), fewer token shards.
    assert!(chunks.len() >= 2, "{parts:?}");
    assert!(
        chunks.len() > tokens.len() && tokens.len() >= 2,
        "{parts:?}"
    );
    // The page loads the layout script; a query loads the parts it needs.
    let search = page(&site, "search/index.html");
    assert!(search.contains("src=\"../search-index.js\""));
    assert_eq!(search.matches("src=\"../search-index").count(), 1);
    let meta = fs::read_to_string(public.join("search-index.js")).unwrap();
    assert!(meta.contains(&format!("\"t\":{},", tokens.len())), "{meta}");
    // Every page is in exactly one chunk.
    let texts: Vec<String> = chunks
        .iter()
        .map(|s| fs::read_to_string(public.join("search-index").join(s)).unwrap())
        .collect();
    for i in 0..300 {
        let url = format!("\"glossary/zz{i:03}/index.html\"");
        let n = texts.iter().filter(|t| t.contains(&url)).count();
        assert_eq!(n, 1, "{url} is in {n} chunks");
    }
    // A token is in exactly one token shard.
    let shards: Vec<String> = tokens
        .iter()
        .map(|s| fs::read_to_string(public.join("search-index").join(s)).unwrap())
        .collect();
    let n = shards
        .iter()
        .filter(|t| t.contains("\"zzterm150\""))
        .count();
    assert_eq!(n, 1);
}

#[test]
fn a_term_after_a_list_mark_or_with_an_ampersand_is_linked() {
    let site = copy_fixture("basic");
    let file = site.path().join("content/policies/research-support.md");
    let body = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        body.replace(
            "## 取組の方向性\n",
            "## 取組の方向性\n\n- ③IMDRFの会合に参加する\n\n## 連携\n\nR&D連携を進める。\n",
        ),
    )
    .unwrap();
    fs::write(
        site.path().join("content/terms/r-and-d.md"),
        "+++\ntitle = \"R&D\"\nsource = [\"plan.txt#L8\"]\n+++\n研究開発。\n",
    )
    .unwrap();
    let out = site.path().join("out");
    let o = run(&["build", "--out", out.to_str().unwrap()], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(out.join("policies/research-support/index.html")).unwrap();
    assert!(
        html.contains("③<a class=\"term\" href=\"../../glossary/imdrf/index.html\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"../../glossary/r-and-d/index.html\" title=\"R&amp;D\"><abbr title=\"R&amp;D\">R&amp;D</abbr></a>"),
        "{html}"
    );
}

#[test]
fn backlinks_are_listed_by_title_whatever_their_ids_and_files() {
    // Ids in one order, titles in another, and two pages with one title (then by id).
    let site = built_with(
        [
            ("a-last", "乙の施策"),
            ("b-first", "甲の施策"),
            ("c-mid", "乙の施策"),
        ]
        .map(|(id, title)| {
            (
                format!("content/policies/{id}.md"),
                format!("+++\ntitle = \"{title}\"\nkind = \"measure\"\nplan = \"plan2\"\nsource = [\"plan.txt#L8\"]\n+++\nデバイスラグの解消に取り組む。\n"),
            )
        }),
    );
    let term = page(&site, "glossary/device-lag/index.html");
    let at = |id: &str| {
        term.find(&format!("../../policies/{id}/index.html"))
            .unwrap_or_else(|| panic!("{id} is listed: {term}"))
    };
    // 乙 (U+4E59) sorts before 甲 (U+7532) and 研 (U+7814).
    assert!(at("a-last") < at("c-mid"), "same title: by id");
    assert!(at("c-mid") < at("b-first"), "by title");
    assert!(at("b-first") < at("research-support"), "by title");
}

/// The KPI cards of a page: (link as written, the card's markup).
fn kpi_cards(html: &str) -> Vec<(String, String)> {
    html.split("<figure class=\"kpi-card\">")
        .skip(1)
        .map(|rest| {
            let card = rest.split("</details>").next().unwrap_or(rest);
            let href = card
                .split("<figcaption><a href=\"")
                .nth(1)
                .expect("a card links its KPI");
            (
                href[..href.find('"').unwrap()].to_string(),
                card.to_string(),
            )
        })
        .collect()
}

#[test]
fn a_kpi_card_links_its_kpi_from_every_page_and_shows_its_figures() {
    let s = built();
    let policy = page(&s, "policies/research-support/index.html");
    let goal = page(&s, "goals/plan2-goal-01/index.html");
    let plan = page(&s, "plans/plan2/index.html");
    let mut seen = Vec::new();
    for (path, html) in [
        ("policies/research-support", &policy),
        ("goals/plan2-goal-01", &goal),
        ("plans/plan2", &plan),
    ] {
        let cards = kpi_cards(html);
        assert!(!cards.is_empty(), "{path} shows KPI cards");
        for (href, card) in cards {
            let target = href.strip_prefix("../../").expect("from an entity page");
            let kpi = page(&s, target);
            let title = kpi
                .split("<h1>")
                .nth(1)
                .and_then(|h| h.split("</h1>").next())
                .unwrap();
            assert!(
                card.contains(title),
                "{path}: the card of {target} is titled {title}"
            );
            // The card's table holds the KPI page's figures, year by year.
            let rows = |h: &str| -> Vec<String> {
                h.split("<td class=\"num\">")
                    .skip(1)
                    .map(|r| r[..r.find('<').unwrap()].to_string())
                    .collect()
            };
            let figures = rows(&card);
            assert!(!figures.is_empty(), "{path}: {target} card has its table");
            assert!(
                figures.iter().all(|f| kpi.contains(&format!(">{f}<"))),
                "{path}: {target} {figures:?}"
            );
            seen.push((target.to_string(), card));
        }
    }
    // A KPI shown on several pages shows the same card on each.
    let courses: Vec<&String> = seen
        .iter()
        .filter(|(t, _)| t.starts_with("kpis/courses/"))
        .map(|(_, c)| c)
        .collect();
    assert_eq!(courses.len(), 2, "courses is on the goal and the policy");
    assert_eq!(courses[0], courses[1]);
}

/// The default theme's components, as shipped.
fn default_macros() -> String {
    fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/macros.html"),
    )
    .expect("the default theme has its components")
}

#[test]
fn a_kpi_card_made_once_is_the_card_each_page_would_make() {
    let made_once = built();
    // A theme whose `kpi_cards` ignores the card made once and renders `kpi_card` on each page.
    let macros = default_macros();
    let shared = "{% if k.html %}{{ k.html }}{% else %}{{<kpi_card k={k}/>}}{% endif %}";
    assert!(
        macros.contains(shared),
        "the default kpi_cards prints the card made once"
    );
    let each_page = copy_fixture("basic");
    site_template(
        each_page.path(),
        "macros.html",
        &macros.replace(shared, "{{<kpi_card k={k}/>}}"),
    );
    let o = run(&["build"], each_page.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let pages = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        snapshot(dir)
            .into_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .collect()
    };
    let (once, each) = (
        pages(&made_once.path().join("public")),
        pages(&each_page.path().join("public")),
    );
    assert!(once
        .iter()
        .any(|(_, b)| String::from_utf8_lossy(b).contains("class=\"kpi-card\"")));
    assert_eq!(once.len(), each.len());
    for ((p, a), (q, b)) in once.iter().zip(&each) {
        assert_eq!(p, q);
        assert!(a == b, "{p} differs when each page renders its cards");
    }
}

#[test]
fn a_kpi_card_the_theme_cannot_render_is_reported_where_the_card_is_written() {
    let site = copy_fixture("basic");
    let macros = default_macros();
    let at = macros
        .find("{% component kpi_card(k) %}")
        .expect("the card component");
    assert!(
        macros[at..].contains("{{ k.link.html }}"),
        "the card links its KPI"
    );
    let broken = format!(
        "{}{}",
        &macros[..at],
        macros[at..].replacen("{{ k.link.html }}", "{{ k.link.nosuchfield.deeper }}", 1)
    );
    assert_ne!(broken, macros);
    site_template(site.path(), "macros.html", &broken);
    let o = run(&["build"], site.path());
    assert!(
        !o.status.success(),
        "a card that cannot be rendered fails the build"
    );
    let err = stderr(&o);
    assert!(err.contains("E041"), "{err}");
    assert!(
        err.contains("themes/default/templates/macros.html"),
        "{err}"
    );
    assert!(!site.path().join("public").exists(), "nothing is published");
}
