//! Raw HTML in Markdown, reduced to a safe allow-list (ammonia) unless the site trusts it.

use std::sync::OnceLock;

/// Raw HTML reduced to a safe allow-list; the markup seisaku generates is kept.
///
/// The HTML serialiser behind the allow-list rescans the rest of a text node for every `&` and
/// every character U+0080–U+00BF in it, which is quadratic in a long paragraph. Large inputs
/// therefore pass through it with those characters replaced by private-use stand-ins, put
/// back afterwards: the same output, in linear time.
pub fn sanitise(html: &str) -> String {
    const LARGE: usize = 16 * 1024;
    if html.len() <= LARGE {
        return clean(html);
    }
    match StandIns::for_text(html) {
        Some(s) => s.restore(&clean(&s.replace(html))),
        None => clean(html),
    }
}

/// Stand-ins for `&amp;` and the characters U+0080–U+00BF: plane-15 private-use characters,
/// used only when the text has none of them.
struct StandIns;

impl StandIns {
    const BASE: u32 = 0xF_0000;
    /// Stand-in index of `&amp;`; U+0080 + i has index i.
    const AMP: u32 = 0x40;

    fn for_text(text: &str) -> Option<StandIns> {
        let taken = text
            .chars()
            .any(|c| (Self::BASE..=Self::BASE + Self::AMP).contains(&(c as u32)));
        (!taken).then_some(StandIns)
    }

    fn stand_in(i: u32) -> char {
        // BASE + 0..=0x40 are all private-use code points, valid chars.
        char::from_u32(Self::BASE + i).expect("a private-use code point")
    }

    fn replace(&self, html: &str) -> String {
        let amp = Self::stand_in(Self::AMP);
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(i) = rest.find(|c: char| c == '&' || ('\u{80}'..='\u{BF}').contains(&c)) {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            if let Some(after) = rest.strip_prefix("&amp;") {
                out.push(amp);
                rest = after;
            } else if rest.starts_with('&') {
                out.push('&');
                rest = &rest[1..];
            } else {
                // The character at `i` is U+0080..=U+00BF, two bytes long.
                let c = rest.chars().next().expect("a character at i");
                out.push(Self::stand_in(c as u32 - 0x80));
                rest = &rest[c.len_utf8()..];
            }
        }
        out.push_str(rest);
        out
    }

    fn restore(&self, cleaned: &str) -> String {
        let mut out = String::with_capacity(cleaned.len() + cleaned.len() / 8);
        for c in cleaned.chars() {
            let code = c as u32;
            match code.checked_sub(Self::BASE) {
                Some(Self::AMP) => out.push_str("&amp;"),
                Some(0x20) => out.push_str("&nbsp;"),
                Some(i) if i < Self::AMP => {
                    out.push(char::from_u32(0x80 + i).expect("U+0080..U+00BF"))
                }
                _ => out.push(c),
            }
        }
        out
    }
}

fn clean(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["class", "id", "lang", "title", "data-lang"])
                .add_tags([
                    "abbr",
                    "time",
                    "figure",
                    "figcaption",
                    "mark",
                    "wbr",
                    "section",
                    "aside",
                ])
                .add_tag_attributes("time", ["datetime"])
                .add_tag_attributes("ol", ["start"])
                .add_tag_attributes("td", ["align", "style"])
                .add_tag_attributes("th", ["align", "style"])
                .link_rel(None)
                .url_relative(ammonia::UrlRelative::PassThrough);
            b
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_inputs_are_sanitised_identically() {
        let pieces = [
            "<p>AT&amp;T と R&amp;D、気温 25°C ± 1、§3・¥100　&nbsp;",
            "<a href=\"?a=1&amp;b=2\" title=\"x&amp;y°\">リンク</a>",
            "<a href=\"https://example.go.jp/?a=1&amp;b=°\">外部</a><img src=\"data:x&amp;°\">",
            "<script>alert(1)</script><b onclick=\"x\">太字&lt;&gt;&quot;</b>",
            "\u{a0}«引用»&copy; &#38; &unknown; & 単独</p>\n",
        ];
        let html = pieces.concat().repeat(400);
        assert!(html.len() > 16 * 1024);
        assert_eq!(sanitise(&html), clean(&html));
        let taken = format!("{html}\u{F0000}");
        assert_eq!(sanitise(&taken), clean(&taken));
    }
}
