//! Diagnostics: errors as values, each naming a file, a line and a column, with a hint.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s and keeps going, so a
//! build lists all the errors it found, not only the first.

use serde::Serialize;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in the sources, the theme or the output directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    pub severity: Severity,
    /// Stable error code, documented in the README (`E…` errors, `W…` warnings).
    pub code: &'static str,
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: String::new(),
        }
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, leaving out unknown parts.
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if self.line > 0 {
            s.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                s.push_str(&format!(":{}", self.column));
            }
        }
        s
    }

    /// One JSON object on one line (for `check --format json`).
    pub fn to_json_line(&self) -> String {
        // Serialising a struct of strings and integers cannot fail.
        serde_json::to_string(self).expect("diagnostic serialises")
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}]: {}\n  --> {}",
            self.code,
            self.message,
            self.location()
        )?;
        if !self.hint.is_empty() {
            write!(f, "\n  = hint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// Writes diagnostics for a person: coloured on a terminal, plain otherwise.
pub fn print_human(diags: &[Diagnostic]) {
    use anstyle::{AnsiColor, Style};
    let mut err = anstream::stderr().lock();
    let bold = Style::new().bold();
    for d in diags {
        let colour = match d.severity {
            Severity::Error => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            Severity::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
        };
        let sev = if d.is_error() { "error" } else { "warning" };
        let _ = writeln!(
            err,
            "{colour}{sev}[{}]{colour:#}{bold}: {}{bold:#}\n  --> {}",
            d.code,
            d.message,
            d.location()
        );
        if !d.hint.is_empty() {
            let _ = writeln!(err, "  = hint: {}", d.hint);
        }
    }
    let n_err = diags.iter().filter(|d| d.is_error()).count();
    if n_err > 0 {
        let _ = writeln!(err, "{n_err} error(s) found");
    }
}

/// Sorts diagnostics by file, line and column so that output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

/// Converts a byte offset in `text` into a 1-based (line, column), column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Path of `path` relative to `root` for messages, or `path` itself.
pub fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\n日本語x\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 3 + 9), (2, 4));
    }

    #[test]
    fn display_has_location_and_hint() {
        let d = Diagnostic::error("E001", "content/x.md", "bad")
            .at(3, 7)
            .hint("fix it");
        let s = d.to_string();
        assert!(s.contains("content/x.md:3:7"), "{s}");
        assert!(s.contains("hint: fix it"));
    }
}
