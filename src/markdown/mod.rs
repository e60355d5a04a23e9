//! Markdown bodies to HTML in one pass over pulldown-cmark's events: heading ids (and the
//! outline for a table of contents), `@kind/id` links, glossary links, phrase breaks, code
//! highlighting, editorial notes, and the plain text for search. Raw HTML is sanitised unless
//! the site trusts it.

pub mod glossary;
pub mod highlight;
mod pass;
pub mod sanitize;

use crate::diag::Diagnostic;
use crate::registry::Kind;
use glossary::{Linker, Seen};
use pulldown_cmark::{Options, Parser};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

pub use highlight::{highlight_css, HIGHLIGHT_PREFIX};

/// Pages that `@kind/id` links can point to.
pub trait LinkTargets {
    /// Path of the page of `kind`/`id` from the output root, or `None` when there is none.
    fn page_path(&self, kind: Kind, id: &str) -> Option<String>;
}

/// What the Markdown pass needs to know about the site and the body.
pub struct BodyContext<'a> {
    pub targets: &'a dyn LinkTargets,
    /// Relative prefix from the page to the output root (`../../`).
    pub root: &'a str,
    pub trust_html: bool,
    /// File and first body line, for diagnostics.
    pub file: &'a Path,
    pub first_line: usize,
    /// The glossary linker, when terms link themselves.
    pub glossary: Option<&'a Linker>,
    /// The term whose page this is (never linked to itself).
    pub own_term: Option<usize>,
    /// Link only the first occurrence of a term per section.
    pub first_only: bool,
}

/// A heading of a body, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    /// Plain text, whitespace collapsed: for search and page descriptions.
    pub text: String,
    /// Ids of the glossary terms linked.
    pub terms: BTreeSet<String>,
    /// Number of glossary links.
    pub autolinks: usize,
    pub headings: Vec<Heading>,
    /// A hash of `html`, for the signatures of the pages that show it (watch mode).
    pub fingerprint: u64,
}

/// The parser's options for a body (the artefact lint parses with the same).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Opening markup of an editorial note (`> [!NOTE]`): text the editors wrote, not the seed's.
pub(crate) const NOTE_OPEN: &str =
    "<aside class=\"editorial\">\n<p class=\"editorial-label\">編集注</p>\n";

/// Whether a link destination is a script URL (after the tricks browsers forgive).
pub fn is_script_url(dest: &str) -> bool {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || cleaned.starts_with("data:text/html")
}

/// Text of a heading turned into an anchor id (Japanese kept, spaces to `-`).
pub fn anchor_id(text: &str, used: &mut HashSet<String>) -> String {
    let base: String = crate::format::nfkc(text)
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() || c == '-' || c == '_' {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    let base = if base.trim_matches('-').is_empty() {
        "section".to_string()
    } else {
        base.trim_matches('-').to_string()
    };
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// Renders a Markdown body. Problems (script URLs) go to `diags`.
pub fn render(md: &str, cx: &BodyContext<'_>, diags: &mut Vec<Diagnostic>) -> Body {
    let mut pass = pass::Pass {
        cx,
        md,
        events: Vec::new(),
        text: String::new(),
        plain: String::with_capacity(md.len()),
        code: None,
        heading: None,
        used_ids: HashSet::new(),
        headings: Vec::new(),
        link_depth: 0,
        image_depth: 0,
        seen: Seen::new(),
        terms: Vec::new(),
        autolinks: 0,
        raw_html: false,
        diags: Vec::new(),
    };
    // The PDF-artefact lint reads the same parse.
    let mut lint = crate::content::lint::Lint::default();
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        lint.event(&ev, range.clone(), md);
        pass.event(ev, range);
    }
    pass.flush();
    for a in lint.finish(md, cx.first_line) {
        diags.push(
            Diagnostic::warning("W010", cx.file, format!("PDF artefact: {}", a.message))
                .at(a.line, 1)
                .hint("clean the text in the seed's own words; see the README's content rules"),
        );
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, pass.events.into_iter());
    // Without raw HTML, every character of the output was escaped by this pass or by
    // pulldown-cmark, and script URLs were refused: there is nothing to sanitise.
    if pass.raw_html && !cx.trust_html {
        html = sanitize::sanitise(&html);
    }
    diags.extend(pass.diags);
    Body {
        fingerprint: crate::format::hash::fx(&html),
        html,
        text: crate::format::collapse_whitespace(&pass.plain),
        terms: match cx.glossary {
            Some(l) => pass.terms.iter().map(|t| l.term(*t).id.clone()).collect(),
            None => BTreeSet::new(),
        },
        autolinks: pass.autolinks,
        headings: pass.headings,
    }
}

#[cfg(test)]
mod tests {
    use super::glossary::TermInfo;
    use super::*;

    struct Targets;
    impl LinkTargets for Targets {
        fn page_path(&self, kind: Kind, id: &str) -> Option<String> {
            (id == "known").then(|| format!("{}/{id}/index.html", kind.folder()))
        }
    }

    fn linker() -> Linker {
        Linker::new(vec![
            TermInfo {
                id: "imdrf".into(),
                path: "glossary/imdrf/index.html".into(),
                tooltip: "International Medical Device Regulators Forum".into(),
                forms: vec!["IMDRF".into()],
            },
            TermInfo {
                id: "device-lag".into(),
                path: "glossary/device-lag/index.html".into(),
                tooltip: "デバイスラグ".into(),
                forms: vec!["デバイスラグ".into()],
            },
        ])
    }

    fn render_with(md: &str, trust: bool, glossary: Option<&Linker>) -> (Body, Vec<Diagnostic>) {
        let cx = BodyContext {
            targets: &Targets,
            root: "../../",
            trust_html: trust,
            file: Path::new("x.md"),
            first_line: 5,
            glossary,
            own_term: None,
            first_only: true,
        };
        let mut d = Vec::new();
        (super::render(md, &cx, &mut d), d)
    }

    fn html(md: &str, trust: bool) -> (String, Vec<Diagnostic>) {
        let (b, d) = render_with(md, trust, None);
        (b.html, d)
    }

    #[test]
    fn tables_footnotes_strikethrough_anchors() {
        let (h, _) = html(
            "## 事業の目的\n\n|a|b|\n|-|-|\n|1|2|\n\n~~x~~ note[^1]\n\n[^1]: foot\n",
            false,
        );
        assert!(h.contains("<h2 id=\"事業の目的\">"), "{h}");
        assert!(
            h.contains("<table>") && h.contains("<del>x</del>") && h.contains("footnote"),
            "{h}"
        );
    }

    #[test]
    fn one_pass_links_terms_breaks_phrases_and_collects_text_and_headings() {
        let l = linker();
        let (b, _) = render_with(
            "## IMDRFの概要\n\nIMDRFとデバイスラグの解消に向けた取組を進める。IMDRFの会合。\n\n[IMDRF](@term/known) `IMDRF`\n",
            false,
            Some(&l),
        );
        // Headings, links and code are not linked; the first occurrence in the section is.
        assert_eq!(b.autolinks, 2, "{}", b.html);
        assert_eq!(
            b.terms.iter().cloned().collect::<Vec<_>>(),
            ["device-lag", "imdrf"]
        );
        assert!(b.html.contains("<a class=\"term\" href=\"../../glossary/imdrf/index.html\" title=\"International Medical Device Regulators Forum\"><abbr title=\"International Medical Device Regulators Forum\">IMDRF</abbr></a>"), "{}", b.html);
        assert!(b.html.contains("<wbr>"), "{}", b.html);
        assert!(b.html.contains("<code>IMDRF</code>"), "{}", b.html);
        assert!(
            b.html.contains("href=\"../../glossary/known/index.html\""),
            "{}",
            b.html
        );
        assert_eq!(
            b.text,
            "IMDRFの概要 IMDRFとデバイスラグの解消に向けた取組を進める。IMDRFの会合。 IMDRF IMDRF"
        );
        assert_eq!(
            b.headings,
            [Heading {
                level: 2,
                id: "imdrfの概要".into(),
                text: "IMDRFの概要".into()
            }]
        );
    }

    #[test]
    fn text_is_escaped_and_never_broken_inside_an_entity() {
        let (h, _) = html("研究開発 & 事業化で 1 < 2 を推進する\n", false);
        assert!(h.contains("&amp;") && h.contains("1 &lt; 2"), "{h}");
        assert!(!h.contains("&<wbr>") && !h.contains("&amp<wbr>"), "{h}");
    }

    #[test]
    fn note_blocks_are_marked_as_editorial() {
        let (h, _) = html(
            "本文。\n\n> [!NOTE]\n> 資料では画像のため掲載していない。\n",
            false,
        );
        assert!(
            h.contains("<aside class=\"editorial\">\n<p class=\"editorial-label\">編集注</p>"),
            "{h}"
        );
        assert!(h.contains("</p>\n</aside>"), "{h}");
        let (h, _) = html("> quoted\n", false);
        assert!(h.contains("<blockquote>"), "{h}");
    }

    #[test]
    fn code_is_highlighted_with_classes_only() {
        let (h, _) = html("```toml\ntitle = \"x\"\n```\n", false);
        assert!(h.contains("class=\"hl-"), "{h}");
        assert!(!h.contains("style="), "{h}");
    }

    #[test]
    fn raw_html_is_sanitised_unless_trusted() {
        let (h, _) = html("<script>alert(1)</script><b onclick=\"x()\">b</b>\n", false);
        assert!(!h.contains("<script") && !h.contains("onclick"), "{h}");
        let (h, _) = html("<div class=\"k\">ok</div>\n", true);
        assert!(h.contains("<div class=\"k\">"), "{h}");
    }

    #[test]
    fn script_urls_are_refused_with_line() {
        let (h, d) = html("text\n\n[x](javascript:alert(1))\n", false);
        assert!(!h.contains("javascript"), "{h}");
        assert_eq!((d[0].code, d[0].line), ("E020", 7));
        assert!(is_script_url(" JaVa\tScript:alert(1)"));
    }
}
