//! Relations between layers as a page shows them: grouped by what they say and from which
//! side, those that a seed line states (with a link to the line) apart from editorial ones
//! (with their reason, under 編集上の対応付け).

use super::context::Cx;
use super::links::{EntityLink, SourceLink};
use crate::content::relation::{Basis, Relation, RelationType};
use crate::site::graph::NodeId;
use serde::Serialize;

/// One related page and the basis of the relation.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedItem {
    pub link: EntityLink,
    /// The seed line that states the relation.
    pub source: Option<SourceLink>,
    /// Or the editors' reason.
    pub reason: Option<String>,
}

/// The relations of one type, seen from one side.
#[derive(Debug, Clone, Serialize)]
pub struct RelationGroup {
    pub rel: &'static str,
    /// `out` (this page states it) or `in` (another page does).
    pub direction: &'static str,
    pub heading: String,
    pub sourced: Vec<RelatedItem>,
    pub editorial: Vec<RelatedItem>,
}

/// A related entity with the basis of the relation: its source line, or the editor's reason.
pub(super) fn item(cx: &Cx<'_>, other: NodeId, r: &Relation, root: &str) -> RelatedItem {
    let (source, reason) = match r.basis() {
        Ok(Basis::Source(s)) => (Some(cx.links.source(s, root)), None),
        Ok(Basis::Editorial(e)) => (None, Some(e.to_string())),
        Err(_) => (None, None),
    };
    RelatedItem {
        link: cx.links.node(other, root),
        source,
        reason,
    }
}

/// Every relation of node `n`: those it states, then those stated about it, by type.
pub fn relations(cx: &Cx<'_>, n: NodeId, root: &str) -> Vec<RelationGroup> {
    let site = cx.site;
    let out: Vec<(NodeId, &Relation)> = site.relations_out(n);
    let incoming: Vec<(NodeId, &Relation)> = site.relations_in[n.index()]
        .iter()
        .map(|(from, k)| (*from, &site.entry(*from).relations()[*k]))
        .collect();
    let mut groups = Vec::new();
    for (direction, list) in [("out", &out), ("in", &incoming)] {
        for rel in RelationType::ALL {
            let mut items: Vec<RelatedItem> = list
                .iter()
                .filter(|(_, r)| r.rel == rel)
                .map(|(other, r)| item(cx, *other, r, root))
                .collect();
            if items.is_empty() {
                continue;
            }
            items.sort_by(|a, b| {
                a.link
                    .title()
                    .cmp(b.link.title())
                    .then(a.link.id().cmp(b.link.id()))
            });
            let (editorial, sourced): (Vec<_>, Vec<_>) =
                items.into_iter().partition(|i| i.reason.is_some());
            groups.push(RelationGroup {
                rel: rel.name(),
                direction,
                heading: cx
                    .t(&format!("relation.{}-{direction}", rel.name()))
                    .to_string(),
                sourced,
                editorial,
            });
        }
    }
    groups
}
