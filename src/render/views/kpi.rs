//! The page of a KPI series: its chart (with the rest of its group), the data table, the
//! numbers summed up, targets and the gap to them, data downloads, siblings and backlinks.

use super::common::{backlinks, BacklinkGroup};
use super::View;
use crate::content::kinds::kpi::KpiKind;
use crate::content::{Entry, KpiSeries};
use crate::format::number::{figure, percent, trim_decimals, with_unit};
use crate::registry::Kind;
use crate::render::chart;
use crate::render::context::{Cx, When};
use crate::render::html::Html;
use crate::render::kpi_text::summary_text;
use crate::render::links::{EntityLink, SourceLink};
use serde::Serialize;

#[derive(Serialize)]
pub struct Row<'a> {
    year: i32,
    /// The year or fiscal year in the site's style, with its value for `<time>`.
    period: When,
    label: Option<&'a str>,
    value: String,
    raw: f64,
    note: Option<&'a str>,
    /// How the year was worked out, when the seed does not state it.
    inferred: Option<&'a str>,
    source: Option<SourceLink>,
}

#[derive(Serialize)]
pub struct TargetView {
    year: i32,
    /// The target's year as written in tables (2040年度), with its value for `<time>`.
    when: When,
    value: String,
    source: Option<SourceLink>,
}

#[derive(Serialize)]
pub struct Summary {
    text: String,
    /// The change from the first to the last figure: none for one figure or survey counts.
    change: Option<String>,
    ratio: Option<String>,
    gap: Option<String>,
    required_growth: Option<String>,
    target_year: Option<i32>,
    target: Option<String>,
    first: String,
    last: String,
}

#[derive(Serialize)]
pub struct KpiView<'a> {
    id: &'a str,
    description: String,
    kpi_kind: &'static str,
    series_description: Option<&'a str>,
    unit: &'a str,
    period: &'static str,
    svg: Html,
    rows: Vec<Row<'a>>,
    target: Option<TargetView>,
    summary: Option<Summary>,
    goal: Option<EntityLink>,
    plan: Option<EntityLink>,
    siblings: Vec<EntityLink>,
    sources: Vec<SourceLink>,
    backlinks: Vec<BacklinkGroup>,
}

fn rows<'a>(s: &'a KpiSeries, cx: &Cx<'_>, root: &str) -> Vec<Row<'a>> {
    s.sorted_points()
        .into_iter()
        .map(|p| Row {
            year: p.year,
            period: cx.when(s.period.date(p.year)),
            label: p.label.as_deref(),
            value: format!(
                "{}{}",
                if p.approx { cx.t("kpi.approx") } else { "" },
                figure(p.value)
            ),
            raw: p.value,
            note: p.note.as_deref(),
            inferred: p.inferred.as_deref(),
            source: p.source.as_ref().map(|r| cx.links.source(r, root)),
        })
        .collect()
}

fn summary(d: &KpiSeries, cx: &Cx<'_>) -> Option<Summary> {
    let s = d.summary()?;
    let unit = &d.unit;
    let trend =
        s.first_year != s.last_year && d.measure == crate::content::kinds::kpi::Measure::Outcome;
    let suffix = d.period.suffix();
    let point = |v: f64, y: i32| {
        cx.strings.fmt(
            "kpi.point",
            &[
                ("value", &with_unit(v, unit)),
                ("year", &format!("{y}{suffix}")),
            ],
        )
    };
    Some(Summary {
        text: summary_text(d, cx.strings),
        change: trend.then(|| with_unit(s.change, unit)),
        ratio: s.ratio.filter(|_| trend).map(|r| {
            cx.strings
                .fmt("kpi.ratio", &[("ratio", &trim_decimals(r, 2))])
        }),
        gap: s.gap.map(|g| with_unit(g, unit)),
        required_growth: s.required_growth.map(percent),
        target_year: s.target_year,
        target: s.target_value.map(|v| with_unit(v, unit)),
        first: point(s.first_value, s.first_year),
        last: point(s.last_value, s.last_year),
    })
}

impl View for KpiSeries {
    type Data<'a> = KpiView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> KpiView<'a> {
        let d = &e.data;
        let group_ids = d.group.as_deref().and_then(|g| cx.kpi_groups.get(g));
        let group: Vec<&KpiSeries> = match group_ids {
            Some(ids) if ids.len() > 1 => ids
                .iter()
                .filter_map(|id| cx.site.get::<KpiSeries>(id))
                .map(|k| &k.data)
                .collect(),
            _ => vec![d],
        };
        let siblings = group_ids
            .map(|ids| {
                ids.iter()
                    .filter(|i| **i != e.id)
                    .filter_map(|i| cx.links.entity(Kind::Kpi, i, root))
                    .collect()
            })
            .unwrap_or_default();
        KpiView {
            id: &e.id,
            description: Self::description(e, cx),
            kpi_kind: match d.kind {
                KpiKind::Kpi => "KPI",
                KpiKind::Kgi => "KGI",
            },
            series_description: d.description.as_deref(),
            unit: &d.unit,
            period: d.period.suffix(),
            svg: chart::chart(&group, &format!("c-{}", e.slug), cx.strings).into(),
            rows: rows(d, cx, root),
            target: d.target.as_ref().map(|t| TargetView {
                year: t.year,
                when: When {
                    iso: format!("{:04}", t.year),
                    display: format!("{}{}", t.year, d.period.suffix()),
                },
                value: with_unit(t.value, &d.unit),
                source: t.source.as_ref().map(|r| cx.links.source(r, root)),
            }),
            summary: summary(d, cx),
            goal: d
                .goal
                .as_deref()
                .and_then(|g| cx.links.entity(Kind::Goal, g, root)),
            plan: d
                .plan
                .as_deref()
                .and_then(|p| cx.links.entity(Kind::Plan, p, root)),
            siblings,
            sources: cx.links.sources(&d.source, root),
            backlinks: backlinks(cx, Kind::Kpi, &e.id, root, &[Kind::Document]),
        }
    }

    fn description(e: &Entry<Self>, cx: &Cx<'_>) -> String {
        e.data
            .description
            .clone()
            .unwrap_or_else(|| summary_text(&e.data, cx.strings))
    }

    fn search_extra(e: &Entry<Self>, cx: &Cx<'_>) -> String {
        format!(
            "{} {}",
            e.data.description.clone().unwrap_or_default(),
            summary_text(&e.data, cx.strings)
        )
    }
}
