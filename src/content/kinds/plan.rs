//! Plans: a basic plan (第1期, 第2期, ...) or the council's directions, with their documents.

use crate::content::entity::{Dated, Entity, KindSpec, Problem, Reference};
use crate::content::relation::Relation;
use crate::content::source_ref::{one_or_many, SourceRef};
use crate::registry::Kind;
use serde::{Deserialize, Serialize};

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
    #[schemars(with = "crate::content::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    /// 更新日: when the page was last revised, as written (default: the date of the last
    /// commit of its file).
    pub updated: Option<String>,
    /// Old addresses of the page (`old/path/`), each left as a redirect to it.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub slug: Option<String>,
}

impl Plan {
    /// The short title (第2期) where there is one.
    pub fn short(&self) -> &str {
        self.short_title.as_deref().unwrap_or(&self.title)
    }
}

impl Entity for Plan {
    const KIND: Kind = Kind::Plan;
    const SPEC: KindSpec = KindSpec {
        name: "plan",
        source_folder: "plans",
        folder: "plans",
        markdown: true,
        template: "plan.html",
    };

    fn title(&self) -> &str {
        &self.title
    }
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
    fn updated(&self) -> Option<&str> {
        self.updated.as_deref()
    }
    fn url_aliases(&self) -> (&'static str, &[String]) {
        ("aliases", &self.aliases)
    }
    fn sources(&self) -> &[SourceRef] {
        &self.source
    }
    fn relations(&self) -> &[Relation] {
        &self.relations
    }

    fn references(&self) -> Vec<Reference<'_>> {
        Reference::list("documents", Kind::Document, &self.documents).collect()
    }

    fn check(&self, _: &crate::config::SiteConfig) -> Vec<Problem> {
        super::check_date("date", self.date.as_deref())
            .into_iter()
            .collect()
    }

    fn dates(&self) -> Vec<Dated<'_>> {
        self.date
            .as_deref()
            .map(|d| Dated::at("date", d))
            .into_iter()
            .collect()
    }

    fn search_boost(&self) -> u8 {
        2
    }
}
