//! Organisations: ministries, agencies and councils.

use crate::content::entity::{Entity, KindSpec, Problem, Reference};
use crate::registry::Kind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OrganisationKind {
    Ministry,
    Agency,
    Council,
    Other,
}

impl OrganisationKind {
    /// Key of its label in the theme's strings.
    pub fn key(self) -> &'static str {
        match self {
            OrganisationKind::Ministry => "org_kind.ministry",
            OrganisationKind::Agency => "org_kind.agency",
            OrganisationKind::Council => "org_kind.council",
            OrganisationKind::Other => "org_kind.other",
        }
    }
}

front_matter! {
    pub struct Organisation {
        pub name: String,
        pub short: Option<String>,
        pub name_en: Option<String>,
        #[serde(default)]
        pub aliases: Vec<String>,
        pub kind: OrganisationKind,
        pub parent: Option<String>,
    }
    old_addresses: url_aliases
}

impl Entity for Organisation {
    const KIND: Kind = Kind::Organisation;
    const SPEC: KindSpec = KindSpec {
        name: "organisation",
        source_folder: "organisations",
        folder: "organisations",
        markdown: false,
        template: "organisation.html",
    };

    fn title(&self) -> &str {
        &self.name
    }
    common_fields!(url_aliases);

    fn references(&self) -> Vec<Reference<'_>> {
        self.parent
            .iter()
            .map(|p| Reference::new("parent", Kind::Organisation, p))
            .collect()
    }

    fn check(&self, _: &crate::config::SiteConfig) -> Vec<Problem> {
        super::addresses_among_names("organisation", &self.aliases)
    }

    fn search_terms(&self) -> String {
        self.aliases.join(" ")
    }

    fn search_boost(&self) -> u8 {
        2
    }
}
