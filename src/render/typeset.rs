//! Phrase line breaks for Japanese: `<wbr>` at the phrase boundaries BudouX finds, so that
//! with `word-break: keep-all` long headings and cells wrap between phrases, not inside words.
//!
//! Only text between tags is touched; nothing inside `<code>`, `<pre>`, `<script>`, `<style>`,
//! `<svg>` or `<title>` is changed, and no break goes inside an ASCII word, a number or an
//! HTML entity.

/// Elements whose text is left alone.
const SKIP: &[&str] = &[
    "code", "pre", "script", "style", "svg", "title", "textarea", "kbd", "samp",
];

fn is_japanese(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

/// Inserts `<wbr>` between the phrases of one text node. Linear in the length of the text.
pub fn break_text(text: &str) -> String {
    if !text.chars().any(is_japanese) {
        return text.to_string();
    }
    let phrases = super::phrases::phrases(text);
    let mut out = String::with_capacity(text.len() + phrases.len() * 5);
    // Whether the text so far ends inside an entity (`&amp;`): after a `&` with no `;` yet.
    let mut in_entity = false;
    for (i, p) in phrases.iter().enumerate() {
        if i > 0 {
            let before = out.chars().next_back();
            let after = p.chars().next();
            let joins_ascii = before
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == ',')
                && after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == ',');
            let at_space =
                before.is_some_and(char::is_whitespace) || after.is_some_and(char::is_whitespace);
            if !in_entity && !joins_ascii && !at_space {
                out.push_str("<wbr>");
            }
        }
        out.push_str(p);
        in_entity = entity_open_after(in_entity, p);
    }
    out
}

/// Whether an entity is still open after `piece`, given whether one was open before it.
fn entity_open_after(open_before: bool, piece: &str) -> bool {
    match (piece.rfind('&'), piece.rfind(';')) {
        (Some(a), Some(s)) => a > s,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => open_before,
    }
}

/// Adds phrase breaks to the text of `html` between `<main` and `</main>` (or to all of it
/// when there is no `<main>`).
pub fn phrase_breaks(html: &str) -> String {
    let (head, body, tail) = match (html.find("<main"), html.rfind("</main>")) {
        (Some(a), Some(b)) if a < b => (&html[..a], &html[a..b], &html[b..]),
        _ => ("", html, ""),
    };
    let mut out = String::with_capacity(html.len() + html.len() / 10);
    out.push_str(head);
    let mut skip: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        if skip.is_empty() {
            out.push_str(&break_text(text));
        } else {
            out.push_str(text);
        }
        let gt = rest[lt..].find('>').map_or(rest.len(), |j| lt + j + 1);
        let tag = &rest[lt..gt];
        let closing = tag.starts_with("</");
        let name: String = tag
            .trim_start_matches("</")
            .trim_start_matches('<')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if SKIP.contains(&name.as_str()) && !tag.ends_with("/>") {
            if closing {
                if let Some(pos) = skip.iter().rposition(|n| *n == name) {
                    skip.truncate(pos);
                }
            } else {
                skip.push(name);
            }
        }
        out.push_str(tag);
        rest = &rest[gt..];
    }
    if skip.is_empty() {
        out.push_str(&break_text(rest));
    } else {
        out.push_str(rest);
    }
    out.push_str(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_between_phrases() {
        let s = break_text("医療機器の研究開発を推進するための環境整備");
        assert!(s.contains("<wbr>"), "{s}");
        assert_eq!(
            s.replace("<wbr>", ""),
            "医療機器の研究開発を推進するための環境整備"
        );
    }

    #[test]
    fn never_inside_ascii_words_numbers_or_entities() {
        for t in [
            "IMDRFの議長国として2,737人の研修を実施",
            "SaMDとAT&amp;Tの取組を4.1年短縮する",
        ] {
            let s = break_text(t);
            for word in ["IMDRF", "2,737", "SaMD", "&amp;", "4.1"] {
                if t.contains(word) {
                    assert!(s.contains(word), "{word} split in {s}");
                }
            }
        }
    }

    #[test]
    fn entity_state_is_carried_across_phrases() {
        assert!(entity_open_after(false, "研究&am"));
        assert!(entity_open_after(true, "p"));
        assert!(!entity_open_after(true, "p;を"));
        assert!(!entity_open_after(false, "を推進"));
        assert!(entity_open_after(false, "a;b&c"));
    }

    #[test]
    fn code_and_attributes_are_untouched() {
        let html = "<main><h1 title=\"医療機器の研究開発を推進する\">医療機器の研究開発を推進する</h1><code>医療機器の研究開発を推進する</code></main>";
        let out = phrase_breaks(html);
        assert!(
            out.contains("title=\"医療機器の研究開発を推進する\""),
            "{out}"
        );
        assert!(
            out.contains("<code>医療機器の研究開発を推進する</code>"),
            "{out}"
        );
        assert!(
            out.contains("<h1 title=\"医療機器の研究開発を推進する\">医療機器の<wbr>"),
            "{out}"
        );
    }
}
