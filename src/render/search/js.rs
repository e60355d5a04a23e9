//! Strings of the index scripts written directly into them: a JSON string literal, escaped as
//! JSON requires and so that nothing in it ends the script early (`<`) or is invalid in old
//! JavaScript (U+2028, U+2029). The same bytes as serialising to JSON and then making the JSON
//! script-safe, in one pass that steps over eight bytes at a time where none needs escaping
//! (almost all of a Japanese text).

use crate::format::words::{below, equal, word_at};

/// Whether a byte may need escaping: a control character, `"`, `\`, `<`, or the first byte
/// of U+2028 and U+2029 (E2 80 A8/A9; E2 also starts other characters, copied as they are).
fn special(b: u8) -> bool {
    b < 0x20 || matches!(b, b'"' | b'\\' | b'<' | 0xE2)
}

/// Whether any byte of `w` is [`special`].
fn any_special(w: u64) -> bool {
    below(w, 0x20) | equal(w, b'"') | equal(w, b'\\') | equal(w, b'<') | equal(w, 0xE2) != 0
}

/// Whether the E2 at the start of `rest` starts U+2028 or U+2029 (E2 80 A8/A9).
fn line_separator(rest: &[u8]) -> bool {
    matches!(rest, [0xE2, 0x80, 0xA8 | 0xA9, ..])
}

/// Writes the escape of the special byte that starts `rest` (for E2, of U+2028 or U+2029);
/// gives how many bytes it replaces.
fn escape(rest: &[u8], out: &mut String) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let (with, len) = match rest {
        [b'"', ..] => ("\\\"", 1),
        [b'\\', ..] => ("\\\\", 1),
        [b'<', ..] => ("\\u003c", 1),
        [0xE2, 0x80, 0xA8, ..] => ("\\u2028", 3),
        [0xE2, 0x80, 0xA9, ..] => ("\\u2029", 3),
        [0x08, ..] => ("\\b", 1),
        [b'\t', ..] => ("\\t", 1),
        [b'\n', ..] => ("\\n", 1),
        [0x0C, ..] => ("\\f", 1),
        [b'\r', ..] => ("\\r", 1),
        _ => {
            // Another control character.
            let c = rest[0];
            out.push_str("\\u00");
            out.push(HEX[usize::from(c >> 4)] as char);
            out.push(HEX[usize::from(c & 0xF)] as char);
            return 1;
        }
    };
    out.push_str(with);
    len
}

/// Appends `s` as a script-safe JSON string literal.
pub fn push_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let b = s.as_bytes();
    // Start of the run of bytes copied as they are.
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(w) = word_at(b, i) {
            if !any_special(w) {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        if special(c) && (c != 0xE2 || line_separator(&b[i..])) {
            // Escapes replace whole characters (an ASCII byte, or U+2028/9), so the runs
            // between them are whole characters too.
            out.push_str(&s[start..i]);
            i += escape(&b[i..], out);
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The string as JSON, then made script-safe: what the index scripts held before.
    fn reference(s: &str) -> String {
        let json = serde_json::to_string(s).unwrap();
        let js = super::super::script("", &json);
        js.strip_suffix(");\n").unwrap().to_string()
    }

    fn written(s: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, s);
        out
    }

    #[test]
    fn every_character_is_written_as_json_then_script_escaping_writes_it() {
        // Each character alone, after seven letters and after eight (in a word of its own, or
        // across two), and all of them in one string.
        let mut all = String::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            all.push(c);
            if (c as u32) < 0x3100 || (c as u32).is_multiple_of(97) {
                for s in [
                    format!("{c}"),
                    format!("abcdefg{c}"),
                    format!("あいう{c}xy"),
                ] {
                    assert_eq!(written(&s), reference(&s), "{:?}", s);
                }
            }
        }
        assert_eq!(written(&all), reference(&all));
    }

    #[test]
    fn special_bytes_are_found_at_every_place_in_a_word() {
        let specials = [
            "\"", "\\", "<", "\u{2028}", "\u{2029}", "\u{2026}", "\n", "\u{1f}", "\u{7f}",
        ];
        for sp in specials {
            for at in 0..20 {
                let s = format!("{}{sp}{}", "施".repeat(at % 4) + &"a".repeat(at), "策ab");
                assert_eq!(written(&s), reference(&s), "{s:?}");
            }
        }
        assert_eq!(written(""), "\"\"");
        assert_eq!(
            written("a</script>\u{2028}\"\\\t"),
            "\"a\\u003c/script>\\u2028\\\"\\\\\\t\""
        );
    }
}
