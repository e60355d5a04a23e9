//! The kinds of entity, one module each: the front-matter type, what it references and
//! cites, and the checks of its own values. They are registered in [`crate::registry`].

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
