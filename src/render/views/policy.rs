//! The page of a policy: facts, 論点, body, budget lines, KPIs, 再掲, terms and backlinks.

use super::common::{backlinks, first_sentence, kpi_card, BacklinkGroup, KpiCard};
use super::View;
use crate::content::{Entry, Policy};
use crate::format::amount::yen_approx;
use crate::format::number::percent;
use crate::registry::Kind;
use crate::render::context::{Cx, When};
use crate::render::html::Html;
use crate::render::links::{EntityLink, SourceLink};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Serialize)]
pub struct BudgetView<'a> {
    label: &'a str,
    stage: &'a str,
    fiscal_year: When,
    amount: &'a str,
    amount_yen: Option<String>,
    prior: Option<&'a str>,
    prior_yen: Option<String>,
    change: Option<String>,
    note: Option<&'a str>,
    within: Option<&'a str>,
    source: SourceLink,
}

#[derive(Serialize)]
pub struct RelistedView {
    pillar: Option<EntityLink>,
    source: SourceLink,
}

#[derive(Serialize)]
pub struct PolicyView<'a> {
    id: &'a str,
    description: String,
    kind_label: &'a str,
    plan: Option<EntityLink>,
    pillars: Vec<EntityLink>,
    goals: Vec<EntityLink>,
    organisations: Vec<EntityLink>,
    terms: Vec<EntityLink>,
    related: Vec<EntityLink>,
    kpis: Vec<KpiCard>,
    issue: Option<&'a str>,
    bureau: Option<&'a str>,
    implementer: Option<&'a str>,
    budgets: Vec<BudgetView<'a>>,
    relisted: Vec<RelistedView>,
    sources: Vec<SourceLink>,
    body: Html,
    backlinks: Vec<BacklinkGroup>,
}

fn signed_percent(r: f64) -> String {
    if r > 0.0 {
        format!("+{}", percent(r))
    } else {
        percent(r)
    }
}

impl View for Policy {
    type Data<'a> = PolicyView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> PolicyView<'a> {
        let d = &e.data;
        let body = cx.site.body_of(Kind::Policy, &e.id);
        let mut terms: BTreeSet<&str> = d.terms.iter().map(String::as_str).collect();
        if let Some(b) = body {
            terms.extend(b.terms.iter().map(String::as_str));
        }
        let budgets = d
            .budgets
            .iter()
            .map(|b| {
                let amount = b.amount_value();
                let prior = b.prior_value();
                BudgetView {
                    label: &b.label,
                    stage: cx.t(b.stage().key()),
                    fiscal_year: cx.fiscal_year(b.fiscal_year),
                    amount: &b.amount,
                    amount_yen: amount.as_ref().map(|a| yen_approx(a.yen)),
                    prior: b.prior.as_deref(),
                    prior_yen: prior.as_ref().map(|a| yen_approx(a.yen)),
                    change: match (&amount, &prior) {
                        (Some(a), Some(p)) if p.yen > 0.0 => {
                            Some(signed_percent(a.yen / p.yen - 1.0))
                        }
                        _ => None,
                    },
                    note: b.note.as_deref(),
                    within: b.within.as_deref(),
                    source: cx.links.source(&b.source, root),
                }
            })
            .collect();
        PolicyView {
            id: &e.id,
            description: Self::description(e, cx),
            kind_label: cx.t(d.kind.key()),
            plan: d
                .plan
                .as_deref()
                .and_then(|p| cx.links.entity(Kind::Plan, p, root)),
            pillars: cx.links.entities(Kind::Pillar, &d.pillars, root),
            goals: cx.links.entities(Kind::Goal, &d.goals, root),
            organisations: cx
                .links
                .entities(Kind::Organisation, &d.organisations, root),
            terms: cx.links.entities(Kind::Term, &terms, root),
            related: cx.links.entities(Kind::Policy, &d.related, root),
            kpis: d
                .kpis
                .iter()
                .filter_map(|k| kpi_card(cx, k, root, false))
                .collect(),
            issue: d.issue.as_deref(),
            bureau: d.bureau.as_deref(),
            implementer: d.implementer.as_deref(),
            budgets,
            relisted: d
                .relisted
                .iter()
                .map(|r| RelistedView {
                    pillar: r
                        .pillar
                        .as_deref()
                        .and_then(|p| cx.links.entity(Kind::Pillar, p, root)),
                    source: cx.links.source(&r.source, root),
                })
                .collect(),
            sources: cx.links.sources(&d.source, root),
            body: Html::new(body.map_or("", |b| b.html.as_str())),
            backlinks: backlinks(cx, Kind::Policy, &e.id, root, &[Kind::Document]),
        }
    }

    fn description(e: &Entry<Self>, cx: &Cx<'_>) -> String {
        let text = cx
            .site
            .body_of(Kind::Policy, &e.id)
            .map_or("", |b| b.text.as_str());
        first_sentence(text, &e.data.title)
    }
}
