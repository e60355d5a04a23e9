//! Glossary auto-linking: occurrences of a term or alias in body text become links.
//!
//! One Aho–Corasick automaton over the NFKC forms of every title and alias, leftmost-longest,
//! so 「IMDRF議長国」 never links only "IMD". ASCII terms match on word boundaries; Japanese
//! terms match inside Japanese text. The Markdown pass calls it for text outside headings,
//! links and code, and never on the term's own page; by default only the first occurrence
//! per section is linked.

use crate::format::{nfkc, nfkc_char, own_nfkc};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
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
    /// Each term's tooltip escaped for an attribute value, made once for all its links.
    tooltips: Vec<String>,
}

/// A piece of a text node: plain text, or the shown form of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'t> {
    Text(&'t str),
    Term { term: usize, shown: &'t str },
}

/// Terms already linked in the current section (for `first_only`).
pub type Seen = BTreeSet<usize>;

impl Linker {
    pub fn new(terms: Vec<TermInfo>) -> Linker {
        let mut pats: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, t) in terms.iter().enumerate() {
            for f in &t.forms {
                // Bodies are matched as escaped HTML text, so a form is escaped the same way
                // (M&A is found as `M&amp;A`).
                let n = html_escape::encode_text(&nfkc(f)).into_owned();
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
                .kind(Some(AhoCorasickKind::DFA))
                .build(&pats)
                .ok()
        };
        let tooltips = terms
            .iter()
            .map(|t| html_escape::encode_double_quoted_attribute(&t.tooltip).into_owned())
            .collect();
        Linker {
            ac,
            patterns,
            terms,
            tooltips,
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

    /// The term at `index`.
    pub fn term(&self, index: usize) -> &TermInfo {
        &self.terms[index]
    }

    /// The tooltip of the term at `index`, escaped for a double-quoted attribute value.
    pub fn tooltip_attr(&self, index: usize) -> &str {
        &self.tooltips[index]
    }

    /// Splits one (HTML-escaped) text node into plain pieces and terms. `own` is the index
    /// of the term whose page this is; with `first_only` a term seen in this section is not
    /// linked again.
    pub fn pieces<'t>(
        &self,
        text: &'t str,
        own: Option<usize>,
        first_only: bool,
        seen: &mut Seen,
    ) -> Vec<Piece<'t>> {
        let Some(ac) = &self.ac else {
            return vec![Piece::Text(text)];
        };
        // Text made only of characters that are their own NFKC (most text) is matched as it
        // is.
        let normalised;
        let (norm, origin): (&str, Option<Vec<usize>>) = if text.chars().all(own_nfkc) {
            (text, None)
        } else {
            // Normalise per character, remembering where each normalised byte came from.
            let mut norm = String::with_capacity(text.len());
            let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
            for (i, c) in text.char_indices() {
                let before = norm.len();
                match nfkc_char(c) {
                    Some(n) => norm.push(n),
                    None => {
                        // NFKC of the character alone, without an allocation.
                        use unicode_normalization::UnicodeNormalization;
                        norm.extend(std::iter::once(c).nfkc());
                    }
                }
                origin.resize(origin.len() + (norm.len() - before), i);
            }
            origin.push(text.len());
            normalised = norm;
            (&normalised, Some(origin))
        };
        let at = |i: usize| origin.as_ref().map_or(i, |o| o[i]);
        let mut out = Vec::new();
        let mut copied = 0;
        for m in ac.find_iter(norm) {
            let (term_idx, bounded) = self.patterns[m.pattern().as_usize()];
            if own == Some(term_idx) || (first_only && seen.contains(&term_idx)) {
                continue;
            }
            let (s, e) = (at(m.start()), at(m.end()));
            // An ASCII term stands as a word: no letter or digit (ASCII or full-width) next
            // to it in the text as written. A circled number (③APEC) is a list mark, not a
            // digit of the word, though its NFKC is one.
            if bounded {
                let word = |c: char| {
                    c.is_ascii_alphanumeric()
                        || matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
                };
                if text[..s].chars().next_back().is_some_and(word)
                    || text[e..].chars().next().is_some_and(word)
                {
                    continue;
                }
            }
            // A match must cover whole original characters.
            if s < copied || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
                continue;
            }
            if s > copied {
                out.push(Piece::Text(&text[copied..s]));
            }
            out.push(Piece::Term {
                term: term_idx,
                shown: &text[s..e],
            });
            copied = e;
            seen.insert(term_idx);
        }
        if copied < text.len() {
            out.push(Piece::Text(&text[copied..]));
        }
        out
    }

    /// The index of the term with id `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.terms.iter().position(|t| t.id == id)
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
            t("m-and-a", &["M&A"]),
        ])
    }

    fn terms(l: &Linker, text: &str, own: Option<usize>, first_only: bool) -> Vec<String> {
        l.pieces(text, own, first_only, &mut Seen::new())
            .into_iter()
            .filter_map(|p| match p {
                Piece::Term { term, shown } => Some(format!("{}:{shown}", l.term(term).id)),
                Piece::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn longest_match_wins() {
        assert_eq!(
            terms(&linker(), "IMDRF議長国として", None, true),
            ["imdrf-chair:IMDRF議長国"]
        );
    }

    #[test]
    fn ascii_terms_need_word_boundaries_but_japanese_do_not() {
        let l = linker();
        assert_eq!(
            terms(
                &l,
                "XSaMD と SaMDs と SaMD相談、デバイスラグの解消",
                None,
                false
            ),
            ["samd:SaMD", "device-lag:デバイスラグ"]
        );
        // A list mark or full-width text next to a term, as the sources write them.
        assert_eq!(
            terms(
                &l,
                "③IMDRFの会合、ＩＭＤＲＦ議長、ＸＩＭＤＲＦ、IMDRF３",
                None,
                false
            ),
            ["imdrf:IMDRF", "imdrf:ＩＭＤＲＦ"]
        );
        // Bodies are escaped before they are linked.
        assert_eq!(
            terms(&l, "投資やM&amp;Aなど", None, false),
            ["m-and-a:M&amp;A"]
        );
    }

    #[test]
    fn own_term_and_seen_terms_are_skipped() {
        let l = linker();
        let own = l.index_of("imdrf");
        assert!(terms(&l, "IMDRF", own, true).is_empty());
        let mut seen = Seen::new();
        assert_eq!(l.pieces("SaMD SaMD", None, true, &mut seen).len(), 2);
        assert_eq!(
            l.pieces("SaMD", None, true, &mut seen),
            [Piece::Text("SaMD")]
        );
        assert_eq!(terms(&l, "SaMD SaMD", None, false).len(), 2);
    }

    #[test]
    fn full_width_text_matches_and_is_kept() {
        let l = linker();
        let p = l.pieces("ＩＭＤＲＦの会合", None, true, &mut Seen::new());
        assert_eq!(
            p,
            [
                Piece::Term {
                    term: 1,
                    shown: "ＩＭＤＲＦ"
                },
                Piece::Text("の会合")
            ]
        );
    }
}
