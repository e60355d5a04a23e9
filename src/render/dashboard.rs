//! The KPI dashboard: every series as a sparkline card, grouped by plan and goal.

use super::context::Cx;
use super::kpi_text::summary_text;
use super::links::EntityLink;
use super::lists::ListPage;
use super::page::Page;
use super::views::common::sorted_plans;
use crate::content::kinds::kpi::KpiKind;
use crate::content::{Entry, KpiSeries};
use crate::diag::Diagnostic;
use crate::registry::Kind;
use crate::render::html::Html;
use serde::Serialize;

#[derive(Serialize)]
struct Card {
    link: Option<EntityLink>,
    svg: Html,
    summary: String,
    kind: &'static str,
    /// 回答数 for a series of survey answer counts.
    measure: Option<String>,
}

#[derive(Serialize)]
struct Group {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    cards: Vec<Card>,
}

#[derive(Serialize)]
struct Dashboard<'a> {
    description: &'a str,
    groups: Vec<Group>,
}

fn card(cx: &Cx<'_>, k: &Entry<KpiSeries>, root: &str) -> Card {
    Card {
        link: cx.links.entity(Kind::Kpi, &k.id, root),
        svg: super::chart::sparkline(&k.data, cx.strings).into(),
        summary: summary_text(&k.data, cx.strings),
        kind: match k.data.kind {
            KpiKind::Kpi => "KPI",
            KpiKind::Kgi => "KGI",
        },
        measure: (k.data.measure == crate::content::kinds::kpi::Measure::SurveyResponses)
            .then(|| cx.t("kpi.survey_badge").to_string()),
    }
}

pub fn page(cx: &Cx<'_>, root: &str) -> Result<Page, Diagnostic> {
    let kpis = &cx.site.corpus.kpis;
    let mut groups = Vec::new();
    for plan in sorted_plans(cx) {
        let kgis: Vec<Card> = kpis
            .iter()
            .filter(|k| k.data.plan.as_deref() == Some(plan.id.as_str()) && k.data.goal.is_none())
            .map(|k| card(cx, k, root))
            .collect();
        if !kgis.is_empty() {
            groups.push(Group {
                title: plan.data.title.clone(),
                url: cx
                    .links
                    .entity(Kind::Plan, &plan.id, root)
                    .map(|l| l.url().to_string()),
                cards: kgis,
            });
        }
        let goals = super::views::common::goals_of_plan(cx, &plan.id);
        for g in goals {
            let cards: Vec<Card> = kpis
                .iter()
                .filter(|k| k.data.goal.as_deref() == Some(g.id.as_str()))
                .map(|k| card(cx, k, root))
                .collect();
            if !cards.is_empty() {
                groups.push(Group {
                    title: cx.strings.fmt(
                        "list.kpis_goal_group",
                        &[
                            ("plan", plan.data.short()),
                            ("number", &g.data.number.to_string()),
                            ("title", &g.data.title),
                        ],
                    ),
                    url: cx
                        .links
                        .entity(Kind::Goal, &g.id, root)
                        .map(|l| l.url().to_string()),
                    cards,
                });
            }
        }
    }
    let rest: Vec<Card> = kpis
        .iter()
        .filter(|k| k.data.goal.is_none() && k.data.plan.is_none())
        .map(|k| card(cx, k, root))
        .collect();
    if !rest.is_empty() {
        groups.push(Group {
            title: cx.t("list.kpis_other").into(),
            url: None,
            cards: rest,
        });
    }
    let view = Dashboard {
        description: cx.t("list.kpis_description"),
        groups,
    };
    ListPage::Kpis.single("dashboard.html", cx.t("list.kpis"), &view, view.description)
}
