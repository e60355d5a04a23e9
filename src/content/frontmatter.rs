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

/// Deserialises TOML into `T`, mapping an error to the file's line and column.
pub fn decode<T: DeserializeOwned>(
    toml_text: &str,
    offset: usize,
    whole: &str,
    file: &Path,
) -> Result<T, Diagnostic> {
    toml::from_str(toml_text).map_err(|e| toml_error(&e, offset, whole, file))
}

pub fn toml_error(e: &toml::de::Error, offset: usize, whole: &str, file: &Path) -> Diagnostic {
    let (line, col) = match e.span() {
        Some(span) => line_col(whole, offset + span.start),
        None => line_col(whole, offset),
    };
    let msg = e.message().trim().to_string();
    let hint = if msg.starts_with("unknown field") {
        "remove the field or correct its spelling; the README lists the fields of each kind"
    } else if msg.starts_with("missing field") {
        "add the field; the README lists the required fields of each kind"
    } else if msg.starts_with("invalid type") {
        "give the field a value of the expected type (strings in quotes, lists in [ ])"
    } else {
        "fix the TOML syntax at this position"
    };
    Diagnostic::error("E004", file, msg)
        .at(line, col)
        .hint(hint)
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
        assert_eq!(d.line, 3, "{d}");
        assert!(d.message.contains("titel"), "{d}");
    }
}
