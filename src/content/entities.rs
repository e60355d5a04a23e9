//! Front-matter types of the entities other than policies and KPIs.
//!
//! Each type rejects unknown fields, so a mistyped key is an error naming its line.

use super::relation::Relation;
use super::source_ref::{one_or_many, SourceRef};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub title: String,
    pub issuer: Option<String>,
    /// As written (和暦 or ISO).
    pub date: Option<String>,
    /// The seed file in `seeds/`.
    pub file: String,
    /// The document's sheets or sections, in order, each with its line range: the table of
    /// contents of its source page, and the units of the coverage check.
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(with = "super::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    pub slug: Option<String>,
}

/// One sheet or section of a seed document.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The heading as written.
    pub title: String,
    /// Its lines, `<seed file>#L<first>-L<last>`.
    pub source: SourceRef,
    /// Optional: why the section has no page of its own (a cover, a divider, an image).
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub title: String,
    pub short_title: Option<String>,
    pub number: Option<u32>,
    pub status: Option<String>,
    pub date: Option<String>,
    #[serde(default)]
    pub documents: Vec<String>,
    /// Relations to other layers, each with its basis.
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(with = "super::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    pub slug: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pillar {
    pub title: String,
    pub label: Option<String>,
    pub plan: String,
    pub parent: Option<String>,
    #[serde(default)]
    pub order: u32,
    /// Relations to other layers, each with its basis.
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(with = "super::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    pub slug: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub title: String,
    pub plan: String,
    pub number: u32,
    #[serde(default)]
    pub pillars: Vec<String>,
    #[serde(default)]
    pub kpi_definitions: Vec<String>,
    pub implementer: Option<String>,
    #[serde(default)]
    pub organisations: Vec<String>,
    /// Relations to other layers, each with its basis.
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(with = "super::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    pub slug: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OrganisationKind {
    Ministry,
    Agency,
    Council,
    Other,
}

impl OrganisationKind {
    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::Ministry => "府省",
            OrganisationKind::Agency => "機関",
            OrganisationKind::Council => "会議体",
            OrganisationKind::Other => "その他",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    pub short: Option<String>,
    pub name_en: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: OrganisationKind,
    pub parent: Option<String>,
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(with = "super::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    pub slug: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub title: String,
    pub expansion: Option<String>,
    pub ja: Option<String>,
    /// Kana reading, for 五十音 grouping.
    pub reading: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    /// Set to false to keep this term from linking itself in text.
    #[serde(default = "yes")]
    pub autolink: bool,
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(with = "super::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    pub slug: Option<String>,
}

fn yes() -> bool {
    true
}
