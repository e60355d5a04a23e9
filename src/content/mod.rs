//! Typed content: loading `content/` and `seeds/` into entities.

pub mod entities;
pub mod frontmatter;
pub mod kind;
pub mod kpi;
pub mod lint;
pub mod load;
pub mod policy;
pub mod relation;
pub mod source_ref;

use crate::config::SiteConfig;
pub use entities::{Document, Goal, Organisation, Pillar, Plan, Term};
pub use kind::Kind;
pub use kpi::KpiSeries;
pub use policy::Policy;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What every entity's front matter has.
pub trait EntityData: serde::de::DeserializeOwned + Send {
    fn title(&self) -> &str;
    fn slug(&self) -> Option<&str>;
    fn sources(&self) -> &[source_ref::SourceRef];
    /// Relations to other layers (none for kinds that have no `relations` field).
    fn relations(&self) -> &[relation::Relation] {
        &[]
    }
}

macro_rules! entity_data {
    ($($t:ty => $title:ident $(, $rel:ident)?);* $(;)?) => {$(
        impl EntityData for $t {
            fn title(&self) -> &str { &self.$title }
            fn slug(&self) -> Option<&str> { self.slug.as_deref() }
            fn sources(&self) -> &[source_ref::SourceRef] { &self.source }
            $(fn relations(&self) -> &[relation::Relation] { &self.$rel })?
        }
    )*};
}

entity_data!(
    Document => title;
    Plan => title, relations;
    Pillar => title, relations;
    Goal => title, relations;
    Policy => title, relations;
    KpiSeries => title, relations;
    Organisation => name;
    Term => title;
);

/// One loaded source file of some kind.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub id: String,
    pub slug: String,
    /// Path relative to the site root (`content/policies/x.md`).
    pub path: PathBuf,
    /// The whole file after decoding, for finding the line of a field.
    pub text: String,
    /// Markdown body (empty for TOML data files).
    pub body: String,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    pub data: T,
}

impl<T> Entry<T> {
    /// 1-based line of the first occurrence of `needle` in the file (1 when absent).
    pub fn line_of(&self, needle: &str) -> usize {
        self.text
            .find(needle)
            .map_or(1, |i| self.text[..i].matches('\n').count() + 1)
    }

    /// Line of a quoted id in the front matter, the usual place of a reference.
    pub fn line_of_id(&self, id: &str) -> usize {
        self.line_of(&format!("\"{id}\""))
    }
}

/// What every entry has, whatever its kind: for work that treats all kinds alike.
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'a> {
    pub kind: Kind,
    pub id: &'a str,
    /// The whole file.
    pub text: &'a str,
    /// The Markdown body (empty for TOML data files).
    pub body: &'a str,
}

impl<'a> EntryRef<'a> {
    /// The file without its body: the front matter, or the whole of a TOML data file.
    pub fn front_matter(&self) -> &'a str {
        self.text.strip_suffix(self.body).unwrap_or(self.text)
    }
}

/// A seed document, kept verbatim in `seeds/`.
#[derive(Debug, Clone)]
pub struct Seed {
    pub file: String,
    pub lines: Vec<String>,
}

impl Seed {
    /// The text of lines `first..=last` (1-based), or `None` when out of range.
    pub fn range(&self, first: usize, last: usize) -> Option<String> {
        if first == 0 || last > self.lines.len() || first > last {
            return None;
        }
        Some(self.lines[first - 1..last].join("\n"))
    }
}

/// Everything the site is made of, loaded and typed.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub documents: Vec<Entry<Document>>,
    pub plans: Vec<Entry<Plan>>,
    pub pillars: Vec<Entry<Pillar>>,
    pub goals: Vec<Entry<Goal>>,
    pub policies: Vec<Entry<Policy>>,
    pub kpis: Vec<Entry<KpiSeries>>,
    pub organisations: Vec<Entry<Organisation>>,
    pub terms: Vec<Entry<Term>>,
    pub seeds: BTreeMap<String, Seed>,
}

impl Corpus {
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Document => self.documents.len(),
            Kind::Plan => self.plans.len(),
            Kind::Pillar => self.pillars.len(),
            Kind::Goal => self.goals.len(),
            Kind::Policy => self.policies.len(),
            Kind::Kpi => self.kpis.len(),
            Kind::Organisation => self.organisations.len(),
            Kind::Term => self.terms.len(),
        }
    }

    /// Every entry of every kind, kind by kind in [`Kind::ALL`] order, each in id order.
    pub fn entries(&self) -> impl Iterator<Item = EntryRef<'_>> {
        fn view<T>(kind: Kind, v: &[Entry<T>]) -> impl Iterator<Item = EntryRef<'_>> {
            v.iter().map(move |e| EntryRef {
                kind,
                id: &e.id,
                text: &e.text,
                body: &e.body,
            })
        }
        view(Kind::Document, &self.documents)
            .chain(view(Kind::Plan, &self.plans))
            .chain(view(Kind::Pillar, &self.pillars))
            .chain(view(Kind::Goal, &self.goals))
            .chain(view(Kind::Policy, &self.policies))
            .chain(view(Kind::Kpi, &self.kpis))
            .chain(view(Kind::Organisation, &self.organisations))
            .chain(view(Kind::Term, &self.terms))
    }

    /// Ids of all entities of `kind`, in id order.
    pub fn ids(&self, kind: Kind) -> Vec<&str> {
        fn ids<T>(v: &[Entry<T>]) -> Vec<&str> {
            v.iter().map(|e| e.id.as_str()).collect()
        }
        match kind {
            Kind::Document => ids(&self.documents),
            Kind::Plan => ids(&self.plans),
            Kind::Pillar => ids(&self.pillars),
            Kind::Goal => ids(&self.goals),
            Kind::Policy => ids(&self.policies),
            Kind::Kpi => ids(&self.kpis),
            Kind::Organisation => ids(&self.organisations),
            Kind::Term => ids(&self.terms),
        }
    }
}
