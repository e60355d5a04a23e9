//! Japanese formats: era dates and fiscal years, amounts, numbers, slugs, text normalisation.
//! One module used by pages, charts, tables and CSV alike.

pub mod amount;
pub mod date;
pub mod hash;
pub mod number;
pub mod slug;
pub mod words;

use unicode_normalization::UnicodeNormalization;

/// `s` with each run of white space made one space and none at either end (what
/// `split_whitespace` then `join(" ")` give, in one pass over the bytes and one allocation).
pub fn collapse_whitespace(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Start of the run of other characters being read.
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let n = whitespace_len(b, i);
        if n == 0 {
            // On to the next character (`i` is always at the start of one).
            i += match b[i] {
                0..=0x7F => 1,
                0x80..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            continue;
        }
        if start < i {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[start..i]);
        }
        i += n;
        start = i;
    }
    if start < b.len() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..]);
    }
    out
}

/// The length in bytes of the white space character (Unicode's White_Space, as
/// `char::is_whitespace`) starting at byte `i` of `b`, or 0.
fn whitespace_len(b: &[u8], i: usize) -> usize {
    let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        0x21..=0xC1 => 0,
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
        // U+0085, U+00A0
        0xC2 if matches!(next(1), 0x85 | 0xA0) => 2,
        // U+1680
        0xE1 if next(1) == 0x9A && next(2) == 0x80 => 3,
        // U+2000..=U+200A, U+2028, U+2029, U+202F, U+205F
        0xE2 if matches!(
            (next(1), next(2)),
            (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)
        ) =>
        {
            3
        }
        // U+3000
        0xE3 if next(1) == 0x80 && next(2) == 0x80 => 3,
        _ => 0,
    }
}

/// Whether `c` is its own NFKC, answered without Unicode's tables for the characters most
/// text is made of: ASCII, kana, the unified ideographs and the common CJK marks and brackets
/// (false for every other character, whatever its NFKC).
pub fn own_nfkc(c: char) -> bool {
    c.is_ascii()
        || matches!(c as u32,
            0x3001..=0x3003 | 0x3005..=0x3011 | 0x3014..=0x301F | 0x3041..=0x3096
                | 0x309D..=0x309E | 0x30A1..=0x30FE | 0x4E00..=0x9FFF)
}

/// The NFKC of `c` alone when it is one character known without Unicode's tables: `c` itself
/// ([`own_nfkc`]), the ASCII character of a full-width form, a space for the ideographic
/// space; `None` for every other character. None of these characters composes with a
/// neighbour.
pub fn nfkc_char(c: char) -> Option<char> {
    if own_nfkc(c) {
        return Some(c);
    }
    match c as u32 {
        0x3000 => Some(' '),
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// NFKC-normalised text, used wherever text is compared (glossary, search, ids).
pub fn nfkc(s: &str) -> String {
    // Characters known without the tables map one by one (none composes with a neighbour);
    // the normaliser only for a text with any other.
    if s.chars().all(own_nfkc) {
        return s.to_string();
    }
    s.chars()
        .map(nfkc_char)
        .collect::<Option<String>>()
        .unwrap_or_else(|| s.nfkc().collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn texts_are_normalised_as_the_normaliser_does() {
        use unicode_normalization::UnicodeNormalization;
        // Known characters beside each other and beside characters that compose or decompose
        // (combining marks, half-width kana and their voicing marks, compatibility forms).
        let sample: Vec<char> =
            "aZ0 ＡＺ０　かカ漢、。「」ー\u{3099}\u{309a}\u{ff76}\u{ff9e}\u{300}é①㍉ﾞ"
                .chars()
                .collect();
        for a in &sample {
            for b in &sample {
                for c in ['x', 'か', '\u{3099}'] {
                    let s: String = [*a, *b, c].iter().collect();
                    assert_eq!(super::nfkc(&s), s.nfkc().collect::<String>(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn the_characters_known_without_the_tables_have_that_nfkc() {
        use unicode_normalization::UnicodeNormalization;
        let mut own = 0;
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            // The normaliser itself (`nfkc` takes these characters' own way).
            let n: String = c.encode_utf8(&mut [0; 4]).nfkc().collect();
            if super::own_nfkc(c) {
                assert_eq!(n, c.to_string(), "{c}");
                own += 1;
            }
            if let Some(m) = super::nfkc_char(c) {
                assert_eq!(n, m.to_string(), "{c}");
            }
        }
        assert!(own > 20_000 + 128 + 80 + 90, "{own}");
        assert_eq!(super::nfkc_char('\u{3000}'), Some(' '));
        assert_eq!(super::nfkc_char('Ｉ'), Some('I'));
        assert_eq!(super::nfkc_char('①'), None);
    }

    #[test]
    fn white_space_collapses_as_split_and_join_would() {
        for s in [
            "",
            " ",
            "a",
            "  a  b\n\n c\t",
            "医療\u{3000}機器 \u{a0}の\r\n計画",
            "\u{2028}x\u{85}",
        ] {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(super::collapse_whitespace(s), want, "{s:?}");
        }
        // Every character, between letters and at either end.
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            for s in [format!("a{c}b"), format!("{c}"), format!("{c}{c}x{c}")] {
                let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(super::collapse_whitespace(&s), want, "{c:?}");
            }
        }
    }
}
