//! Pillars: a basic policy (基本方針), a council direction (方向性) or a sub-theme under one.

use crate::content::entity::{Entity, KindSpec, Reference};
use crate::registry::Kind;

front_matter! {
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
    }
    relations: relations,
    old_addresses: aliases
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
    common_fields!(aliases, relations);

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
