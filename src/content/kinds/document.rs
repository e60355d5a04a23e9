//! Documents: the seed documents themselves, with issuer, date and their sections.

use crate::content::entity::{Citation, Dated, Entity, FieldPath, KindSpec, Problem};
use crate::content::source_ref::SourceRef;
use crate::registry::Kind;
use serde::{Deserialize, Serialize};

front_matter! {
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
    }
    old_addresses: aliases
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

impl Entity for Document {
    const KIND: Kind = Kind::Document;
    const SPEC: KindSpec = KindSpec {
        name: "document",
        source_folder: "documents",
        folder: "documents",
        markdown: true,
        template: "document.html",
    };

    fn title(&self) -> &str {
        &self.title
    }
    common_fields!(aliases);

    fn other_citations(&self) -> Vec<Citation<'_>> {
        self.sections
            .iter()
            .enumerate()
            .map(|(i, s)| Citation {
                field: FieldPath::new("sections", Some(i), "source"),
                source: &s.source,
            })
            .collect()
    }

    fn check(&self, _: &crate::config::SiteConfig) -> Vec<Problem> {
        super::date_field(self.date.as_deref()).0
    }

    fn dates(&self) -> Vec<Dated<'_>> {
        super::date_field(self.date.as_deref()).1
    }

    fn search_terms(&self) -> String {
        self.issuer.clone().unwrap_or_default()
    }
}
