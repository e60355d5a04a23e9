//! The page of a goal: KPI definitions, implementer, KPI charts, the review text, backlinks.

use super::common::{backlinks, kpi_card, BacklinkGroup, KpiCard};
use super::View;
use crate::content::{Entity, Entry, Goal};
use crate::registry::Kind;
use crate::render::context::Cx;
use crate::render::html::Html;
use crate::render::links::{EntityLink, SourceLink};
use serde::Serialize;

#[derive(Serialize)]
pub struct GoalView<'a> {
    id: &'a str,
    number: u32,
    goal_title: &'a str,
    description: String,
    plan: Option<EntityLink>,
    pillars: Vec<EntityLink>,
    kpi_definitions: &'a [String],
    implementer: Option<&'a str>,
    organisations: Vec<EntityLink>,
    kpis: Vec<KpiCard>,
    sources: Vec<SourceLink>,
    body: Html,
    backlinks: Vec<BacklinkGroup>,
}

impl View for Goal {
    type Data<'a> = GoalView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> GoalView<'a> {
        let d = &e.data;
        let kpis = cx
            .site
            .corpus
            .kpis
            .iter()
            .filter(|k| k.data.goal.as_deref() == Some(e.id.as_str()))
            .filter_map(|k| kpi_card(cx, &k.id, root, false))
            .collect();
        GoalView {
            id: &e.id,
            number: d.number,
            goal_title: &d.title,
            description: Self::description(e, cx),
            plan: cx.links.entity(Kind::Plan, &d.plan, root),
            pillars: cx.links.entities(Kind::Pillar, &d.pillars, root),
            kpi_definitions: &d.kpi_definitions,
            implementer: d.implementer.as_deref(),
            organisations: cx
                .links
                .entities(Kind::Organisation, &d.organisations, root),
            kpis,
            sources: cx.links.sources(&d.source, root),
            body: cx.body_html(Kind::Goal, &e.id),
            backlinks: backlinks(cx, Kind::Goal, &e.id, root, &[Kind::Document, Kind::Kpi]),
        }
    }

    fn description(e: &Entry<Self>, _cx: &Cx<'_>) -> String {
        e.data.display_title()
    }
}
