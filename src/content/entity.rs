//! What every kind of entity has and does: the trait each kind's front-matter type implements.
//!
//! The resolve stage, the render stage and the commands treat all kinds through this trait,
//! so a new kind is a new type implementing it (and a view and a template) registered once in
//! [`crate::registry`].

use super::relation::Relation;
use super::source_ref::SourceRef;
use crate::config::SiteConfig;
use crate::registry::Kind;
use serde::de::DeserializeOwned;

/// Where a kind lives and how its files are written.
#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    /// Singular name used in `@kind/id` links, relations, `seisaku new` and messages.
    pub name: &'static str,
    /// Folder of its sources under `content/`.
    pub source_folder: &'static str,
    /// Folder of its pages under the output.
    pub folder: &'static str,
    /// Markdown with `+++` front matter (true) or a plain TOML data file (false).
    pub markdown: bool,
    /// Template of its pages.
    pub template: &'static str,
}

/// A reference by id to another entity, with the front-matter field it is written in
/// (`pillars.1`, `relations.0.to`), so a dangling id is reported at its own line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'a> {
    pub field: String,
    pub kind: Kind,
    pub id: &'a str,
}

impl<'a> Reference<'a> {
    pub fn new(field: impl Into<String>, kind: Kind, id: &'a str) -> Self {
        Reference {
            field: field.into(),
            kind,
            id,
        }
    }

    /// One reference per id of a list field (`pillars` → `pillars.0`, `pillars.1`, ...).
    pub fn list(field: &str, kind: Kind, ids: &'a [String]) -> impl Iterator<Item = Self> + 'a {
        let field = field.to_string();
        ids.iter()
            .enumerate()
            .map(move |(i, id)| Reference::new(format!("{field}.{i}"), kind, id))
    }
}

/// A seed line range an entity cites, with the field it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation<'a> {
    pub field: FieldPath,
    pub source: &'a SourceRef,
}

/// Where a value stands in the front matter: `list.index.leaf` (`budgets.2.source`), or a
/// shorter path when a part is empty (`source.0`, `target.source`). Written out only when a
/// diagnostic names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPath {
    pub list: &'static str,
    pub index: Option<usize>,
    pub leaf: &'static str,
}

impl FieldPath {
    pub fn new(list: &'static str, index: Option<usize>, leaf: &'static str) -> FieldPath {
        FieldPath { list, index, leaf }
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.list)?;
        if let Some(i) = self.index {
            write!(f, ".{i}")?;
        }
        if !self.leaf.is_empty() {
            write!(f, ".{}", self.leaf)?;
        }
        Ok(())
    }
}

/// A problem with a value of an entity, found by the kind's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    /// The field it concerns (its line is reported); `None` for the whole file.
    pub field: Option<String>,
    pub message: String,
    pub hint: String,
    pub warning: bool,
}

impl Problem {
    pub fn error(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            code,
            field: Some(field.into()),
            message: message.into(),
            hint: String::new(),
            warning: false,
        }
    }

    pub fn warning(
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            warning: true,
            ..Problem::error(code, field, message)
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
}

/// A date an entity stands at on the timeline: the date as written and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<'a> {
    /// The field it is written in (`date`, `budgets.2`).
    pub field: String,
    /// The date or fiscal year, readable by [`crate::format::date::JpDate::parse`].
    pub written: std::borrow::Cow<'a, str>,
    /// Marked 目途 / 頃 / 予定 in the source.
    pub approx: bool,
    /// What happened then, when it is not the entity itself (a budget line: its amount).
    pub what: Option<String>,
}

impl<'a> Dated<'a> {
    /// The entity itself, at the date in `field`.
    pub fn at(field: &str, written: &'a str) -> Dated<'a> {
        Dated {
            field: field.to_string(),
            written: std::borrow::Cow::Borrowed(written),
            approx: false,
            what: None,
        }
    }
}

/// The front matter (or data file) of one kind of entity.
pub trait Entity:
    DeserializeOwned + serde::Serialize + schemars::JsonSchema + Send + Sync + Sized + 'static
{
    /// Its place in the registry.
    const KIND: Kind;
    const SPEC: KindSpec;

    fn title(&self) -> &str;
    fn slug(&self) -> Option<&str>;
    /// The `updated` field: when the page was last revised, as written.
    fn updated(&self) -> Option<&str>;
    /// The field of the page's old addresses (`aliases`; `url_aliases` in kinds whose
    /// `aliases` are other names) and its values.
    fn url_aliases(&self) -> (&'static str, &[String]);
    /// The `source` field: the seed lines the entity as a whole comes from.
    fn sources(&self) -> &[SourceRef];

    /// The title pages and links show (a goal shows its number: ゴール3 …).
    fn display_title(&self) -> String {
        self.title().to_string()
    }

    /// Relations to other layers (`[[relations]]`), each with its basis.
    fn relations(&self) -> &[Relation] {
        &[]
    }

    /// References by id to other entities, besides relations.
    fn references(&self) -> Vec<Reference<'_>> {
        Vec::new()
    }

    /// Seed lines cited besides `source` and relations: budget lines, figures, sections.
    fn other_citations(&self) -> Vec<Citation<'_>> {
        Vec::new()
    }

    /// Checks of the values themselves (dates that parse, units that are known, ...).
    fn check(&self, _config: &SiteConfig) -> Vec<Problem> {
        Vec::new()
    }

    /// Dates at which the entity appears on the timeline.
    fn dates(&self) -> Vec<Dated<'_>> {
        Vec::new()
    }

    /// Extra words for search besides the title and body (expansions, aliases, 論点, ...).
    fn search_terms(&self) -> String {
        String::new()
    }

    /// Ranking weight in search: glossary terms and plans above other pages.
    fn search_boost(&self) -> u8 {
        1
    }

    /// Every seed line range the entity cites, with the field it is written in.
    fn citations(&self) -> Vec<Citation<'_>> {
        let mut v: Vec<Citation<'_>> = self
            .sources()
            .iter()
            .enumerate()
            .map(|(i, s)| Citation {
                field: FieldPath::new("source", Some(i), ""),
                source: s,
            })
            .collect();
        v.extend(self.relations().iter().enumerate().filter_map(|(i, r)| {
            r.source.as_ref().map(|s| Citation {
                field: FieldPath::new("relations", Some(i), "source"),
                source: s,
            })
        }));
        v.extend(self.other_citations());
        v
    }
}
