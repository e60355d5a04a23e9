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
