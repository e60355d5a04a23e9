//! Splitting a source file into TOML front matter and a Markdown body, and decoding it.

use super::spans::Spans;
use crate::diag::{line_col, Diagnostic};
use serde::de::DeserializeOwned;
use std::path::Path;

/// A source file's text after decoding: BOM removed, CRLF turned into LF (line numbers kept).
pub fn normalise_text(bytes: &[u8], file: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Checked with the vectorised validator (a tenth of the instructions on Japanese text);
    // the standard library's check only for a file that fails, to say where.
    let checked = simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes));
    match checked {
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

/// A value decoded from a file's TOML text, and where the value of its top-level `title` (or
/// else `name`) starts in the file, if it has one.
#[derive(Debug)]
pub struct Decoded<T> {
    pub value: T,
    pub title_at: Option<usize>,
}

/// Parses TOML into `T`. Errors name the file, line and column the parser gives; every unknown
/// field of the file is reported, each at its key.
pub fn decode<T: DeserializeOwned + schemars::JsonSchema>(
    toml_text: &str,
    offset: usize,
    whole: &str,
    file: &Path,
) -> Result<Decoded<T>, Vec<Diagnostic>> {
    let table = toml::de::DeTable::parse(toml_text)
        .map_err(|e| vec![toml_error(&e, offset, whole, file)])?;
    let top = |key: &str| {
        let (_, v) = table.get_ref().iter().find(|(k, _)| k.get_ref() == key)?;
        Some(v.span().start + offset)
    };
    let title_at = top("title").or_else(|| top("name"));
    let value = T::deserialize(toml::de::Deserializer::from(table)).map_err(|e| {
        let unknown = unknown_fields::<T>(&Spans::parse(toml_text, offset), whole, file);
        if e.message().starts_with("unknown field") && !unknown.is_empty() {
            unknown
        } else {
            vec![toml_error(&e, offset, whole, file)]
        }
    })?;
    Ok(Decoded { value, title_at })
}

/// Every key of the file that `T` has no field for.
fn unknown_fields<T: schemars::JsonSchema>(
    spans: &Spans,
    whole: &str,
    file: &Path,
) -> Vec<Diagnostic> {
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    let mut out: Vec<(usize, Diagnostic)> = spans
        .key_paths()
        .filter_map(|(path, range)| {
            let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
            let allowed = allowed_keys(&schema, parent)?;
            if allowed.iter().any(|k| k == key) {
                return None;
            }
            let (line, col) = line_col(whole, range.start);
            Some((
                range.start,
                Diagnostic::error("E004", file, format!("unknown field `{key}`"))
                    .at(line, col)
                    .hint(format!(
                        "remove the field or correct its spelling; fields here are {}",
                        allowed.join(", ")
                    )),
            ))
        })
        .collect();
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, d)| d).collect()
}

/// The field names the schema allows in the table at `path` (`budgets.0` → a budget line's
/// fields), or `None` where the schema does not say (a free-form table).
fn allowed_keys(schema: &serde_json::Value, path: &str) -> Option<Vec<String>> {
    let defs = schema.get("$defs");
    let mut node = schema;
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        node = deref(node, defs);
        node = if seg.bytes().all(|b| b.is_ascii_digit()) {
            node.get("items")?
        } else {
            object_of(node, defs)?.get("properties")?.get(seg)?
        };
    }
    let obj = object_of(deref(node, defs), defs)?;
    let props = obj.get("properties")?.as_object()?;
    Some(props.keys().cloned().collect())
}

fn deref<'a>(
    node: &'a serde_json::Value,
    defs: Option<&'a serde_json::Value>,
) -> &'a serde_json::Value {
    match node.get("$ref").and_then(|r| r.as_str()) {
        Some(r) => r
            .strip_prefix("#/$defs/")
            .and_then(|name| defs?.get(name))
            .unwrap_or(node),
        None => node,
    }
}

/// The object schema inside `node`, looking through `anyOf` / `oneOf` (optional fields).
fn object_of<'a>(
    node: &'a serde_json::Value,
    defs: Option<&'a serde_json::Value>,
) -> Option<&'a serde_json::Value> {
    if node.get("properties").is_some() {
        return Some(node);
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(alts) = node.get(key).and_then(|a| a.as_array()) {
            if let Some(o) = alts.iter().find_map(|a| object_of(deref(a, defs), defs)) {
                return Some(o);
            }
        }
    }
    None
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
    fn every_unknown_field_is_reported_at_its_key() {
        #[derive(serde::Deserialize, schemars::JsonSchema, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Line {
            amount: String,
        }
        #[derive(serde::Deserialize, schemars::JsonSchema, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
            #[serde(default)]
            lines: Vec<Line>,
        }
        let whole =
            "titel = 1\ntitle = \"x\"\nsorce = 2\n[[lines]]\namount = \"1円\"\nammount = 3\n";
        let d = decode::<T>(whole, 0, whole, Path::new("a.toml")).unwrap_err();
        let found: Vec<(usize, &str)> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (1, "unknown field `titel`"),
                (3, "unknown field `sorce`"),
                (6, "unknown field `ammount`")
            ]
        );
    }

    #[test]
    fn type_errors_use_plain_words() {
        #[derive(serde::Deserialize, schemars::JsonSchema, Debug)]
        #[allow(dead_code)]
        struct T {
            value: f64,
        }
        let whole = "value = \"many\"\n";
        let d = decode::<T>(whole, 0, whole, Path::new("a.toml")).unwrap_err();
        assert!(d[0].message.contains("expected a number"), "{}", d[0]);
        assert!(!d[0].message.contains("f64"), "{}", d[0]);
    }

    #[test]
    fn toml_error_points_into_the_file() {
        #[derive(serde::Deserialize, schemars::JsonSchema, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let whole = "+++\ntitle = \"x\"\ntitel = 3\n+++\n";
        let s = split(whole, Path::new("a.md")).unwrap();
        let d = decode::<T>(s.front, s.front_offset, whole, Path::new("a.md")).unwrap_err();
        assert_eq!(d[0].line, 3, "{}", d[0]);
        assert!(d[0].message.contains("titel"), "{}", d[0]);
        assert_eq!(d.len(), 1, "{d:?}");
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
