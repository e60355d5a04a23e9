//! Entry points shared by the fuzz targets (`fuzz/fuzz_targets/`) and the regression tests
//! that replay what the fuzzers found (`tests/fuzz_regressions.rs`). Each must return
//! normally for every input: a panic is a bug. They use only seisaku's public API.

use seisaku::content::frontmatter::{decode, normalise_text, split};
use seisaku::content::{Document, Goal, KpiSeries, Organisation, Pillar, Plan, Policy, Term};
use seisaku::markdown::glossary::{Linker, Piece, Seen, TermInfo};
use seisaku::markdown::{BodyContext, LinkTargets};
use seisaku::registry::Kind;
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
    if let Ok(seisaku::content::frontmatter::Decoded { value: k, .. }) =
        decode::<KpiSeries>(&text, 0, &text, file)
    {
        let strings = seisaku::render::theme::default_strings();
        let _ = k.validate();
        let _ = k.summary();
        let _ = seisaku::render::chart::chart(&[&k], "f", &strings);
        let _ = seisaku::render::chart::sparkline(&k, &strings);
    }
    let _ = decode::<Organisation>(&text, 0, &text, file);
    let _ = seisaku::format::date::JpDate::parse(&text);
    let _ = seisaku::format::amount::Amount::parse(&text);
    let _ = seisaku::content::source_ref::SourceRef::parse(&text);
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

/// Text through the glossary linker: the pieces put together give the text back.
pub fn autolink(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for first_only in [true, false] {
        let pieces = linker().pieces(text, None, first_only, &mut Seen::new());
        let joined: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => *t,
                Piece::Term { shown, .. } => *shown,
            })
            .collect();
        assert_eq!(joined, text);
    }
}

struct NoTargets;

impl LinkTargets for NoTargets {
    fn page_path(&self, _: Kind, _: &str) -> Option<String> {
        None
    }
}

/// Bytes as a Markdown body: rendered in one pass with glossary links and phrase breaks,
/// sanitised unless trusted.
pub fn markdown(data: &[u8]) {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Vec::new();
    for trust in [false, true] {
        let cx = BodyContext {
            targets: &NoTargets,
            root: "../../",
            trust_html: trust,
            file: Path::new("fuzz.md"),
            first_line: 1,
            glossary: Some(linker()),
            own_term: None,
            first_only: true,
        };
        let body = seisaku::markdown::render(md, &cx, &mut diags);
        if !trust {
            assert!(
                !body.html.to_ascii_lowercase().contains("<script"),
                "sanitised HTML has no script element"
            );
        }
    }
    let _ = seisaku::render::search::tokens(md);
}
