//! The artefact lint: traces of a PDF-to-text conversion left in a Markdown body (W010).
//!
//! Each finding names the line and the kind of artefact, so an editor can clean the text
//! in the seed's own words: digits spaced apart, slide numbers, `^{…}` markup, table rows
//! flattened into 「／」-joined text, lines broken inside a sentence, and paragraphs that stop
//! without a full stop (text cut off mid-word or mid-sentence).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// One artefact found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artefact {
    /// 1-based line in the file.
    pub line: usize,
    pub message: String,
}

fn is_japanese(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF66..=0xFF9F)
}

fn digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Characters that may end a paragraph of running text.
fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '。' | '．'
            | '.'
            | '！'
            | '？'
            | '!'
            | '?'
            | '）'
            | ')'
            | '」'
            | '』'
            | '】'
            | '：'
            | ':'
            | '〕'
    )
}

/// A lone digit, a space, a lone digit: 「1 0 1 0 人」.
fn spaced_digits(text: &str) -> bool {
    if !text.as_bytes().contains(&b' ') {
        return false;
    }
    // A window of five characters over the text: before, a, b, c, after.
    let mut chars = text.chars();
    let mut before = None;
    let (mut a, mut b, mut c) = (chars.next(), chars.next(), chars.next());
    while let (Some(x), Some(y), Some(z)) = (a, b, c) {
        let after = chars.next();
        if digit(x)
            && y == ' '
            && digit(z)
            && !before.is_some_and(digit)
            && !after.is_some_and(digit)
        {
            return true;
        }
        (before, a, b, c) = (a, b, c, after);
    }
    false
}

/// The lint of one body, fed its Markdown events as they are parsed (by the pass that renders
/// the body, so that the body is parsed once), then asked what it found.
#[derive(Default)]
pub struct Lint {
    found: Vec<(usize, &'static str)>,
    /// The paragraph being read: where it starts and its text.
    para: Option<(usize, String)>,
    table: usize,
    items: usize,
    /// Quotations (`> …`) may quote a phrase that is not a whole sentence.
    quotes: usize,
    /// A footnote is a note, often a phrase (「PFはプラットフォームの略」).
    footnotes: usize,
    last_char: Option<char>,
}

const SPACED: &str = "digits separated by spaces (「1 0 1 0」)";
const MARKUP: &str = "`^{…}` markup from the PDF (write a footnote `[^1]`)";
const FLATTENED: &str = "a table flattened into 「／」-joined text (write a Markdown table)";
const BROKEN_LINE: &str = "a line broken inside a sentence (join the lines the PDF wrapped)";
const LONE_NUMBER: &str = "a number alone as a paragraph (a slide or page number?)";
const CUT_OFF: &str = "a paragraph that ends without a full stop (text cut off?)";

impl Lint {
    fn text(&mut self, t: &str, at: usize) {
        if spaced_digits(t) {
            self.found.push((at, SPACED));
        }
        if t.contains("^{") {
            self.found.push((at, MARKUP));
        }
        if self.table == 0 && t.matches('／').count() >= 3 {
            self.found.push((at, FLATTENED));
        }
        self.inline(t);
    }

    /// Text or code inside the current paragraph.
    fn inline(&mut self, t: &str) {
        if let Some((_, p)) = self.para.as_mut() {
            p.push_str(t);
        }
        self.last_char = t.chars().next_back();
    }

    /// A paragraph that is only a number, or running text that stops without a full stop.
    fn end_paragraph(&mut self) {
        let Some((start, text)) = self.para.take() else {
            return;
        };
        let t = text.trim();
        let running = self.items == 0 && self.quotes == 0 && self.table == 0 && self.footnotes == 0;
        if !t.is_empty() && t.chars().all(|c| digit(c) || c == ' ') {
            self.found.push((start, LONE_NUMBER));
        } else if running
            && t.chars().count() > 15
            && t.chars().any(is_japanese)
            && !t.chars().next_back().is_some_and(ends_sentence)
        {
            self.found.push((start, CUT_OFF));
        }
    }

    /// Reads one event of `body`'s parse, `range` the bytes it comes from.
    pub fn event(&mut self, ev: &Event<'_>, range: std::ops::Range<usize>, body: &str) {
        let depth =
            |d: &mut usize, open: bool| *d = if open { *d + 1 } else { d.saturating_sub(1) };
        match ev {
            Event::Start(Tag::Paragraph) => self.para = Some((range.start, String::new())),
            Event::End(TagEnd::Paragraph) => self.end_paragraph(),
            Event::Start(Tag::Table(_)) => depth(&mut self.table, true),
            Event::End(TagEnd::Table) => depth(&mut self.table, false),
            Event::Start(Tag::FootnoteDefinition(_)) => depth(&mut self.footnotes, true),
            Event::End(TagEnd::FootnoteDefinition) => depth(&mut self.footnotes, false),
            Event::Start(Tag::BlockQuote(_)) => depth(&mut self.quotes, true),
            Event::End(TagEnd::BlockQuote(_)) => depth(&mut self.quotes, false),
            Event::Start(Tag::Item) => depth(&mut self.items, true),
            Event::End(TagEnd::Item) => depth(&mut self.items, false),
            Event::Text(t) => self.text(t, range.start),
            Event::Code(t) => self.inline(t),
            Event::SoftBreak => {
                let next = body[range.end..].chars().find(|c| !c.is_whitespace());
                if self.last_char.is_some_and(is_japanese) && next.is_some_and(is_japanese) {
                    self.found.push((range.start, BROKEN_LINE));
                }
            }
            _ => {}
        }
    }

    /// The artefacts found, each once per line, `first_line` being the line of the file
    /// where the body starts.
    pub fn finish(self, body: &str, first_line: usize) -> Vec<Artefact> {
        let line_at = |offset: usize| first_line + crate::diag::line_col(body, offset).0 - 1;
        let mut out: Vec<Artefact> = Vec::new();
        for (at, message) in self.found {
            let line = line_at(at);
            if !out.iter().any(|a| a.line == line && a.message == message) {
                out.push(Artefact {
                    line,
                    message: message.to_string(),
                });
            }
        }
        out
    }
}

/// Artefacts in `body`, whose first line is line `first_line` of its file, parsed as the
/// Markdown pass parses it.
pub fn artefacts(body: &str, first_line: usize) -> Vec<Artefact> {
    let mut lint = Lint::default();
    for (ev, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        lint.event(&ev, range, body);
    }
    lint.finish(body, first_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(body: &str) -> Vec<(usize, String)> {
        artefacts(body, 10)
            .into_iter()
            .map(|a| (a.line, a.message))
            .collect()
    }

    #[test]
    fn spaced_digits_are_lone_digits_around_a_space() {
        for yes in ["1 0", "人 1 0 1 0 人", "１ ０", "a 1 2"] {
            assert!(spaced_digits(yes), "{yes}");
        }
        for no in [
            "",
            "1",
            "10 20",
            "1 20",
            "12 3",
            "1  0",
            "1 a",
            "令和 6 年",
            "10",
        ] {
            assert!(!spaced_digits(no), "{no}");
        }
    }

    #[test]
    fn clean_text_has_no_artefacts() {
        let body = "## 事業の目的\n\n医療機器の創出拠点の充実・強化を図る。\n\n- 臨床現場等見学者 1010人\n- 研修等参加企業数\n\n|年度|件数|\n|-|-|\n|2023|4／5／6／7|\n\n令和6年の2,737人[^1]。ISO 13485 2016に基づく。\n\n[^1]: 次世代医療機器連携拠点整備等事業において採択された拠点\n";
        assert!(messages(body).is_empty(), "{:?}", messages(body));
    }

    #[test]
    fn each_artefact_class_is_found_at_its_line() {
        let body = "臨床現場等見学者 1 0 1 0 人。\n\n47\n\nゴール10^{*1*2}の達成状況。\n\n項目／2022／2023／2024の件数。\n\n研修体制の構築を行うとともに、チー\nム医療を推進する。\n\nアジア規制当局の担当者を対象とした研修により、アジア規制当局の理\n";
        let m = messages(body);
        let at = |line: usize, word: &str| m.iter().any(|(l, s)| *l == line && s.contains(word));
        assert!(at(10, "digits separated"), "{m:?}");
        assert!(at(12, "number alone"), "{m:?}");
        assert!(at(14, "^{"), "{m:?}");
        assert!(at(16, "flattened"), "{m:?}");
        assert!(at(18, "line broken"), "{m:?}");
        assert!(at(21, "without a full stop"), "{m:?}");
        assert_eq!(m.len(), 6, "{m:?}");
    }
}
