//! The page of a plan: status and date, documents, its pillars and goals, KGIs, backlinks.

use super::common::{backlinks, kpi_card, pillar_tree, BacklinkGroup, KpiCard, TreeNode};
use super::View;
use crate::content::{Entry, Plan};
use crate::registry::Kind;
use crate::render::context::{Cx, DateView};
use crate::render::html::Html;
use crate::render::links::{EntityLink, SourceLink};
use serde::Serialize;

#[derive(Serialize)]
pub struct GoalItem {
    number: u32,
    link: Option<EntityLink>,
}

#[derive(Serialize)]
pub struct ComparisonLink {
    title: String,
    url: String,
}

#[derive(Serialize)]
pub struct PlanView<'a> {
    /// Comparison pages with another plan.
    comparisons: Vec<ComparisonLink>,
    /// The plan's map.
    map_url: String,
    id: &'a str,
    description: &'a str,
    short_title: Option<&'a str>,
    status: Option<&'a str>,
    date: Option<DateView<'a>>,
    documents: Vec<EntityLink>,
    pillars: Vec<TreeNode>,
    goals: Vec<GoalItem>,
    kgis: Vec<KpiCard>,
    sources: Vec<SourceLink>,
    body: Html,
    backlinks: Vec<BacklinkGroup>,
}

impl View for Plan {
    type Data<'a> = PlanView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> PlanView<'a> {
        let d = &e.data;
        let goals = super::common::goals_of_plan(cx, &e.id);
        let me = cx.site.node(Kind::Plan, &e.id);
        let comparisons = cx
            .comparisons
            .iter()
            .filter(|p| Some(p.from) == me || Some(p.to) == me)
            .map(|p| {
                let (a, b) = (cx.site.entry(p.from), cx.site.entry(p.to));
                ComparisonLink {
                    title: format!("{} → {}", a.title(), b.title()),
                    url: format!("{root}{}", p.path(cx)),
                }
            })
            .collect();
        PlanView {
            map_url: format!("{root}{}", crate::render::plan_map::path(e)),
            comparisons,
            id: &e.id,
            description: &d.title,
            short_title: d.short_title.as_deref(),
            status: d.status.as_deref(),
            date: cx.date(d.date.as_deref()),
            documents: cx.links.entities(Kind::Document, &d.documents, root),
            pillars: pillar_tree(cx, &e.id, root),
            goals: goals
                .iter()
                .map(|g| GoalItem {
                    number: g.data.number,
                    link: cx.links.entity(Kind::Goal, &g.id, root),
                })
                .collect(),
            kgis: cx
                .site
                .corpus
                .kpis
                .iter()
                .filter(|k| k.data.plan.as_deref() == Some(e.id.as_str()))
                .filter_map(|k| kpi_card(cx, &k.id, root, false))
                .collect(),
            sources: cx.links.sources(&d.source, root),
            body: cx.body_html(Kind::Plan, &e.id),
            backlinks: backlinks(
                cx,
                Kind::Plan,
                &e.id,
                root,
                &[Kind::Document, Kind::Pillar, Kind::Goal],
            ),
        }
    }

    fn description(e: &Entry<Self>, _cx: &Cx<'_>) -> String {
        e.data.title.clone()
    }
}
