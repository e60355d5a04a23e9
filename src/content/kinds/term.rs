//! Glossary terms: acronyms and terms of art, linked wherever they appear in text.

use crate::content::entity::{Entity, KindSpec, Problem, Reference};
use crate::content::source_ref::{one_or_many, SourceRef};
use crate::registry::Kind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(with = "crate::content::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    /// 更新日: when the page was last revised, as written (default: the date of the last
    /// commit of its file).
    pub updated: Option<String>,
    /// Old addresses of the page (`old/path/`), each left as a redirect to it.
    #[serde(default)]
    pub url_aliases: Vec<String>,
    pub slug: Option<String>,
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
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
    fn updated(&self) -> Option<&str> {
        self.updated.as_deref()
    }
    fn url_aliases(&self) -> (&'static str, &[String]) {
        ("url_aliases", &self.url_aliases)
    }
    fn sources(&self) -> &[SourceRef] {
        &self.source
    }

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
