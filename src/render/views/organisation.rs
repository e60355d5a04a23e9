//! The page of an organisation: names, related bodies, budget lines of its programmes, KPIs.

use super::common::{backlinks, budgets_of, BacklinkGroup, BudgetRow, BudgetTotal};
use super::View;
use crate::content::{Entry, Organisation};
use crate::registry::Kind;
use crate::render::context::Cx;
use crate::render::links::{EntityLink, SourceLink};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Serialize)]
pub struct OrganisationView<'a> {
    id: &'a str,
    description: String,
    name: &'a str,
    short: Option<&'a str>,
    name_en: Option<&'a str>,
    aliases: &'a [String],
    org_kind: &'a str,
    parent: Option<EntityLink>,
    children: Vec<EntityLink>,
    budgets: Vec<BudgetRow>,
    budget_totals: Vec<BudgetTotal>,
    kpis: Vec<EntityLink>,
    sources: Vec<SourceLink>,
    backlinks: Vec<BacklinkGroup>,
}

impl View for Organisation {
    type Data<'a> = OrganisationView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> OrganisationView<'a> {
        let d = &e.data;
        let (budgets, budget_totals) = budgets_of(cx, &e.id, root);
        let kpi_ids: BTreeSet<String> = cx
            .site
            .corpus
            .policies_of_organisation(&e.id)
            .flat_map(|p| p.data.kpis.iter().cloned())
            .collect();
        OrganisationView {
            id: &e.id,
            description: Self::description(e, cx),
            name: &d.name,
            short: d.short.as_deref(),
            name_en: d.name_en.as_deref(),
            aliases: &d.aliases,
            org_kind: cx.t(d.kind.key()),
            parent: d
                .parent
                .as_deref()
                .and_then(|p| cx.links.entity(Kind::Organisation, p, root)),
            children: cx
                .site
                .corpus
                .organisations
                .iter()
                .filter(|o| o.data.parent.as_deref() == Some(e.id.as_str()))
                .filter_map(|o| cx.links.entity(Kind::Organisation, &o.id, root))
                .collect(),
            budgets,
            budget_totals,
            kpis: cx.links.entities(Kind::Kpi, &kpi_ids, root),
            sources: cx.links.sources(&d.source, root),
            backlinks: backlinks(
                cx,
                Kind::Organisation,
                &e.id,
                root,
                &[Kind::Document, Kind::Organisation],
            ),
        }
    }

    fn description(e: &Entry<Self>, cx: &Cx<'_>) -> String {
        cx.strings
            .fmt("organisation.description", &[("name", &e.data.name)])
    }
}
