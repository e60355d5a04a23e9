//! The layers linked, as a policy researcher reads them: relations with their basis, the
//! timeline, who funds what, plan comparisons and plan maps, on a small fixture site.

mod common;
use common::*;
use std::fs;
use std::path::Path;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = copy_fixture("lineage");
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.path().join("public");
    (site, out)
}

fn page(out: &Path, p: &str) -> String {
    fs::read_to_string(out.join(p))
        .unwrap_or_else(|e| panic!("{p}: {e}"))
        .replace("<wbr>", "")
}

/// The text of the first element with `class="…"` after `from`, up to the next `</div>` or
/// `</ul>`.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let a = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let b = html[a..].find(end).map_or(html.len(), |i| a + i);
    &html[a..b]
}

#[test]
fn a_relation_needs_a_basis_and_a_target_that_exists() {
    let site = copy_fixture("lineage");
    let goal = site.path().join("content/goals/plan2-goal-02.md");
    let t = fs::read_to_string(&goal).unwrap();
    fs::write(
        &goal,
        t.replace(
            "editorial = \"審査の迅速化は環境の整備に当たる\"",
            "editorial = \"\"",
        ),
    )
    .unwrap();
    let talent = site.path().join("content/policies/talent.md");
    let t = fs::read_to_string(&talent).unwrap();
    fs::write(
        &talent,
        t.replace("to = \"goal/plan2-goal-01\"", "to = \"goal/plan2-goal-9\""),
    )
    .unwrap();
    for cmd in ["check", "build"] {
        let o = run(&[cmd], site.path());
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        let e = stderr(&o);
        assert!(
            e.contains("E016") && e.contains("content/goals/plan2-goal-02.md:10"),
            "{cmd}: {e}"
        );
        assert!(
            e.contains("E010")
                && e.contains("content/policies/talent.md:14")
                && e.contains("plan2-goal-01"),
            "{cmd}: {e}"
        );
    }
}

#[test]
fn sourced_and_editorial_relations_are_shown_apart() {
    let (_site, out) = built();
    let talent = page(&out, "policies/talent/index.html");
    let rel = section(&talent, "class=\"relations\"", "</section>");
    // The sourced relation links to its seed line and is not among the editorial ones.
    let (sourced, editorial) = rel.split_once("editorial-relations").expect("both kinds");
    assert!(
        sourced.contains("根拠となる計画") && sourced.contains("plans/plan2/index.html"),
        "{rel}"
    );
    assert!(sourced.contains("documents/plans/index.html#L12"), "{rel}");
    assert!(editorial.contains("編集上の対応付け"), "{rel}");
    assert!(
        editorial.contains("goals/plan2-goal-01/index.html"),
        "{rel}"
    );
    assert!(
        editorial.contains("理由：研修を行う事業で、研究人材の増加に資する"),
        "{rel}"
    );
    assert!(!editorial.contains("plans/plan2/index.html"), "{rel}");
    // The other side shows it too.
    let goal = page(&out, "goals/plan2-goal-01/index.html");
    let rel = section(&goal, "class=\"relations\"", "</section>");
    assert!(
        rel.contains("資する施策・取組") && rel.contains("policies/talent/index.html"),
        "{rel}"
    );
    assert!(
        rel.contains("引き継ぐ先") && rel.contains("documents/plans/index.html#L10"),
        "{rel}"
    );
}

#[test]
fn the_timeline_lists_events_and_dated_pages_in_order_in_era_and_western_years() {
    let (_site, out) = built();
    let t = page(&out, "events/index.html");
    let decision = t
        .find("<time datetime=\"2022-05-31\">令和4年5月31日（2022年5月31日）</time>")
        .expect("the decision, dated");
    let start = t
        .find(
            "<time datetime=\"2027\">令和9年度（2027年度）</time><span class=\"badge\">目途</span>",
        )
        .expect("the start, approximate");
    assert!(decision < start);
    assert!(t.contains("events/plan3-start/index.html"));
    // Plans and budget years are on it too, each linking to its page.
    assert!(t.contains("plans/plan2/index.html"));
    let budget = t.find("補正予算額 5億円").expect("a budget line");
    assert!(decision < budget && budget < start);
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

/// Every `合計：…` line of the funding matrix, in table order.
fn cell_totals(html: &str) -> Vec<String> {
    html.split("<p class=\"small cell-total\">合計：")
        .skip(1)
        .map(|s| text_of_html(s.split("</p>").next().unwrap_or("")))
        .collect()
}

#[test]
fn the_funding_matrix_sums_each_stage_apart_and_never_a_funds_share() {
    let (_site, out) = built();
    let f = page(&out, "funding/index.html");
    assert!(f.contains("organisations/mhlw/index.html"));
    // Columns: the two basic policies of 第2期, then programmes serving none.
    let head = section(&f, "<thead>", "</thead>");
    let p1 = head.find("pillars/plan2-policy-1/").expect("column 1");
    let p2 = head.find("pillars/plan2-policy-2/").expect("column 2");
    assert!(p1 < p2);
    assert_eq!(
        cell_totals(&f),
        [
            // 人材育成事業 serves goal 1, under 基本方針1: 10 + 5 + 12 are three stages, and the
            // 3億円 fund share is left out.
            "令和6年度（2024年度） 当初予算 10億円、令和6年度（2024年度） 補正予算 5億円、令和7年度（2025年度） 当初予算案 12億円",
            // 審査支援事業 serves goal 2, related to 基本方針2 by the editors.
            "令和6年度（2024年度） 当初予算 2億円",
        ]
    );
    assert!(f.contains("地域基金の内数"));
    // The organisation page totals the same way.
    let org = page(&out, "organisations/mhlw/index.html");
    let totals = section(&org, "class=\"totals\"", "</table>");
    assert!(
        totals.contains("当初予算</td><td class=\"num\">12億円</td><td class=\"num\">2</td>"),
        "{totals}"
    );
    assert!(
        !totals.contains("15億円") && !totals.contains("20億円"),
        "{totals}"
    );
}

#[test]
fn plans_are_compared_and_mapped_with_links_that_resolve() {
    let (_site, out) = built();
    let c = page(&out, "compare/plan2-plan3/index.html");
    assert!(c.contains("第2期と第3期の比較"));
    let row1 = section(&c, "goals/plan2-goal-01/index.html", "</tr>");
    assert!(
        row1.contains("pillars/plan3-policy-a/index.html") && row1.contains("#L10"),
        "{row1}"
    );
    assert!(
        row1.contains("<time datetime=\"2024\">2024年度</time> 69コース"),
        "{row1}"
    );
    let row2 = section(&c, "goals/plan2-goal-02/index.html", "</tr>");
    assert!(row2.contains("対応する記載なし"), "{row2}");
    let map = page(&out, "plans/plan2/map/index.html");
    let svg = section(&map, "<svg", "</svg>");
    let hrefs: Vec<String> = links(svg);
    for want in [
        "pillars/plan2-policy-1/",
        "goals/plan2-goal-01/",
        "kpis/courses/",
        "policies/talent/",
        "policies/review/",
    ] {
        assert!(
            hrefs.iter().any(|h| h.contains(want)),
            "{want} in {hrefs:?}"
        );
    }
    assert!(map.contains("plan-map-link") || map.contains("map-list"));
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

#[test]
fn a_document_page_lists_its_sections_with_the_pages_made_from_each() {
    let (_site, out) = built();
    let html = page(&out, "documents/plans/index.html");
    let toc = section(&html, "id=\"sections-h\"", "</section>");
    let items: Vec<&str> = toc.split("<li><a href=\"#L").skip(1).collect();
    assert_eq!(items.len(), 3, "{toc}");
    // Each entry links to the anchor of its lines, and that anchor is on the page.
    for (item, (anchor, title)) in items.iter().zip([
        ("1-L7", "第2期基本計画"),
        ("8-L11", "第3期基本計画の中間とりまとめ"),
        ("12-L17", "事業と予算"),
    ]) {
        assert!(
            item.starts_with(&format!("{anchor}\">{title}</a>")),
            "{item}"
        );
        assert!(html.contains(&format!("id=\"L{anchor}\"")), "{anchor}");
    }
    // The pages citing a line of each section, and only those.
    let (second, third) = (items[1], items[2]);
    for p in [
        "plans/plan3/",
        "pillars/plan3-policy-a/",
        "events/plan3-start/",
    ] {
        assert!(second.contains(p), "{p} in {second}");
        assert!(!third.contains(p), "{p} in {third}");
    }
    for p in ["policies/talent/", "policies/review/"] {
        assert!(third.contains(p), "{p} in {third}");
        assert!(!second.contains(p), "{p} in {second}");
    }
    assert!(third.contains("（事業の一覧）"), "{third}");
    assert!(!items[0].contains("documents/plans/"), "{}", items[0]);
}
