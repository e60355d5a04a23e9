//! The load stage's data: typed entities read from `content/`, and the seed documents.
//!
//! Each kind of entity is a module in [`kinds`] implementing [`entity::Entity`]; the kinds
//! are registered in [`crate::registry`], which also defines [`Corpus`], one list per kind.

pub mod entity;
pub mod frontmatter;
pub mod history;
pub mod kinds;
pub mod lint;
pub mod load;
pub mod relation;
pub mod source_ref;
pub mod spans;

pub use crate::registry::{AnyEntry, Corpus, Kind};
pub use entity::Entity;
pub use kinds::document::{Document, Section};
pub use kinds::event::Event;
pub use kinds::goal::Goal;
pub use kinds::kpi::KpiSeries;
pub use kinds::organisation::Organisation;
pub use kinds::pillar::Pillar;
pub use kinds::plan::Plan;
pub use kinds::policy::Policy;
pub use kinds::term::Term;

use crate::diag::{line_col, Diagnostic};
use spans::LazySpans;
use std::path::PathBuf;

/// One loaded source file of some kind.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub id: String,
    pub slug: String,
    /// Path relative to the site root (`content/policies/x.md`).
    pub path: PathBuf,
    /// The whole file after decoding.
    pub text: String,
    /// Where the Markdown body starts in `text` (it runs to the end; at the end for TOML data
    /// files, which have none).
    pub body_start: usize,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// Where each field's value is written, from the parser (made when first asked for).
    pub spans: LazySpans,
    /// Where the value of the top-level `title` (or else `name`) starts, if written.
    pub title_at: Option<usize>,
    /// `(kind, id, line)` of every `[text](@kind/id)` link in the body, found when the file
    /// is parsed.
    pub links: Vec<(String, String, usize)>,
    /// Hashes of the whole file and of its front matter, for watch mode's signatures.
    pub fingerprint: Fingerprint,
    pub data: T,
}

/// Hashes of a source file, made once when it is parsed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    pub text: u64,
    pub front: u64,
}

impl<T> Entry<T> {
    /// Line and column of the value of `field` (a path such as `points.2.year`); 1:1 when
    /// the field is not written (a default).
    pub fn position(&self, field: &str) -> (usize, usize) {
        self.spans
            .get(&self.text)
            .value(field)
            .map_or((1, 1), |r| line_col(&self.text, r.start))
    }

    /// An error about `field` of this entry, at the field's value.
    pub fn error_at(
        &self,
        code: &'static str,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = self.position(field);
        Diagnostic::error(code, &self.path, message).at(line, col)
    }

    /// The Markdown body (empty for TOML data files).
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The file without its body: the front matter, or the whole of a TOML data file.
    pub fn front_matter(&self) -> &str {
        &self.text[..self.body_start]
    }
}

/// A seed document, kept verbatim in `seeds/`.
#[derive(Debug, Clone)]
pub struct Seed {
    pub file: String,
    pub lines: Vec<String>,
    /// Hash of the text, made when the file is read.
    pub fingerprint: u64,
}

impl Seed {
    /// The text of lines `first..=last` (1-based), or `None` when out of range.
    pub fn range(&self, first: usize, last: usize) -> Option<String> {
        if first == 0 || last > self.lines.len() || first > last {
            return None;
        }
        Some(self.lines[first - 1..last].join("\n"))
    }
}
