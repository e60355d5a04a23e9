//! Glossary terms: acronyms and terms of art, linked wherever they appear in text.

use crate::content::entity::{Entity, KindSpec, Problem, Reference};
use crate::registry::Kind;

front_matter! {
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
    }
    old_addresses: url_aliases
}

fn yes() -> bool {
    true
}

impl Term {
    /// Every form the text may use for the term: title, aliases and Japanese name.
    pub fn forms(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.title)
            .chain(self.aliases.iter())
            .chain(self.ja.iter())
    }

    /// Expansion and Japanese name, for tooltips.
    pub fn tooltip(&self) -> String {
        let t = [self.expansion.as_deref(), self.ja.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ");
        if t.is_empty() {
            self.title.clone()
        } else {
            t
        }
    }
}

impl Entity for Term {
    const KIND: Kind = Kind::Term;
    const SPEC: KindSpec = KindSpec {
        name: "term",
        source_folder: "terms",
        folder: "glossary",
        markdown: true,
        template: "term.html",
    };

    fn title(&self) -> &str {
        &self.title
    }
    common_fields!(url_aliases);

    fn references(&self) -> Vec<Reference<'_>> {
        Reference::list("related", Kind::Term, &self.related).collect()
    }

    fn check(&self, _: &crate::config::SiteConfig) -> Vec<Problem> {
        let mut v = super::addresses_among_names("term", &self.aliases);
        let latin = self.title.starts_with(|c: char| c.is_ascii_alphanumeric());
        if latin || self.reading.is_some() {
            return v;
        }
        v.push(
            Problem::warning(
                "W003",
                "title",
                format!(
                    "term `{}` has no kana `reading`; it is listed under 他 in the 五十音 index",
                    self.title
                ),
            )
            .hint("add reading = \"…\" in hiragana; it places the term in the 五十音 index"),
        );
        v
    }

    fn search_terms(&self) -> String {
        [
            self.expansion.clone(),
            self.ja.clone(),
            Some(self.aliases.join(" ")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    }

    fn search_boost(&self) -> u8 {
        3
    }
}
