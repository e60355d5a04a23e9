//! Entry points shared by the fuzz targets (`fuzz/`) and the regression tests that replay
//! what the fuzzers found. Each must return normally for every input: a panic is a bug.

use crate::content::frontmatter::{decode, normalise_text, split};
use crate::content::{Document, Goal, KpiSeries, Organisation, Pillar, Plan, Policy, Term};
use crate::render::glossary::{Linker, TermInfo};
use crate::render::markdown::{to_html, MdContext};
use crate::resolve::Graph;
use std::path::Path;
use std::sync::OnceLock;

/// Bytes as a content file: decoded, split and deserialised as every kind.
pub fn content_parser(data: &[u8]) {
    let file = Path::new("fuzz.md");
    let Ok(text) = normalise_text(data, file) else {
        return;
    };
    if let Ok(s) = split(&text, file) {
        let _ = decode::<Policy>(s.front, s.front_offset, &text, file);
        let _ = decode::<Term>(s.front, s.front_offset, &text, file);
        let _ = decode::<Goal>(s.front, s.front_offset, &text, file);
        let _ = decode::<Document>(s.front, s.front_offset, &text, file);
        let _ = decode::<Plan>(s.front, s.front_offset, &text, file);
        let _ = decode::<Pillar>(s.front, s.front_offset, &text, file);
    }
    if let Ok(k) = decode::<KpiSeries>(&text, 0, &text, file) {
        let _ = k.validate();
        let _ = k.summary();
        let _ = crate::render::chart::chart(&[&k], "f");
        let _ = crate::render::chart::sparkline(&k);
    }
    let _ = decode::<Organisation>(&text, 0, &text, file);
    let _ = crate::format::date::JpDate::parse(&text);
    let _ = crate::format::amount::Amount::parse(&text);
    let _ = crate::content::source_ref::SourceRef::parse(&text);
}

fn linker() -> &'static Linker {
    static L: OnceLock<Linker> = OnceLock::new();
    L.get_or_init(|| {
        let t = |id: &str, forms: &[&str]| TermInfo {
            id: id.into(),
            path: format!("glossary/{id}/index.html"),
            tooltip: format!("{id} \"<tip>\""),
            forms: forms.iter().map(|s| s.to_string()).collect(),
        };
        Linker::new(vec![
            t("imd", &["IMD"]),
            t("imdrf", &["IMDRF", "国際医療機器規制当局フォーラム"]),
            t("imdrf-chair", &["IMDRF議長国"]),
            t("samd", &["SaMD", "プログラム医療機器"]),
            t("device-lag", &["デバイスラグ", "ﾃﾞﾊﾞｲｽﾗｸﾞ"]),
            t("k", &["ｶﾞ", "①②"]),
        ])
    })
}

/// Bytes as HTML through the glossary linker; the text content must survive unchanged.
pub fn autolink(data: &[u8]) {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    for first_only in [true, false] {
        let out = linker().link(html, "../", None, first_only);
        // Only markup is added: removing the linker's tags gives the input back.
        if !html.contains("<a") && !html.contains("</a") && !html.contains("abbr") {
            let stripped = strip_tag(&strip_tag(&out.html, "<a class=\"term\""), "<abbr title=\"")
                .replace("</abbr>", "")
                .replace("</a>", "");
            assert_eq!(stripped, html);
        }
    }
}

/// Removes every tag that starts with `open` (attribute values never hold a raw `>`).
fn strip_tag(s: &str, open: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        rest = rest[i..].split_once('>').map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

/// Bytes as a Markdown body: rendered, sanitised, linked and phrase-broken.
pub fn markdown(data: &[u8]) {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    let graph = Graph::default();
    let mut diags = Vec::new();
    for trust in [false, true] {
        let ctx = MdContext {
            graph: &graph,
            root: "../../",
            trust_html: trust,
            file: Path::new("fuzz.md"),
            first_line: 1,
        };
        let html = to_html(md, &ctx, &mut diags);
        let linked = linker().link(&html, "../../", None, true);
        let _ = crate::render::typeset::phrase_breaks(&linked.html);
        let _ = crate::render::pages::plain_text(&linked.html);
        if !trust {
            assert!(
                !html.to_ascii_lowercase().contains("<script"),
                "sanitised HTML has no script element"
            );
        }
    }
    let _ = crate::render::search::tokens(md);
}
