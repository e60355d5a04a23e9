//! Questions across the layers of the plans, asked of the model: which goals a basic policy
//! has, which programmes serve a goal, what an earlier plan's item continues as. Each answer
//! follows both the structural fields (`pillars`, `goals`) and the relations with a basis.

use crate::content::relation::RelationType;
use crate::registry::Kind;
use crate::site::graph::NodeId;
use crate::site::Site;
use std::collections::BTreeSet;

/// Nodes that state a relation of type `rel` to `n`.
pub fn related_to(site: &Site<'_>, n: NodeId, rel: RelationType) -> BTreeSet<NodeId> {
    site.relations_in[n.index()]
        .iter()
        .filter(|(from, k)| site.entry(*from).relations()[*k].rel == rel)
        .map(|(from, _)| *from)
        .collect()
}

/// The entities of `kind` that serve `n` by a `serves` relation.
fn servers_of_kind<'a>(
    site: &'a Site<'_>,
    n: NodeId,
    kind: Kind,
) -> impl Iterator<Item = NodeId> + 'a {
    related_to(site, n, RelationType::Serves)
        .into_iter()
        .filter(move |m| site.entry(*m).kind() == kind)
}

/// Nodes that `n` relates to with type `rel`.
pub fn related_from(site: &Site<'_>, n: NodeId, rel: RelationType) -> BTreeSet<NodeId> {
    site.relations_out(n)
        .into_iter()
        .filter(|(_, r)| r.rel == rel)
        .map(|(to, _)| to)
        .collect()
}

/// The goals under a pillar: by their `pillars` field or a `serves` relation.
pub fn goals_of_pillar(site: &Site<'_>, pillar: NodeId) -> BTreeSet<NodeId> {
    let id = site.entry(pillar).id();
    let mut out: BTreeSet<NodeId> = site
        .corpus
        .goals
        .iter()
        .filter(|g| g.data.pillars.iter().any(|p| p == id))
        .filter_map(|g| site.node(Kind::Goal, &g.id))
        .collect();
    out.extend(servers_of_kind(site, pillar, Kind::Goal));
    out
}

/// The policies that serve a goal or pillar: by their `goals` / `pillars` field or a `serves`
/// relation.
pub fn policies_serving(site: &Site<'_>, target: NodeId) -> BTreeSet<NodeId> {
    let e = site.entry(target);
    let (kind, id) = (e.kind(), e.id());
    let naming: Vec<&crate::content::Entry<crate::content::Policy>> = match kind {
        Kind::Goal => site.corpus.policies_of_goal(id).collect(),
        Kind::Pillar => site.corpus.policies_of_pillar(id).collect(),
        _ => Vec::new(),
    };
    let mut out: BTreeSet<NodeId> = naming
        .into_iter()
        .filter_map(|p| site.node(Kind::Policy, &p.id))
        .collect();
    out.extend(servers_of_kind(site, target, Kind::Policy));
    out
}

/// The entities of `kind` named by `ids`, then those of `served` of that kind.
fn linked<'a>(
    site: &'a Site<'_>,
    ids: &'a [String],
    served: &'a BTreeSet<NodeId>,
    kind: Kind,
) -> impl Iterator<Item = NodeId> + 'a {
    ids.iter().filter_map(move |id| site.node(kind, id)).chain(
        served
            .iter()
            .copied()
            .filter(move |n| site.entry(*n).kind() == kind),
    )
}

/// The pillars of a plan a policy serves: directly, or through a goal it serves.
pub fn pillars_served(site: &Site<'_>, policy: NodeId, plan: &str) -> BTreeSet<NodeId> {
    let in_plan = |n: &NodeId| {
        site.get::<crate::content::Pillar>(site.entry(*n).id())
            .is_some_and(|p| p.data.plan == plan && site.entry(*n).kind() == Kind::Pillar)
    };
    let mut out: BTreeSet<NodeId> = BTreeSet::new();
    let Some(p) = site.get::<crate::content::Policy>(site.entry(policy).id()) else {
        return out;
    };
    let served = related_from(site, policy, RelationType::Serves);
    out.extend(linked(site, &p.data.pillars, &served, Kind::Pillar).filter(in_plan));
    let goals = linked(site, &p.data.goals, &served, Kind::Goal);
    for g in goals {
        for pillar in site
            .graph
            .outgoing(g)
            .iter()
            .chain(related_from(site, g, RelationType::Serves).iter())
        {
            if site.entry(*pillar).kind() == Kind::Pillar && in_plan(pillar) {
                out.insert(*pillar);
            }
        }
    }
    out
}

/// The plan an entity belongs to, when it has one.
pub fn plan_of(site: &Site<'_>, n: NodeId) -> Option<String> {
    let e = site.entry(n);
    let id = e.id();
    match e.kind() {
        Kind::Plan => Some(id.to_string()),
        Kind::Pillar => site
            .get::<crate::content::Pillar>(id)
            .map(|p| p.data.plan.clone()),
        Kind::Goal => site
            .get::<crate::content::Goal>(id)
            .map(|g| g.data.plan.clone()),
        Kind::Policy => {
            let p = site.get::<crate::content::Policy>(id)?;
            p.data.plan.clone().or_else(|| {
                p.data
                    .pillars
                    .first()
                    .and_then(|pl| site.get::<crate::content::Pillar>(pl))
                    .map(|pl| pl.data.plan.clone())
            })
        }
        Kind::Kpi => {
            let k = site.get::<crate::content::KpiSeries>(id)?;
            k.data.plan.clone().or_else(|| {
                k.data
                    .goal
                    .as_deref()
                    .and_then(|g| site.get::<crate::content::Goal>(g))
                    .map(|g| g.data.plan.clone())
            })
        }
        _ => None,
    }
}
