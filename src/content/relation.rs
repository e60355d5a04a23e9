//! Relations between layers of the plan (a programme serves a goal, a 第2期 goal is continued
//! by a 第3期 pillar, ...), each with its basis: a seed line that states it, or an editorial
//! reason shown to readers as such.

use super::source_ref::SourceRef;
use super::Kind;
use serde::{Deserialize, Serialize};

/// What a relation says about its two ends.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RelationType {
    /// A measure or programme carried out under a plan.
    Implements,
    /// A measure that serves a basic policy, direction or goal.
    Serves,
    /// An earlier goal, direction or measure taken up by a later one.
    ContinuedBy,
    /// A goal or plan reviewed in a document (such as a KPI review).
    ReviewedIn,
}

impl RelationType {
    pub const ALL: [RelationType; 4] = [
        RelationType::Implements,
        RelationType::Serves,
        RelationType::ContinuedBy,
        RelationType::ReviewedIn,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RelationType::Implements => "implements",
            RelationType::Serves => "serves",
            RelationType::ContinuedBy => "continued-by",
            RelationType::ReviewedIn => "reviewed-in",
        }
    }
}

/// The basis of a relation: exactly one of a seed line or an editorial reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis<'a> {
    Source(&'a SourceRef),
    Editorial(&'a str),
}

/// One relation as written in front matter:
///
/// ```toml
/// [[relations]]
/// type = "serves"
/// to = "goal/plan2-goal-01"
/// source = "004_208b96f187c3fabc.txt#L27"   # or: editorial = "one-line reason"
/// ```
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    #[serde(rename = "type")]
    pub rel: RelationType,
    /// The other end, as `kind/id`.
    pub to: String,
    /// A seed line that states the relation.
    pub source: Option<SourceRef>,
    /// Or: why the editors relate the two, in one line.
    pub editorial: Option<String>,
}

/// A `kind/id` reference (`goal/plan2-goal-01`) as kind and id, or what is wrong with it.
pub fn parse_target(to: &str) -> Result<(Kind, &str), String> {
    let (k, id) = to
        .split_once('/')
        .ok_or_else(|| format!("`{to}` is not `kind/id`"))?;
    let kind = Kind::from_name(k).ok_or_else(|| format!("unknown kind `{k}` in `{to}`"))?;
    if id.is_empty() {
        return Err(format!("`{to}` has no id"));
    }
    Ok((kind, id))
}

impl Relation {
    /// The target as (kind, id), or a message saying what is wrong with `to`.
    pub fn target(&self) -> Result<(Kind, &str), String> {
        parse_target(&self.to).map_err(|m| format!("relation target {m}"))
    }

    /// The basis, or a message when there is none, both, or an empty reason.
    pub fn basis(&self) -> Result<Basis<'_>, String> {
        match (&self.source, &self.editorial) {
            (Some(s), None) => Ok(Basis::Source(s)),
            (None, Some(e)) if e.trim().is_empty() => {
                Err("an editorial relation needs a reason: `editorial` is empty".into())
            }
            (None, Some(e)) if e.contains('\n') => {
                Err("the editorial reason must be one line".into())
            }
            (None, Some(e)) => Ok(Basis::Editorial(e)),
            (Some(_), Some(_)) => Err(
                "a relation has one basis: a `source` line or an `editorial` reason, not both"
                    .into(),
            ),
            (None, None) => Err(
                "a relation needs a basis: a `source` line that states it, or `editorial` with a reason"
                    .into(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(t: &str) -> Relation {
        toml::from_str(t).unwrap()
    }

    #[test]
    fn basis_is_exactly_one_of_source_or_reason() {
        let ok = rel("type = \"serves\"\nto = \"goal/g1\"\nsource = \"a.txt#L3\"");
        assert!(matches!(ok.basis(), Ok(Basis::Source(_))));
        assert_eq!(ok.target().unwrap(), (Kind::Goal, "g1"));
        let ed = rel("type = \"continued-by\"\nto = \"pillar/p\"\neditorial = \"同じ課題を扱う\"");
        assert_eq!(ed.basis().unwrap(), Basis::Editorial("同じ課題を扱う"));
        assert!(rel("type = \"serves\"\nto = \"goal/g1\"").basis().is_err());
        assert!(
            rel("type = \"serves\"\nto = \"goal/g1\"\neditorial = \" \"")
                .basis()
                .is_err()
        );
        assert!(rel(
            "type = \"serves\"\nto = \"goal/g1\"\neditorial = \"x\"\nsource = \"a.txt#L1\""
        )
        .basis()
        .is_err());
        assert!(
            rel("type = \"serves\"\nto = \"gaol/g1\"\neditorial = \"x\"")
                .target()
                .is_err()
        );
    }
}
