//! Pillars: a basic policy (基本方針), a council direction (方向性) or a sub-theme under one.

use crate::content::entity::{Entity, KindSpec, Reference};
use crate::content::relation::Relation;
use crate::content::source_ref::{one_or_many, SourceRef};
use crate::registry::Kind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pillar {
    pub title: String,
    /// How the source numbers it (基本方針1, 方向性2, (3)).
    pub label: Option<String>,
    pub plan: String,
    /// A sub-theme's direction.
    pub parent: Option<String>,
    /// Position among its siblings.
    #[serde(default)]
    pub order: u32,
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

impl Entity for Pillar {
    const KIND: Kind = Kind::Pillar;
    const SPEC: KindSpec = KindSpec {
        name: "pillar",
        source_folder: "pillars",
        folder: "pillars",
        markdown: true,
        template: "pillar.html",
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
        match &self.label {
            Some(l) => format!("{l} {}", self.title),
            None => self.title.clone(),
        }
    }

    fn references(&self) -> Vec<Reference<'_>> {
        let mut v = vec![Reference::new("plan", Kind::Plan, &self.plan)];
        if let Some(p) = &self.parent {
            v.push(Reference::new("parent", Kind::Pillar, p));
        }
        v
    }

    fn search_terms(&self) -> String {
        self.label.clone().unwrap_or_default()
    }
}
