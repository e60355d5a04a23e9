//! Who funds what: ministries as rows, the basic policies of a plan as columns, in each cell
//! the programmes with their budget lines and the cell's totals by fiscal year and stage
//! (initial, supplementary and requested budgets never added together, a fund's 内数 never
//! added at all); and for each ministry a chart of its budgets by year and stage.

use super::context::{Cx, When};
use super::lineage::pillars_served;
use super::links::EntityLink;
use super::lists::ListPage;
use super::page::Page;
use super::views::common::{budget_totals, sorted_plans, BudgetTotal};
use crate::content::kinds::kpi::{KpiKind, KpiPoint, KpiSeries, Measure, PeriodKind};
use crate::content::kinds::policy::BudgetStage;
use crate::content::{Entry, Policy};
use crate::diag::Diagnostic;
use crate::registry::Kind;
use crate::render::html::Html;
use crate::site::graph::NodeId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize)]
struct Line {
    fiscal_year: When,
    stage: String,
    label: String,
    amount: String,
    within: Option<String>,
}

#[derive(Serialize)]
struct Programme {
    link: EntityLink,
    lines: Vec<Line>,
}

#[derive(Serialize)]
struct Cell {
    programmes: Vec<Programme>,
    totals: Vec<BudgetTotal>,
}

#[derive(Serialize)]
struct Row {
    org: EntityLink,
    cells: Vec<Cell>,
    chart: Html,
}

#[derive(Serialize)]
struct Matrix {
    description: String,
    plan: Option<EntityLink>,
    columns: Vec<Option<EntityLink>>,
    rows: Vec<Row>,
}

/// The plan whose basic policies the most budgeted programmes serve.
fn column_plan(cx: &Cx<'_>, budgeted: &[NodeId]) -> Option<String> {
    sorted_plans(cx)
        .iter()
        .map(|p| {
            let n = budgeted
                .iter()
                .filter(|b| !pillars_served(cx.site, **b, &p.id).is_empty())
                .count();
            (n, p.id.clone())
        })
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, id)| (*n, std::cmp::Reverse(id.clone())))
        .map(|(_, id)| id)
}

fn programme(cx: &Cx<'_>, p: &Entry<Policy>, root: &str) -> Option<Programme> {
    Some(Programme {
        link: cx.links.entity(Kind::Policy, &p.id, root)?,
        lines: p
            .data
            .budgets
            .iter()
            .map(|b| Line {
                fiscal_year: cx.fiscal_year(b.fiscal_year),
                stage: cx.t(b.stage().key()).to_string(),
                label: b.label.clone(),
                amount: b.amount.clone(),
                within: b.within.clone(),
            })
            .collect(),
    })
}

/// A grouped bar chart of an organisation's budgets: a series per stage, in 億円.
fn budget_chart(cx: &Cx<'_>, org: &str, policies: &[&Entry<Policy>]) -> String {
    let mut by_stage: BTreeMap<BudgetStage, BTreeMap<i32, f64>> = BTreeMap::new();
    for b in policies.iter().flat_map(|p| p.data.budgets.iter()) {
        if let Some(yen) = b.countable() {
            *by_stage
                .entry(b.stage())
                .or_default()
                .entry(b.fiscal_year)
                .or_default() += yen / 1e8;
        }
    }
    let series: Vec<KpiSeries> = by_stage
        .into_iter()
        .map(|(stage, years)| KpiSeries {
            title: cx.t(stage.key()).to_string(),
            kind: KpiKind::Kpi,
            unit: "億円".into(),
            period: PeriodKind::FiscalYear,
            measure: Measure::Outcome,
            goal: None,
            plan: None,
            group: None,
            chart: None,
            description: None,
            points: years
                .into_iter()
                .map(|(year, value)| KpiPoint {
                    year,
                    value: (value * 10.0).round() / 10.0,
                    label: None,
                    approx: false,
                    note: None,
                    inferred: None,
                    source: None,
                })
                .collect(),
            target: None,
            relations: Vec::new(),
            source: Vec::new(),
            slug: None,
            aliases: Vec::new(),
            updated: None,
        })
        .collect();
    let refs: Vec<&KpiSeries> = series.iter().collect();
    super::chart::chart(&refs, &format!("fund-{org}"), cx.strings)
}

pub fn page(cx: &Cx<'_>, root: &str) -> Result<Page, Diagnostic> {
    let site = cx.site;
    let budgeted: Vec<&Entry<Policy>> = site
        .corpus
        .policies
        .iter()
        .filter(|p| !p.data.budgets.is_empty())
        .map(|p| &**p)
        .collect();
    let nodes: Vec<NodeId> = budgeted
        .iter()
        .filter_map(|p| site.node(Kind::Policy, &p.id))
        .collect();
    let plan = column_plan(cx, &nodes);
    let pillars: Vec<NodeId> = match &plan {
        Some(plan) => super::views::common::child_pillars(cx, Some(plan), None)
            .iter()
            .filter_map(|p| site.node(Kind::Pillar, &p.id))
            .collect(),
        None => Vec::new(),
    };
    // Organisations that run a budgeted programme (the first organisation of its page).
    let orgs: BTreeSet<&str> = budgeted
        .iter()
        .filter_map(|p| p.data.organisations.first().map(String::as_str))
        .collect();
    let mut orgs: Vec<&Entry<crate::content::Organisation>> = orgs
        .into_iter()
        .filter_map(|o| site.get::<crate::content::Organisation>(o))
        .collect();
    orgs.sort_by(|a, b| a.data.name.cmp(&b.data.name));
    let rows = orgs
        .iter()
        .map(|o| row(cx, o, &pillars, plan.as_deref(), root))
        .collect();
    let mut columns: Vec<Option<EntityLink>> = pillars
        .iter()
        .map(|p| Some(cx.links.node(*p, root)))
        .collect();
    columns.push(None);
    let view = Matrix {
        description: cx.t("list.funding_description").to_string(),
        plan: plan
            .as_deref()
            .and_then(|p| cx.links.entity(Kind::Plan, p, root)),
        columns,
        rows,
    };
    ListPage::Funding.single(
        "funding.html",
        cx.t("list.funding"),
        &view,
        view.description.clone(),
    )
}

/// An organisation's row: its budgeted programmes under each pillar they serve, then those
/// that serve none, and its chart.
fn row(
    cx: &Cx<'_>,
    org: &Entry<crate::content::Organisation>,
    pillars: &[NodeId],
    plan: Option<&str>,
    root: &str,
) -> Row {
    let site = cx.site;
    let own: Vec<&Entry<Policy>> = site
        .corpus
        .policies_led_by(&org.id)
        .filter(|p| !p.data.budgets.is_empty())
        .collect();
    // The pillars each programme serves, found once for all the cells.
    let served: Vec<(&Entry<Policy>, BTreeSet<NodeId>)> = own
        .iter()
        .map(|p| {
            let pillars = site
                .node(Kind::Policy, &p.id)
                .map(|n| pillars_served(site, n, plan.unwrap_or("")))
                .unwrap_or_default();
            (*p, pillars)
        })
        .collect();
    let mut cells: Vec<Cell> = pillars
        .iter()
        .map(|pillar| {
            let in_cell: Vec<&Entry<Policy>> = served
                .iter()
                .filter(|(_, s)| s.contains(pillar))
                .map(|(p, _)| *p)
                .collect();
            cell(cx, &in_cell, root)
        })
        .collect();
    let unplaced: Vec<&Entry<Policy>> = served
        .iter()
        .filter(|(_, s)| s.is_empty())
        .map(|(p, _)| *p)
        .collect();
    cells.push(cell(cx, &unplaced, root));
    Row {
        org: cx
            .links
            .entity(Kind::Organisation, &org.id, root)
            .expect("an organisation of the site has a page"),
        cells,
        chart: budget_chart(cx, &org.id, &own).into(),
    }
}

fn cell(cx: &Cx<'_>, policies: &[&Entry<Policy>], root: &str) -> Cell {
    Cell {
        programmes: policies
            .iter()
            .filter_map(|p| programme(cx, p, root))
            .collect(),
        totals: budget_totals(cx, policies.iter().flat_map(|p| p.data.budgets.iter())),
    }
}
