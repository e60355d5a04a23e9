//! Goals: the numbered goals of a plan, with their KPI definitions and implementers.

use crate::content::entity::{Entity, KindSpec, Reference};
use crate::registry::Kind;

front_matter! {
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
    }
    relations: relations,
    old_addresses: aliases
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
    common_fields!(aliases, relations);

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
