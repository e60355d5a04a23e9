//! The kinds of entity, registered in one place.
//!
//! A kind is a front-matter type implementing [`Entity`] (in `content/kinds/`), a view
//! implementing [`View`] (in `render/views/`) and a template. The one `kinds!` line below
//! gives it its [`Kind`], its list in [`Corpus`], its loading, checking, resolving and
//! rendering: every loop over kinds goes through [`Corpus::all`] or [`Kind::ALL`], and the
//! compiler points at any trait method a new kind still lacks.

use crate::config::SiteConfig;
use crate::content::entity::{Citation, Dated, Entity, KindSpec, Problem, Reference};
use crate::content::relation::Relation;
use crate::content::source_ref::SourceRef;
use crate::content::{Entry, Seed};
use crate::diag::Diagnostic;
use crate::render::views::View;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

macro_rules! kinds {
    ($($variant:ident => $ty:ty, $field:ident;)*) => {
        /// The kinds of entity, in the order pages, counts and indexes list them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Kind {
            $($variant),*
        }

        impl Kind {
            /// How many kinds there are.
            pub const COUNT: usize = [$(stringify!($variant)),*].len();
            pub const ALL: [Kind; Kind::COUNT] = [$(Kind::$variant),*];

            /// Where the kind lives and how its files are written.
            pub fn spec(self) -> &'static KindSpec {
                match self {
                    $(Kind::$variant => &<$ty as Entity>::SPEC),*
                }
            }

            /// The JSON Schema of the kind's front matter, from the type that parses it.
            pub fn schema(self) -> serde_json::Value {
                let schema = match self {
                    $(Kind::$variant => schemars::schema_for!($ty)),*
                };
                // A schema is plain JSON data.
                serde_json::to_value(schema).expect("schema is JSON")
            }
        }

        /// Everything the site is made of, loaded and typed: one list per kind, each in id
        /// order, and the seed documents.
        #[derive(Debug, Clone)]
        pub struct Corpus {
            pub root: PathBuf,
            pub config: SiteConfig,
            $(pub $field: Vec<std::sync::Arc<Entry<$ty>>>,)*
            pub seeds: BTreeMap<String, std::sync::Arc<Seed>>,
            /// When each source file was last committed (empty outside a git repository).
            pub history: std::sync::Arc<crate::content::history::History>,
            /// The policies naming each organisation, pillar and goal (made on first use).
            pub(crate) policy_index: std::sync::OnceLock<crate::content::kinds::policy::PolicyIndex>,
        }

        impl Corpus {
            /// Loads every kind's folder under `content/`.
            pub(crate) fn assemble(
                root: &Path,
                config: SiteConfig,
                seeds: BTreeMap<String, std::sync::Arc<Seed>>,
                history: crate::content::history::Pending,
                diags: &mut Vec<Diagnostic>,
                cache: Option<&crate::content::load::ParseCache>,
            ) -> Corpus {
                let mut corpus = Corpus {
                    root: root.to_path_buf(),
                    config,
                    $($field: crate::content::load::load_kind::<$ty>(root, diags, cache),)*
                    seeds,
                    history: Default::default(),
                    policy_index: Default::default(),
                };
                let (history, warning) = history.finish();
                diags.extend(warning);
                corpus.history = history;
                corpus
            }

            /// Every entry of every kind, kind by kind in [`Kind::ALL`] order, each in id order.
            pub fn all(&self) -> Vec<&dyn AnyEntry> {
                let mut v: Vec<&dyn AnyEntry> = Vec::new();
                $(v.extend(self.$field.iter().map(|e| &**e as &dyn AnyEntry));)*
                v
            }

            /// The entries of one kind, in id order.
            pub fn of_kind(&self, kind: Kind) -> Vec<&dyn AnyEntry> {
                match kind {
                    $(Kind::$variant => self.$field.iter().map(|e| &**e as &dyn AnyEntry).collect()),*
                }
            }

            pub fn count(&self, kind: Kind) -> usize {
                match kind {
                    $(Kind::$variant => self.$field.len()),*
                }
            }
        }

        $(impl Stored for $ty {
            fn entries(corpus: &Corpus) -> &[std::sync::Arc<Entry<Self>>] {
                &corpus.$field
            }
        })*
    };
}

kinds! {
    Document => crate::content::Document, documents;
    Plan => crate::content::Plan, plans;
    Pillar => crate::content::Pillar, pillars;
    Goal => crate::content::Goal, goals;
    Policy => crate::content::Policy, policies;
    Kpi => crate::content::KpiSeries, kpis;
    Organisation => crate::content::Organisation, organisations;
    Term => crate::content::Term, terms;
    Event => crate::content::Event, events;
}

/// A kind's list in the corpus, by type.
pub trait Stored: Entity {
    fn entries(corpus: &Corpus) -> &[std::sync::Arc<Entry<Self>>];
}

impl Kind {
    /// Singular name used in `@kind/id` links, relations and messages.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Folder of its pages under the output.
    pub fn folder(self) -> &'static str {
        self.spec().folder
    }

    /// Folder of its sources under `content/`.
    pub fn source_folder(self) -> &'static str {
        self.spec().source_folder
    }

    /// Whether its sources are Markdown with front matter (else plain TOML).
    pub fn is_markdown(self) -> bool {
        self.spec().markdown
    }

    /// Key of its label in the theme's strings (`kind.policy`).
    pub fn label_key(self) -> String {
        format!("kind.{}", self.name())
    }

    /// The kind named `s` (singular name, output folder or source folder).
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.name() == s || k.folder() == s || k.source_folder() == s)
    }

    /// The singular names of all kinds, for messages: `document, plan, ...`.
    pub fn names() -> String {
        Kind::ALL
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An entry of any kind, for the work every kind shares: checking, resolving, rendering.
pub trait AnyEntry: Sync {
    fn kind(&self) -> Kind;
    fn id(&self) -> &str;
    fn slug(&self) -> &str;
    fn path(&self) -> &Path;
    /// The whole file.
    fn text(&self) -> &str;
    fn body(&self) -> &str;
    fn body_line(&self) -> usize;
    /// `(kind, id, line)` of every `@kind/id` link in the body.
    fn body_links(&self) -> &[(String, String, usize)];
    /// Hashes of the file and of its front matter.
    fn fingerprint(&self) -> crate::content::Fingerprint;
    fn front_matter(&self) -> &str;
    fn title(&self) -> &str;
    fn display_title(&self) -> String;
    fn updated(&self) -> Option<&str>;
    fn url_aliases(&self) -> (&'static str, &[String]);
    fn sources(&self) -> &[SourceRef];
    fn relations(&self) -> &[Relation];
    fn references(&self) -> Vec<Reference<'_>>;
    fn citations(&self) -> Vec<Citation<'_>>;
    fn check(&self, config: &SiteConfig) -> Vec<Problem>;
    fn dates(&self) -> Vec<Dated<'_>>;
    fn search_terms(&self) -> String;
    fn search_boost(&self) -> u8;
    /// Line and column of the value of a field.
    fn position(&self, field: &str) -> (usize, usize);
    /// The page of this entry, rendered.
    fn render(
        &self,
        cx: &crate::render::context::Cx<'_>,
    ) -> Result<crate::render::page::Page, Diagnostic>;
    /// Words of the page for search besides the body (a KPI adds its summary).
    fn search_extra(&self, cx: &crate::render::context::Cx<'_>) -> String;
}

impl<T: Entity + View> AnyEntry for Entry<T> {
    fn kind(&self) -> Kind {
        T::KIND
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn path(&self) -> &Path {
        &self.path
    }
    fn text(&self) -> &str {
        &self.text
    }
    fn body(&self) -> &str {
        Entry::body(self)
    }
    fn body_line(&self) -> usize {
        self.body_line
    }
    fn body_links(&self) -> &[(String, String, usize)] {
        &self.links
    }
    fn fingerprint(&self) -> crate::content::Fingerprint {
        self.fingerprint
    }
    fn front_matter(&self) -> &str {
        Entry::front_matter(self)
    }
    fn title(&self) -> &str {
        self.data.title()
    }
    fn display_title(&self) -> String {
        self.data.display_title()
    }
    fn updated(&self) -> Option<&str> {
        self.data.updated()
    }
    fn url_aliases(&self) -> (&'static str, &[String]) {
        self.data.url_aliases()
    }
    fn sources(&self) -> &[SourceRef] {
        self.data.sources()
    }
    fn relations(&self) -> &[Relation] {
        self.data.relations()
    }
    fn references(&self) -> Vec<Reference<'_>> {
        self.data.references()
    }
    fn citations(&self) -> Vec<Citation<'_>> {
        self.data.citations()
    }
    fn check(&self, config: &SiteConfig) -> Vec<Problem> {
        self.data.check(config)
    }
    fn dates(&self) -> Vec<Dated<'_>> {
        self.data.dates()
    }
    fn search_terms(&self) -> String {
        self.data.search_terms()
    }
    fn search_boost(&self) -> u8 {
        self.data.search_boost()
    }
    fn position(&self, field: &str) -> (usize, usize) {
        Entry::position(self, field)
    }
    fn render(
        &self,
        cx: &crate::render::context::Cx<'_>,
    ) -> Result<crate::render::page::Page, Diagnostic> {
        crate::render::page::entity_page(self, cx)
    }
    fn search_extra(&self, cx: &crate::render::context::Cx<'_>) -> String {
        T::search_extra(self, cx)
    }
}
