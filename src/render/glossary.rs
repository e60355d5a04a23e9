//! Glossary auto-linking: occurrences of a term or alias in rendered text become links.
//!
//! One Aho–Corasick automaton over the NFKC forms of every title and alias, leftmost-longest,
//! so 「IMDRF議長国」 never links only "IMD". ASCII terms match on word boundaries; Japanese
//! terms match inside Japanese text. Headings, links, code, `<abbr>`, SVG and the term's own
//! page are left alone. By default only the first occurrence per section is linked.

use crate::format::nfkc;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::BTreeSet;

/// What the linker needs of a term.
#[derive(Debug, Clone)]
pub struct TermInfo {
    pub id: String,
    /// Page path relative to the output root (`glossary/imdrf/index.html`).
    pub path: String,
    /// Tooltip: expansion and Japanese name.
    pub tooltip: String,
    pub forms: Vec<String>,
}

pub struct Linker {
    ac: Option<AhoCorasick>,
    /// Pattern index → (term index, pattern is ASCII-bounded)
    patterns: Vec<(usize, bool)>,
    terms: Vec<TermInfo>,
}

/// Result of linking one HTML fragment.
#[derive(Debug, Default, Clone)]
pub struct Linked {
    pub html: String,
    /// Ids of the terms linked.
    pub terms: BTreeSet<String>,
    pub links: usize,
}

/// Elements whose content is never linked.
const SKIP: &[&str] = &[
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "abbr", "script", "style", "svg",
    "title", "kbd", "samp", "dfn",
];

impl Linker {
    pub fn new(terms: Vec<TermInfo>) -> Linker {
        let mut pats: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, t) in terms.iter().enumerate() {
            for f in &t.forms {
                let n = nfkc(f);
                if n.chars().count() < 2 || !seen.insert(n.clone()) {
                    continue;
                }
                let ascii_bounded = n.starts_with(|c: char| c.is_ascii_alphanumeric())
                    || n.ends_with(|c: char| c.is_ascii_alphanumeric());
                pats.push(n);
                patterns.push((i, ascii_bounded));
            }
        }
        let ac = if pats.is_empty() {
            None
        } else {
            // Building fails only for pattern sets beyond the automaton's size limits.
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&pats)
                .ok()
        };
        Linker {
            ac,
            patterns,
            terms,
        }
    }

    /// A hash of every term's id, page, tooltip and forms: equal for an unchanged glossary.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        for t in &self.terms {
            (&t.id, &t.path, &t.tooltip, &t.forms).hash(&mut h);
        }
        h.finish()
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Links terms in `html`. `root` prefixes link targets; `own` is the id of the term whose
    /// page this is; `first_only` links each term once per section.
    pub fn link(&self, html: &str, root: &str, own: Option<&str>, first_only: bool) -> Linked {
        let mut out = Linked {
            html: String::with_capacity(html.len() + html.len() / 8),
            ..Default::default()
        };
        let Some(ac) = &self.ac else {
            out.html = html.to_string();
            return out;
        };
        let mut section_seen: BTreeSet<usize> = BTreeSet::new();
        let mut skip_depth: Vec<String> = Vec::new();
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(tag_start) = rest.find('<') {
                let text = &rest[..tag_start];
                if skip_depth.is_empty() {
                    self.link_text(text, root, own, first_only, &mut section_seen, ac, &mut out);
                } else {
                    out.html.push_str(text);
                }
                let tag_end = rest[tag_start..]
                    .find('>')
                    .map_or(rest.len(), |j| tag_start + j + 1);
                let tag = &rest[tag_start..tag_end];
                track_tag(tag, &mut skip_depth, &mut section_seen);
                out.html.push_str(tag);
                rest = &rest[tag_end..];
            } else {
                if skip_depth.is_empty() {
                    self.link_text(rest, root, own, first_only, &mut section_seen, ac, &mut out);
                } else {
                    out.html.push_str(rest);
                }
                break;
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn link_text(
        &self,
        text: &str,
        root: &str,
        own: Option<&str>,
        first_only: bool,
        seen: &mut BTreeSet<usize>,
        ac: &AhoCorasick,
        out: &mut Linked,
    ) {
        // Normalise per character, remembering where each normalised byte came from.
        let mut norm = String::with_capacity(text.len());
        let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let n = if c.is_ascii() {
                c.to_string()
            } else {
                nfkc(c.encode_utf8(&mut [0; 4]))
            };
            for _ in 0..n.len() {
                origin.push(i);
            }
            norm.push_str(&n);
        }
        origin.push(text.len());
        let mut copied = 0;
        for m in ac.find_iter(&norm) {
            let (term_idx, bounded) = self.patterns[m.pattern().as_usize()];
            let term = &self.terms[term_idx];
            if own == Some(term.id.as_str()) || (first_only && seen.contains(&term_idx)) {
                continue;
            }
            if bounded {
                let before = norm[..m.start()].chars().next_back();
                let after = norm[m.end()..].chars().next();
                if before.is_some_and(|c| c.is_ascii_alphanumeric())
                    || after.is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    continue;
                }
            }
            let (s, e) = (origin[m.start()], origin[m.end()]);
            // A match must cover whole original characters.
            if s < copied || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
                continue;
            }
            out.html.push_str(&text[copied..s]);
            let shown = &text[s..e];
            let ascii = shown.is_ascii();
            out.html.push_str(&format!(
                "<a class=\"term\" href=\"{root}{}\" title=\"{}\">",
                term.path,
                attr(&term.tooltip)
            ));
            if ascii {
                out.html.push_str(&format!(
                    "<abbr title=\"{}\">{shown}</abbr></a>",
                    attr(&term.tooltip)
                ));
            } else {
                out.html.push_str(shown);
                out.html.push_str("</a>");
            }
            copied = e;
            seen.insert(term_idx);
            out.terms.insert(term.id.clone());
            out.links += 1;
        }
        out.html.push_str(&text[copied..]);
    }
}

fn attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// Updates the stack of skipped elements for one tag; a heading starts a new section.
fn track_tag(tag: &str, skip: &mut Vec<String>, seen: &mut BTreeSet<usize>) {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    if inner.starts_with('!') || inner.starts_with('?') {
        return;
    }
    let closing = inner.starts_with('/');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.len() == 2 && name.starts_with('h') && name.as_bytes()[1].is_ascii_digit() && !closing {
        seen.clear();
    }
    if !SKIP.contains(&name.as_str()) || tag.ends_with("/>") {
        return;
    }
    if closing {
        if let Some(pos) = skip.iter().rposition(|n| *n == name) {
            skip.truncate(pos);
        }
    } else {
        skip.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker() -> Linker {
        let t = |id: &str, forms: &[&str]| TermInfo {
            id: id.into(),
            path: format!("glossary/{id}/index.html"),
            tooltip: format!("{id} tip"),
            forms: forms.iter().map(|s| s.to_string()).collect(),
        };
        Linker::new(vec![
            t("imd", &["IMD"]),
            t("imdrf", &["IMDRF", "国際医療機器規制当局フォーラム"]),
            t("imdrf-chair", &["IMDRF議長国"]),
            t("samd", &["SaMD", "プログラム医療機器"]),
            t("device-lag", &["デバイスラグ"]),
        ])
    }

    #[test]
    fn longest_match_wins() {
        let l = linker().link("<p>IMDRF議長国として</p>", "", None, true);
        assert!(l.html.contains("glossary/imdrf-chair/"), "{}", l.html);
        assert!(!l.html.contains("glossary/imd/"), "{}", l.html);
        assert_eq!(l.links, 1);
    }

    #[test]
    fn ascii_terms_need_word_boundaries_but_japanese_do_not() {
        let l = linker().link(
            "<p>XSaMD と SaMDs と SaMD相談、デバイスラグの解消</p>",
            "",
            None,
            false,
        );
        assert_eq!(
            l.terms.iter().cloned().collect::<Vec<_>>(),
            vec!["device-lag", "samd"],
            "{}",
            l.html
        );
        assert!(
            l.html
                .contains("<abbr title=\"samd tip\">SaMD</abbr></a>相談"),
            "{}",
            l.html
        );
        assert!(l.html.contains("XSaMD と SaMDs"), "{}", l.html);
    }

    #[test]
    fn skips_headings_links_code_and_own_page() {
        let html = "<h2>IMDRF</h2><p><a href=\"x\">IMDRF</a> <code>IMDRF</code></p>";
        assert_eq!(linker().link(html, "", None, true).links, 0);
        assert_eq!(
            linker().link("<p>IMDRF</p>", "", Some("imdrf"), true).links,
            0
        );
    }

    #[test]
    fn first_occurrence_per_section() {
        let html = "<p>SaMD SaMD</p><h2>次</h2><p>SaMD</p>";
        assert_eq!(linker().link(html, "", None, true).links, 2);
        assert_eq!(linker().link(html, "", None, false).links, 3);
    }

    #[test]
    fn full_width_text_matches_and_is_kept() {
        let l = linker().link("<p>ＩＭＤＲＦの会合</p>", "../", None, true);
        assert!(
            l.html.contains("href=\"../glossary/imdrf/index.html\""),
            "{}",
            l.html
        );
        assert!(l.html.contains("ＩＭＤＲＦ</a>の会合"), "{}", l.html);
    }

    #[test]
    fn attributes_are_not_touched() {
        let l = linker().link("<p title=\"IMDRF\">x</p>", "", None, true);
        assert_eq!(l.html, "<p title=\"IMDRF\">x</p>");
    }
}
