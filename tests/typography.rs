//! Japanese typography in the built pages: phrase breaks, era dates, amounts.

mod common;
use common::*;
use std::fs;

#[test]
fn long_japanese_heading_breaks_at_phrases_but_never_inside_ascii_or_numbers() {
    let site = copy_fixture("basic");
    let title = "医療ニーズに基づいた医療機器・ヘルスケアを開発するためのIMDRF議長国としての2,737人規模の研究開発の活性化";
    fs::write(
        site.path().join("content/policies/long.md"),
        format!("+++\ntitle = \"{title}\"\nkind = \"measure\"\nsource = [\"plan.txt#L8\"]\n+++\n## {title}\n\n| 項目 | 内容 |\n|---|---|\n| 研究開発の活性化に向けた環境整備 | 令和７年度 |\n\n`コードの中の医療機器開発`\n"),
    )
    .unwrap();
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(site.path().join("public/policies/long/index.html")).unwrap();
    let h1 = html
        .split("<h1>")
        .nth(1)
        .unwrap()
        .split("</h1>")
        .next()
        .unwrap();
    assert!(h1.matches("<wbr>").count() >= 4, "{h1}");
    assert_eq!(h1.replace("<wbr>", ""), title);
    for whole in ["IMDRF", "2,737"] {
        assert!(h1.contains(whole), "{whole} split: {h1}");
    }
    assert!(
        html.contains("<td>研究開発の<wbr>"),
        "table cells get breaks too"
    );
    assert!(
        html.contains("<code>コードの中の医療機器開発</code>"),
        "code is untouched"
    );
    assert!(
        html.contains("<title>医療ニーズに基づいた医療機器"),
        "the document title is untouched"
    );
    let css = fs::read_to_string(site.path().join("public/static/style.css")).unwrap();
    assert!(
        css.contains("word-break: keep-all")
            && css.contains("line-break: strict")
            && css.contains("overflow-wrap: anywhere")
    );
}

#[test]
fn dates_and_fiscal_years_render_with_era_and_western_year() {
    let site = copy_fixture("basic");
    assert!(run(&["build"], site.path()).status.success());
    let doc = fs::read_to_string(site.path().join("public/documents/plan-doc/index.html")).unwrap();
    assert!(
        doc.contains("<time datetime=\"2022-05-31\">令和4年5月31日（2022年5月31日）</time>"),
        "{doc}"
    );
    let policy = fs::read_to_string(
        site.path()
            .join("public/policies/research-support/index.html"),
    )
    .unwrap();
    assert!(policy.contains("令和7年度（2025年度）"));
    assert!(policy.contains("9.3億円"));
    let kpi = fs::read_to_string(site.path().join("public/kpis/participants/index.html")).unwrap();
    assert!(
        kpi.contains("2,737") && kpi.contains("令和4年度（2022年度）"),
        "{kpi}"
    );
}
