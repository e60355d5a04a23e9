//! Plan comparison pages: an earlier plan's goals or measures, grouped by its basic policies,
//! each with its review outcome and where it continues in a later plan (or that it does not),
//! and what the later plan adds. A page is made for each pair of plans that some relation
//! `continued-by` connects item to item.

use super::context::Cx;
use super::kpi_text;
use super::lineage::{goals_of_pillar, plan_of, related_from};
use super::links::EntityLink;
use super::page::{Crumb, Page};
use super::relations::RelatedItem;
use crate::content::relation::RelationType;
use crate::content::{Entry, Plan};
use crate::diag::Diagnostic;
use crate::format::number::with_unit;
use crate::registry::Kind;
use crate::site::graph::NodeId;
use serde::Serialize;
use std::collections::BTreeSet;

/// Two plans compared: the earlier and the later.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub from: NodeId,
    pub to: NodeId,
}

impl Pair {
    pub fn path(&self, cx: &Cx<'_>) -> String {
        let (a, b) = (cx.site.entry(self.from), cx.site.entry(self.to));
        format!("compare/{}-{}/index.html", a.slug(), b.slug())
    }
}

/// Every pair of plans that an item-to-item `continued-by` relation connects.
pub fn pairs(cx: &Cx<'_>) -> Vec<Pair> {
    let site = cx.site;
    let mut out: BTreeSet<Pair> = BTreeSet::new();
    for (i, e) in site.entries.iter().enumerate() {
        if e.kind() == Kind::Plan {
            continue;
        }
        let n = NodeId(i as u32);
        for to in related_from(site, n, RelationType::ContinuedBy) {
            let (Some(a), Some(b)) = (plan_of(site, n), plan_of(site, to)) else {
                continue;
            };
            if a != b {
                if let (Some(from), Some(to)) =
                    (site.node(Kind::Plan, &a), site.node(Kind::Plan, &b))
                {
                    out.insert(Pair { from, to });
                }
            }
        }
    }
    out.into_iter().collect()
}

#[derive(Serialize)]
struct LastFigure {
    link: EntityLink,
    /// The last figure's year (for `<time>`), its period as shown, and its value.
    year: i32,
    period: String,
    value: String,
    summary: String,
}

#[derive(Serialize)]
struct Row {
    item: EntityLink,
    /// The KPIs of a goal with their last figure (its review outcome).
    review: Vec<LastFigure>,
    continued: Vec<RelatedItem>,
}

#[derive(Serialize)]
struct Group {
    pillar: Option<EntityLink>,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Counts {
    items: usize,
    continued: usize,
    not_continued: usize,
    new: usize,
}

#[derive(Serialize)]
struct Comparison {
    description: String,
    from: EntityLink,
    to: EntityLink,
    counts: Counts,
    groups: Vec<Group>,
    new_items: Vec<EntityLink>,
}

/// The earlier plan's items: its goals and its measures.
fn items_of(cx: &Cx<'_>, plan: &str) -> Vec<NodeId> {
    let site = cx.site;
    (0..site.entries.len() as u32)
        .map(NodeId)
        .filter(|n| matches!(site.entry(*n).kind(), Kind::Goal | Kind::Policy))
        .filter(|n| plan_of(site, *n).as_deref() == Some(plan))
        .collect()
}

/// The pillars an item of the earlier plan is grouped under.
fn pillars_of_item(cx: &Cx<'_>, n: NodeId, plan: &str) -> Vec<NodeId> {
    let site = cx.site;
    let mut v: Vec<NodeId> = site
        .corpus
        .pillars
        .iter()
        .filter(|p| p.data.plan == plan)
        .filter_map(|p| site.node(Kind::Pillar, &p.id))
        .filter(|p| {
            goals_of_pillar(site, *p).contains(&n)
                || site
                    .get::<crate::content::Policy>(site.entry(n).id())
                    .is_some_and(|pol| pol.data.pillars.iter().any(|x| x == site.entry(*p).id()))
        })
        .collect();
    v.sort();
    v.truncate(1);
    v
}

fn review(cx: &Cx<'_>, n: NodeId, root: &str) -> Vec<LastFigure> {
    let site = cx.site;
    if site.entry(n).kind() != Kind::Goal {
        return Vec::new();
    }
    let goal = site.entry(n).id();
    site.corpus
        .kpis
        .iter()
        .filter(|k| k.data.goal.as_deref() == Some(goal))
        .filter_map(|k| {
            let last = k.data.sorted_points().last().copied()?;
            Some(LastFigure {
                link: cx.links.entity(Kind::Kpi, &k.id, root)?,
                year: last.year,
                period: format!("{}{}", last.year, k.data.period.suffix()),
                value: with_unit(last.value, &k.data.unit),
                summary: kpi_text::summary_text(&k.data, cx.strings),
            })
        })
        .collect()
}

fn continued(cx: &Cx<'_>, n: NodeId, to_plan: &str, root: &str) -> Vec<RelatedItem> {
    let site = cx.site;
    site.relations_out(n)
        .into_iter()
        .filter(|(to, r)| {
            r.rel == RelationType::ContinuedBy && plan_of(site, *to).as_deref() == Some(to_plan)
        })
        .map(|(to, r)| super::relations::item(cx, to, r, root))
        .collect()
}

/// What the later plan has that nothing of the earlier one continues into.
fn new_items(cx: &Cx<'_>, pair: &Pair, targets: &BTreeSet<NodeId>, root: &str) -> Vec<EntityLink> {
    let site = cx.site;
    let to_plan = site.entry(pair.to).id();
    let mut v: Vec<NodeId> = (0..site.entries.len() as u32)
        .map(NodeId)
        .filter(|n| {
            matches!(
                site.entry(*n).kind(),
                Kind::Pillar | Kind::Policy | Kind::Kpi
            )
        })
        .filter(|n| plan_of(site, *n).as_deref() == Some(to_plan))
        .filter(|n| !targets.contains(n))
        .collect();
    v.sort();
    v.into_iter().map(|n| cx.links.node(n, root)).collect()
}

pub fn page(cx: &Cx<'_>, pair: &Pair) -> Result<Page, Diagnostic> {
    let site = cx.site;
    let path = pair.path(cx);
    let root = super::page::root_of(&path);
    let root = root.as_str();
    let (from_plan, to_plan) = (site.entry(pair.from).id(), site.entry(pair.to).id());
    let items = items_of(cx, from_plan);
    let mut groups: Vec<Group> = Vec::new();
    let mut counts = Counts {
        items: items.len(),
        continued: 0,
        not_continued: 0,
        new: 0,
    };
    let mut targets = BTreeSet::new();
    for n in &items {
        let c = continued(cx, *n, to_plan, root);
        targets.extend(
            related_from(site, *n, RelationType::ContinuedBy)
                .into_iter()
                .filter(|t| plan_of(site, *t).as_deref() == Some(to_plan)),
        );
        if c.is_empty() {
            counts.not_continued += 1;
        } else {
            counts.continued += 1;
        }
        let pillar = pillars_of_item(cx, *n, from_plan).first().copied();
        let pillar_link = pillar.map(|p| cx.links.node(p, root));
        let row = Row {
            item: cx.links.node(*n, root),
            review: review(cx, *n, root),
            continued: c,
        };
        match groups
            .iter_mut()
            .find(|g| g.pillar.as_ref().map(|l| l.id()) == pillar_link.as_ref().map(|l| l.id()))
        {
            Some(g) => g.rows.push(row),
            None => groups.push(Group {
                pillar: pillar_link,
                rows: vec![row],
            }),
        }
    }
    // Groups in the order of the earlier plan's pillars (by label), ungrouped last.
    groups.sort_by(|a, b| {
        (
            a.pillar.is_none(),
            a.pillar.as_ref().map(|l| l.title().to_string()),
        )
            .cmp(&(
                b.pillar.is_none(),
                b.pillar.as_ref().map(|l| l.title().to_string()),
            ))
    });
    let new_items = new_items(cx, pair, &targets, root);
    counts.new = new_items.len();
    let (a, b): (&Entry<Plan>, &Entry<Plan>) = (
        site.get::<Plan>(from_plan).expect("a plan of the pair"),
        site.get::<Plan>(to_plan).expect("a plan of the pair"),
    );
    let title = cx.strings.fmt(
        "compare.title",
        &[("from", a.data.short()), ("to", b.data.short())],
    );
    let view = Comparison {
        description: cx.strings.fmt(
            "compare.description",
            &[("from", &a.data.title), ("to", &b.data.title)],
        ),
        from: cx.links.node(pair.from, root),
        to: cx.links.node(pair.to, root),
        counts,
        groups,
        new_items,
    };
    Ok(Page::new(path, "compare.html", title, &view)?
        .description(view.description.clone())
        .crumbs(vec![Crumb::new(cx.t("crumb.plans"), "plans/index.html")]))
}
