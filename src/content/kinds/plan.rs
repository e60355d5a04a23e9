//! Plans: a basic plan (第1期, 第2期, ...) or the council's directions, with their documents.

use crate::content::entity::{Dated, Entity, KindSpec, Problem, Reference};
use crate::registry::Kind;

front_matter! {
    pub struct Plan {
        pub title: String,
        pub short_title: Option<String>,
        pub number: Option<u32>,
        pub status: Option<String>,
        pub date: Option<String>,
        #[serde(default)]
        pub documents: Vec<String>,
    }
    relations: relations,
    old_addresses: aliases
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
    common_fields!(aliases, relations);

    fn references(&self) -> Vec<Reference<'_>> {
        Reference::list("documents", Kind::Document, &self.documents).collect()
    }

    fn check(&self, _: &crate::config::SiteConfig) -> Vec<Problem> {
        super::date_field(self.date.as_deref()).0
    }

    fn dates(&self) -> Vec<Dated<'_>> {
        super::date_field(self.date.as_deref()).1
    }

    fn search_boost(&self) -> u8 {
        2
    }
}
