//! Splitting a source file into TOML front matter and a Markdown body, and decoding it.

use crate::diag::{line_col, Diagnostic};
use serde::de::DeserializeOwned;
use std::path::Path;

/// A source file's text after decoding: BOM removed, CRLF turned into LF (line numbers kept).
pub fn normalise_text(bytes: &[u8], file: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n")
        } else {
            s.to_string()
        }),
        Err(e) => {
            let valid = e.valid_up_to();
            // `valid_up_to` marks the end of the longest valid UTF-8 prefix, so this cannot fail.
            let prefix = std::str::from_utf8(&bytes[..valid]).expect("valid prefix");
            let (line, col) = line_col(prefix, prefix.len());
            Err(Diagnostic::error("E003", file, "file is not valid UTF-8")
                .at(line, col)
                .hint("save the file as UTF-8 (without a legacy encoding such as Shift_JIS)"))
        }
    }
}

/// The two parts of a Markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Byte offset of `front` in the whole text.
    pub front_offset: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Splits `+++\n<toml>\n+++\n<body>`.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("E002", file, "file is empty")
            .at(1, 1)
            .hint("add TOML front matter between `+++` lines, or delete the file"));
    }
    let Some(rest) = text.strip_prefix("+++\n") else {
        return Err(Diagnostic::error(
            "E002",
            file,
            "Markdown file does not start with `+++` front matter",
        )
        .at(1, 1)
        .hint("put the fields between a `+++` line at the top and a second `+++` line"));
    };
    // The closing `+++` is the first line that holds only `+++`.
    let mut pos = 0;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end_matches('\n') == "+++" {
            close = Some(pos);
            break;
        }
        pos += line.len();
    }
    let Some(close) = close else {
        return Err(
            Diagnostic::error("E002", file, "front matter is not closed")
                .at(1, 1)
                .hint("add a line containing only `+++` after the last field"),
        );
    };
    let front = &rest[..close];
    let after = &rest[close + 3..];
    let body = after.strip_prefix('\n').unwrap_or(after);
    let body_offset = text.len() - body.len();
    let body_line = text[..body_offset].matches('\n').count() + 1;
    Ok(Split {
        front,
        front_offset: 4,
        body,
        body_line,
    })
}

/// Deserialises TOML into `T`, mapping errors to the file's line and column. Every unknown
/// field is reported, each at its own line, not only the first.
pub fn decode<T: DeserializeOwned>(
    toml_text: &str,
    offset: usize,
    whole: &str,
    file: &Path,
) -> Result<T, Vec<Diagnostic>> {
    let first = match toml::from_str::<T>(toml_text) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let report = |e: &toml::de::Error| toml_error(e, offset, whole, file);
    let Ok(mut doc) = toml::de::DeTable::parse(toml_text) else {
        return Err(vec![report(&first)]);
    };
    // Each unknown field is taken out of the parsed document and the rest deserialised again,
    // until an error of another kind (reported too) or none is left.
    const MAX_REPORTED: usize = 100;
    let mut diags = Vec::new();
    let mut err = first;
    while diags.len() < MAX_REPORTED {
        diags.push(report(&err));
        let removed = is_unknown_field(&err)
            && err
                .span()
                .is_some_and(|span| remove_key_at(doc.get_mut(), span.start));
        if !removed {
            break;
        }
        match T::deserialize(toml::de::Deserializer::from(doc.clone())) {
            Ok(_) => break,
            Err(e) => err = e,
        }
    }
    Err(diags)
}

fn is_unknown_field(e: &toml::de::Error) -> bool {
    e.message().trim_start().starts_with("unknown field")
}

/// Removes the key whose name starts at byte `at`, in `table` or any table inside it.
fn remove_key_at(table: &mut toml::de::DeTable<'_>, at: usize) -> bool {
    if let Some(key) = table.keys().find(|k| k.span().contains(&at)).cloned() {
        return table.remove(&key).is_some();
    }
    table
        .iter_mut()
        .any(|(_, v)| remove_in_value(v.get_mut(), at))
}

fn remove_in_value(value: &mut toml::de::DeValue<'_>, at: usize) -> bool {
    match value {
        toml::de::DeValue::Table(t) => remove_key_at(t, at),
        toml::de::DeValue::Array(a) => a.iter_mut().any(|v| remove_in_value(v.get_mut(), at)),
        _ => false,
    }
}

pub fn toml_error(e: &toml::de::Error, offset: usize, whole: &str, file: &Path) -> Diagnostic {
    let start = offset + e.span().map_or(0, |s| s.start);
    let (line, col) = line_col(whole, start);
    let raw = e.message().trim().to_string();
    let msg = match plain_type_error(&raw) {
        Some(plain) => match key_on_line(whole, start) {
            Some(key) => plain.replacen(':', &format!(" for `{key}`:"), 1),
            None => plain,
        },
        None => raw,
    };
    let hint = if msg.starts_with("unknown field") {
        "remove the field or correct its spelling; the README lists the fields of each kind"
    } else if msg.starts_with("missing field") {
        "add the field; the README lists the required fields of each kind"
    } else if msg.starts_with("invalid type") {
        "give the field a value of the expected type (text in quotes, lists in [ ], numbers without quotes)"
    } else {
        "fix the TOML syntax at this position"
    };
    Diagnostic::error("E004", file, msg)
        .at(line, col)
        .hint(hint)
}

/// The key set on the line holding byte `at` (`key = value`), if there is one.
fn key_on_line(text: &str, at: usize) -> Option<&str> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    bare.then_some(key)
}

/// serde's `invalid type: string "x", expected f64` in plain words:
/// `invalid type: expected a number, found text "x"`.
fn plain_type_error(msg: &str) -> Option<String> {
    let (kind, rest) = [
        ("invalid type: ", "invalid type"),
        ("invalid value: ", "invalid value"),
    ]
    .iter()
    .find_map(|(p, k)| msg.strip_prefix(p).map(|r| (*k, r)))?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    Some(format!(
        "{kind}: expected {}, found {}",
        plain_expected(expected),
        plain_found(found)
    ))
}

fn plain_expected(e: &str) -> String {
    let int = |t: &str| {
        let t = t.trim_start_matches(['i', 'u']);
        matches!(t, "8" | "16" | "32" | "64" | "128" | "size")
    };
    match e {
        "f32" | "f64" => "a number".into(),
        t if (t.starts_with('i') || t.starts_with('u')) && int(t) => {
            if t.starts_with('u') {
                "a whole number (0 or more)".into()
            } else {
                "a whole number".into()
            }
        }
        "a string" | "a borrowed string" | "a character" | "char" => "text".into(),
        "a sequence" | "a tuple" => "a list".into(),
        "a boolean" | "bool" => "true or false".into(),
        "a map" => "a table".into(),
        t if t.starts_with("struct ") => "a table".into(),
        t => t.into(),
    }
}

fn plain_found(f: &str) -> String {
    let value = |p: &str| f.strip_prefix(p).map(|v| v.trim_matches('`').to_string());
    if let Some(v) = value("string ") {
        return format!("text {v}");
    }
    if let Some(v) = value("integer ") {
        return format!("a whole number {v}");
    }
    if let Some(v) = value("floating point ") {
        return format!("a decimal number {v}");
    }
    if let Some(v) = value("boolean ") {
        return v;
    }
    match f {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        f => f.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let t = "+++\ntitle = \"x\"\n+++\n# body\n";
        let s = split(t, Path::new("a.md")).unwrap();
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(s.body, "# body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn no_body_is_fine() {
        let s = split("+++\na = 1\n+++", Path::new("a.md")).unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_and_empty_are_errors() {
        assert_eq!(
            split("+++\na = 1\n", Path::new("a.md")).unwrap_err().code,
            "E002"
        );
        assert_eq!(split("  \n", Path::new("a.md")).unwrap_err().code, "E002");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = normalise_text(b"\xEF\xBB\xBF+++\r\na = 1\r\n+++\r\n", Path::new("a.md")).unwrap();
        assert_eq!(t, "+++\na = 1\n+++\n");
    }

    #[test]
    fn invalid_utf8_names_line() {
        let d = normalise_text(b"ok\nab\xff", Path::new("a.md")).unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("E003", 2, 3));
    }

    #[test]
    fn toml_error_points_into_the_file() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let whole = "+++\ntitle = \"x\"\ntitel = 3\n+++\n";
        let s = split(whole, Path::new("a.md")).unwrap();
        let d = decode::<T>(s.front, s.front_offset, whole, Path::new("a.md")).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 3, "{}", d[0]);
        assert!(d[0].message.contains("titel"), "{}", d[0]);
    }

    #[test]
    fn type_errors_in_plain_words() {
        for (serde, plain) in [
            (
                "invalid type: string \"many\", expected f64",
                "invalid type: expected a number, found text \"many\"",
            ),
            (
                "invalid type: floating point `2020.5`, expected i32",
                "invalid type: expected a whole number, found a decimal number 2020.5",
            ),
            (
                "invalid type: integer `1`, expected a string",
                "invalid type: expected text, found a whole number 1",
            ),
            (
                "invalid type: string \"x\", expected a sequence",
                "invalid type: expected a list, found text \"x\"",
            ),
            (
                "invalid value: integer `-1`, expected u32",
                "invalid value: expected a whole number (0 or more), found a whole number -1",
            ),
        ] {
            assert_eq!(plain_type_error(serde).as_deref(), Some(plain));
        }
        assert_eq!(plain_type_error("unknown field `x`"), None);
        assert_eq!(key_on_line("a = 1\n  value = \"x\"\n", 12), Some("value"));
    }
}
