//! Events: dated milestones (a law, a cabinet decision, a launch, a meeting) for the timeline,
//! each citing the seed line that states it.

use crate::content::entity::{Dated, Entity, KindSpec, Problem, Reference};
use crate::content::relation::parse_target;
use crate::registry::Kind;

front_matter! {
    pub struct Event {
        pub title: String,
        /// As written: 令和4年5月31日, 2023年9月6日, 2025年7月, 令和9年度, 2003年.
        pub date: String,
        /// True when the source gives the date as a target (目途, 予定, 以降).
        #[serde(default)]
        pub approx: bool,
        /// The pages the event concerns, as `kind/id`.
        #[serde(default)]
        pub related: Vec<String>,
    }
    old_addresses: aliases
}

impl Entity for Event {
    const KIND: Kind = Kind::Event;
    const SPEC: KindSpec = KindSpec {
        name: "event",
        source_folder: "events",
        folder: "events",
        markdown: true,
        template: "event.html",
    };

    fn title(&self) -> &str {
        &self.title
    }
    common_fields!(aliases);

    fn references(&self) -> Vec<Reference<'_>> {
        self.related
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let (kind, id) = parse_target(r).ok()?;
                Some(Reference::new(format!("related.{i}"), kind, id))
            })
            .collect()
    }

    fn check(&self, _: &crate::config::SiteConfig) -> Vec<Problem> {
        let mut out: Vec<Problem> = super::check_date("date", Some(&self.date))
            .into_iter()
            .collect();
        for (i, r) in self.related.iter().enumerate() {
            if let Err(m) = parse_target(r) {
                out.push(
                    Problem::error("E010", format!("related.{i}"), m)
                        .hint("write each related page as kind/id, e.g. plan/plan2"),
                );
            }
        }
        out
    }

    fn dates(&self) -> Vec<Dated<'_>> {
        vec![Dated {
            approx: self.approx,
            ..Dated::at("date", &self.date)
        }]
    }
}
