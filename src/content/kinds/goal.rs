//! Goals: the numbered goals of a plan, with their KPI definitions and implementers.

use crate::content::entity::{Entity, KindSpec, Reference};
use crate::content::relation::Relation;
use crate::content::source_ref::{one_or_many, SourceRef};
use crate::registry::Kind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub title: String,
    pub plan: String,
    pub number: u32,
    #[serde(default)]
    pub pillars: Vec<String>,
    /// 設定するKPI, as written.
    #[serde(default)]
    pub kpi_definitions: Vec<String>,
    /// 実施主体, as written.
    pub implementer: Option<String>,
    #[serde(default)]
    pub organisations: Vec<String>,
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

impl Entity for Goal {
    const KIND: Kind = Kind::Goal;
    const SPEC: KindSpec = KindSpec {
        name: "goal",
        source_folder: "goals",
        folder: "goals",
        markdown: true,
        template: "goal.html",
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

    fn display_title(&self) -> String {
        format!("ゴール{} {}", self.number, self.title)
    }

    fn references(&self) -> Vec<Reference<'_>> {
        let mut v = vec![Reference::new("plan", Kind::Plan, &self.plan)];
        v.extend(Reference::list("pillars", Kind::Pillar, &self.pillars));
        v.extend(Reference::list(
            "organisations",
            Kind::Organisation,
            &self.organisations,
        ));
        v
    }

    fn search_terms(&self) -> String {
        self.kpi_definitions.join(" ")
    }
}
