//! The kinds of entity, one module each: the front-matter type, what it references and
//! cites, and the checks of its own values. They are registered in [`crate::registry`].

// The macros come first: the kinds' modules use them.

/// Declares a kind's front-matter type: its own fields, then those every kind has — its
/// relations (where it takes them), `source`, `updated`, its old addresses and `slug` —
/// with the derives and the refusal of unknown fields.
macro_rules! front_matter {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($own:tt)* }
        $(relations: $rel:ident,)?
        old_addresses: $alias:ident
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($own)*
            $(
                /// Relations to other layers, each with its basis.
                #[serde(default)]
                pub $rel: Vec<crate::content::relation::Relation>,
            )?
            #[serde(deserialize_with = "crate::content::source_ref::one_or_many")]
            #[schemars(with = "crate::content::source_ref::OneOrMany")]
            pub source: Vec<crate::content::source_ref::SourceRef>,
            /// 更新日: when the page was last revised, as written (default: the date of the
            /// last commit of its file).
            pub updated: Option<String>,
            /// Old addresses of the page (`old/path/`), each left as a redirect to it.
            #[serde(default)]
            pub $alias: Vec<String>,
            pub slug: Option<String>,
        }
    };
}

/// The `Entity` methods that read the fields [`front_matter!`] adds.
macro_rules! common_fields {
    ($alias:ident $(, $rel:ident)?) => {
        fn slug(&self) -> Option<&str> {
            self.slug.as_deref()
        }
        fn updated(&self) -> Option<&str> {
            self.updated.as_deref()
        }
        fn url_aliases(&self) -> (&'static str, &[String]) {
            (stringify!($alias), &self.$alias)
        }
        fn sources(&self) -> &[crate::content::source_ref::SourceRef] {
            &self.source
        }
        $(
            fn relations(&self) -> &[crate::content::relation::Relation] {
                &self.$rel
            }
        )?
    };
}

pub mod document;
pub mod event;
pub mod goal;
pub mod kpi;
pub mod organisation;
pub mod pillar;
pub mod plan;
pub mod policy;
pub mod term;

use super::entity::Problem;
use crate::format::date::JpDate;

/// The `date` field of a document or plan: checked (E015), and the entity's place on the
/// timeline.
fn date_field(date: Option<&str>) -> (Vec<Problem>, Vec<super::entity::Dated<'_>>) {
    let problems = check_date("date", date).into_iter().collect();
    let dated = date
        .map(|d| super::entity::Dated::at("date", d))
        .into_iter()
        .collect();
    (problems, dated)
}

/// A date field that must parse as a date the ministries write (E015).
fn check_date(field: &str, written: Option<&str>) -> Option<Problem> {
    let d = written?;
    let m = JpDate::parse(d).err()?;
    Some(
        Problem::error("E015", field, m)
            .hint("write the date as the source does, e.g. 令和7年6月4日 or R4.5.31"),
    )
}

/// Old addresses written among the other names of a term or organisation (whose old
/// addresses go in `url_aliases`): E018 at each.
fn addresses_among_names(kind: &str, names: &[String]) -> Vec<Problem> {
    names
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.len() > 1
                && !a.chars().any(char::is_whitespace)
                && (a.ends_with('/') || a.ends_with(".html"))
        })
        .map(|(i, a)| {
            Problem::error(
                "E018",
                format!("aliases.{i}"),
                format!("`{a}` looks like an old address of the page, but a {kind}'s `aliases` are other names it is written as"),
            )
            .hint(format!("put old addresses in `url_aliases = [\"{a}\"]`; keep `aliases` for names"))
        })
        .collect()
}
