//! The page of a pillar (基本方針, 方向性 or sub-theme): its text, sub-themes, the policies
//! placed under it (re-listings marked 再掲), and its goals.

use super::common::child_pillars;
use super::View;
use crate::content::{Entry, Pillar};
use crate::registry::Kind;
use crate::render::context::Cx;
use crate::render::html::Html;
use crate::render::links::{EntityLink, SourceLink};
use crate::render::page::Crumb;
use serde::Serialize;

#[derive(Serialize)]
pub struct PlacedPolicy {
    link: Option<EntityLink>,
    relisted: bool,
    source: Option<SourceLink>,
    #[serde(skip)]
    order: (String, usize),
}

#[derive(Serialize)]
pub struct PillarView<'a> {
    id: &'a str,
    label: Option<&'a str>,
    pillar_title: &'a str,
    description: &'a str,
    plan: Option<EntityLink>,
    parent: Option<EntityLink>,
    children: Vec<EntityLink>,
    policies: Vec<PlacedPolicy>,
    goals: Vec<EntityLink>,
    sources: Vec<SourceLink>,
    body: Html,
}

/// Policies placed under the pillar and re-listings there, in the order of the source.
fn placed(e: &Entry<Pillar>, cx: &Cx<'_>, root: &str) -> Vec<PlacedPolicy> {
    let mut out = Vec::new();
    for p in &cx.site.corpus.policies {
        if p.data.pillars.contains(&e.id) {
            let first = p.data.source.first();
            out.push(PlacedPolicy {
                link: cx.links.entity(Kind::Policy, &p.id, root),
                relisted: false,
                source: first.map(|s| cx.links.source(s, root)),
                order: first.map_or((String::new(), 0), |s| (s.file.clone(), s.first)),
            });
        }
        for r in p
            .data
            .relisted
            .iter()
            .filter(|r| r.pillar.as_deref() == Some(e.id.as_str()))
        {
            out.push(PlacedPolicy {
                link: cx.links.entity(Kind::Policy, &p.id, root),
                relisted: true,
                source: Some(cx.links.source(&r.source, root)),
                order: (r.source.file.clone(), r.source.first),
            });
        }
    }
    let id = |p: &PlacedPolicy| {
        p.link
            .as_ref()
            .map(|l| l.id().to_string())
            .unwrap_or_default()
    };
    out.sort_by(|a, b| {
        sort_key(&a.order)
            .cmp(&sort_key(&b.order))
            .then(id(a).cmp(&id(b)))
    });
    out
}

/// The order as the source files and lines would sort when written out as text
/// (`["file", 12]`): so line 120 comes before line 13, as listed since the first version.
fn sort_key(order: &(String, usize)) -> String {
    format!("[\"{}\",{}]", order.0, order.1)
}

impl View for Pillar {
    type Data<'a> = PillarView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> PillarView<'a> {
        let d = &e.data;
        let mut goals: Vec<EntityLink> = cx
            .site
            .corpus
            .goals
            .iter()
            .filter(|g| g.data.pillars.contains(&e.id))
            .filter_map(|g| cx.links.entity(Kind::Goal, &g.id, root))
            .collect();
        goals.sort();
        PillarView {
            id: &e.id,
            label: d.label.as_deref(),
            pillar_title: &d.title,
            description: &d.title,
            plan: cx.links.entity(Kind::Plan, &d.plan, root),
            parent: d
                .parent
                .as_deref()
                .and_then(|p| cx.links.entity(Kind::Pillar, p, root)),
            children: child_pillars(cx, None, Some(&e.id))
                .iter()
                .filter_map(|c| cx.links.entity(Kind::Pillar, &c.id, root))
                .collect(),
            policies: placed(e, cx, root),
            goals,
            sources: cx.links.sources(&d.source, root),
            body: cx.body_html(Kind::Pillar, &e.id),
        }
    }

    fn description(e: &Entry<Self>, _cx: &Cx<'_>) -> String {
        e.data.title.clone()
    }

    /// A pillar's page sits under its plan.
    fn crumbs(e: &Entry<Self>, cx: &Cx<'_>) -> Vec<Crumb> {
        cx.links
            .entity(Kind::Plan, &e.data.plan, "")
            .map(|p| Crumb::new(p.title().to_string(), p.url().to_string()))
            .into_iter()
            .collect()
    }
}
