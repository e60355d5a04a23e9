//! Phrase line breaks for Japanese: `<wbr>` at the phrase boundaries BudouX finds, so that
//! with `word-break: keep-all` long headings and cells wrap between phrases, not inside words.
//!
//! Bodies get their breaks in the Markdown pass, template variables through the `wbr` filter
//! and a template's own text when the theme is loaded ([`break_template`]). No break goes
//! inside an ASCII word, a number or an HTML entity, nor into `<code>`, `<pre>`, `<script>`,
//! `<style>`, `<svg>` or `<title>`.

/// Elements whose text is left alone.
const SKIP: &[&str] = &[
    "code", "pre", "script", "style", "svg", "title", "textarea", "kbd", "samp",
];

fn is_japanese(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

/// Inserts `<wbr>` between the phrases of one text node (HTML-escaped text: no break goes
/// inside an entity such as `&amp;`). Linear in the length of the text.
pub fn break_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_broken(text, &mut out);
    out
}

/// [`break_text`], appending to `out`.
pub fn push_broken(text: &str, out: &mut String) {
    if crate::trace::enabled() {
        use std::sync::atomic::Ordering::Relaxed;
        let t = std::time::Instant::now();
        push_broken_inner(text, out);
        crate::trace::PHRASE_NS.fetch_add(t.elapsed().as_nanos() as u64, Relaxed);
        crate::trace::PHRASE_BYTES.fetch_add(text.len() as u64, Relaxed);
    } else {
        push_broken_inner(text, out);
    }
}

fn push_broken_inner(text: &str, out: &mut String) {
    if !text.chars().any(is_japanese) {
        out.push_str(text);
        return;
    }
    let mut start = 0;
    // Whether the text so far ends inside an entity (`&…` without its `;`); only a text with
    // an `&` has one.
    let entities = memchr::memchr(b'&', text.as_bytes()).is_some();
    let mut in_entity = false;
    for b in super::budoux::boundaries(text) {
        let piece = &text[start..b];
        out.push_str(piece);
        // The last `&` or `;` of the piece decides (ASCII bytes: never inside a character).
        if let Some(i) = entities
            .then(|| memchr::memrchr2(b'&', b';', piece.as_bytes()))
            .flatten()
        {
            in_entity = piece.as_bytes()[i] == b'&';
        }
        let before = piece.chars().next_back();
        let after = text[b..].chars().next();
        let word = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == ',';
        let joins_ascii = before.is_some_and(word) && after.is_some_and(word);
        let at_space =
            before.is_some_and(char::is_whitespace) || after.is_some_and(char::is_whitespace);
        if !in_entity && !joins_ascii && !at_space {
            out.push_str("<wbr>");
        }
        start = b;
    }
    out.push_str(&text[start..]);
}

/// Phrase breaks in the literal text of a template (between its HTML tags and outside its
/// `{{ }}`, `{% %}` and `{# #}` tags), done once when the theme is loaded. In `base.html`
/// only the `<main>` part is touched; nothing inside the elements [`SKIP`] names is.
pub fn break_template(src: &str) -> String {
    let (head, body, tail) = match (src.find("<main"), src.rfind("</main>")) {
        (Some(a), Some(b)) if a < b => (&src[..a], &src[a..b], &src[b..]),
        _ if src.contains("<html") => return src.to_string(),
        _ => ("", src, ""),
    };
    let mut out = String::with_capacity(src.len() + src.len() / 10);
    out.push_str(head);
    let mut skip: Vec<String> = Vec::new();
    let mut rest = body;
    loop {
        let next = next_markup(rest);
        let Some((i, m)) = next else {
            push_text(rest, &skip, &mut out);
            break;
        };
        push_text(&rest[..i], &skip, &mut out);
        let close = match m {
            "{{" => "}}",
            "{%" => "%}",
            "{#" => "#}",
            _ => ">",
        };
        let end = rest[i..]
            .find(close)
            .map_or(rest.len(), |j| i + j + close.len());
        let tag = &rest[i..end];
        if m == "<" {
            track(tag, &mut skip);
        }
        out.push_str(tag);
        rest = &rest[end..];
    }
    out.push_str(tail);
    out
}

/// The next markup of `text`, an HTML tag (`<`) or a template tag (`{{`, `{%`, `{#`): where it
/// starts and how (one pass over the text, however many tags it has).
fn next_markup(text: &str) -> Option<(usize, &'static str)> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr2(b'<', b'{', &b[from..]) {
        let i = from + at;
        let m = match (b[i], b.get(i + 1)) {
            (b'<', _) => Some("<"),
            (_, Some(b'{')) => Some("{{"),
            (_, Some(b'%')) => Some("{%"),
            (_, Some(b'#')) => Some("{#"),
            _ => None,
        };
        if let Some(m) = m {
            return Some((i, m));
        }
        from = i + 1;
    }
    None
}

fn push_text(text: &str, skip: &[String], out: &mut String) {
    if skip.is_empty() {
        push_broken(text, out);
    } else {
        out.push_str(text);
    }
}

/// Keeps the stack of open elements whose text is left alone.
fn track(tag: &str, skip: &mut Vec<String>) {
    let closing = tag.starts_with("</");
    let name: String = tag
        .trim_start_matches("</")
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
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

    #[test]
    fn the_next_markup_is_the_first_of_the_four_openings() {
        let by_finding = |t: &str| {
            ["<", "{{", "{%", "{#"]
                .iter()
                .filter_map(|m| t.find(m).map(|i| (i, *m)))
                .min()
        };
        for t in [
            "",
            "text",
            "a { b } {x <p>",
            "{ {{ x }}",
            "{{% a",
            "前{#注#}後",
            "{%if%}<b>",
            "{",
            "x{",
            "{{",
            "{ { { {#",
        ] {
            assert_eq!(next_markup(t), by_finding(t), "{t:?}");
        }
    }

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
    fn template_text_is_broken_but_not_tags_attributes_or_code() {
        let tpl = "<h1 title=\"医療機器の研究開発を推進する\">医療機器の研究開発を推進する</h1>{{ page.title }}{% if x %}<code>医療機器の研究開発を推進する</code>{% endif %}";
        let out = break_template(tpl);
        assert!(out.contains("{{ page.title }}{% if x %}"), "{out}");
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
