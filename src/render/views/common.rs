//! Pieces of views that several pages show: backlinks, KPI cards, pillar trees, budget rows.

use crate::content::kinds::kpi::KpiKind;
use crate::content::kinds::policy::BudgetStage;
use crate::content::{Entry, Pillar, Plan, Policy};
use crate::format::amount::{yen_approx, yen_display};
use crate::registry::Kind;
use crate::render::chart;
use crate::render::context::{Cx, KpiCards, When};
use crate::render::html::Html;
use crate::render::kpi_text::summary_text;
use crate::render::links::{EntityLink, SourceLink};
use serde::Serialize;
use std::collections::BTreeMap;

/// Backlinks of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct BacklinkGroup {
    pub kind: &'static str,
    pub kind_label: String,
    pub items: Vec<EntityLink>,
}

/// Pages that link to `kind`/`id`, grouped by kind, leaving out the kinds in `exclude`;
/// each group sorted by title.
pub fn backlinks(
    cx: &Cx<'_>,
    kind: Kind,
    id: &str,
    root: &str,
    exclude: &[Kind],
) -> Vec<BacklinkGroup> {
    let Some(n) = cx.site.node(kind, id) else {
        return Vec::new();
    };
    cx.site
        .backlinks(n)
        .into_iter()
        .filter(|(k, _)| !exclude.contains(k))
        .map(|(k, mut nodes)| {
            cx.site.sort_by_title(&mut nodes);
            let items: Vec<EntityLink> = nodes.iter().map(|m| cx.links.node(*m, root)).collect();
            BacklinkGroup {
                kind: k.name(),
                kind_label: cx.t(&k.label_key()).to_string(),
                items,
            }
        })
        .collect()
}

/// A KPI's chart, summary and link, for embedding in other pages: the template value of its
/// [`KpiCardParts`], made once per KPI, size and page depth (a KPI shown on many pages is
/// drawn, formatted and turned into a template value once; a view holding it puts it into
/// its page's context without copying it).
#[derive(Debug, Clone)]
pub struct KpiCard(tera::Value);

impl Serialize for KpiCard {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// What a KPI card shows.
#[derive(Debug, Clone, Serialize)]
pub struct KpiCardParts {
    pub link: EntityLink,
    pub svg: Html,
    pub summary: String,
    pub unit: String,
    pub kind: KpiKind,
    /// The chart's figures as a table (full-size charts only): what a reader, a screen reader
    /// or a machine reads, each year a `<time>`.
    pub rows: Vec<CardRow>,
    /// The card as the theme's `kpi_card` component renders it (see [`rendered`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<Html>,
}

/// A year of a KPI card's table.
#[derive(Debug, Clone, Serialize)]
pub struct CardRow {
    pub period: crate::render::context::When,
    pub value: String,
}

/// The card of KPI `id` (full-size, or `small`: a sparkline without the table) on a page whose
/// root is `root`; `None` for an id that names no KPI.
pub fn kpi_card(cx: &Cx<'_>, id: &str, root: &str, small: bool) -> Option<KpiCard> {
    let node = cx.site.node(Kind::Kpi, id)?;
    let cards = || cx.kpi_cards.lock().unwrap_or_else(|e| e.into_inner());
    let found = |cards: &KpiCards| {
        let made = cards.get(&(node, small))?;
        made.iter()
            .find(|(r, _)| **r == *root)
            .map(|(_, c)| c.clone())
    };
    if let Some(card) = found(&cards()) {
        return Some(card);
    }
    let mut parts = kpi_card_parts(cx, id, root, small)?;
    parts.html = rendered(cx, &parts);
    let card = KpiCard(tera::Value::from_serializable(&parts));
    let mut cards = cards();
    // Two threads making the same card make equal ones: the first stays.
    if found(&cards).is_none() {
        cards
            .entry((node, small))
            .or_default()
            .push((root.into(), card.clone()));
    }
    Some(card)
}

/// The theme's `kpi_card` component renders a card the same on every page of one depth: it is
/// rendered once, with the card, which carries the result as `html` for the theme's
/// `kpi_cards` to print. `None` for a theme without the component, or a card it fails to
/// render: the page then renders the card itself (and reports a failure where it is).
fn rendered(cx: &Cx<'_>, card: &KpiCardParts) -> Option<Html> {
    const COMPONENT: &str = "kpi_card";
    let tera = &cx.theme.tera;
    if !tera.contains_component(COMPONENT) {
        return None;
    }
    let mut args = tera::Context::new();
    args.insert("k", card);
    let html = tera.render_component(COMPONENT, &args, None, true).ok()?;
    Some(Html::from(html))
}

fn kpi_card_parts(cx: &Cx<'_>, id: &str, root: &str, small: bool) -> Option<KpiCardParts> {
    let e = cx.site.get::<crate::content::KpiSeries>(id)?;
    let link = cx.links.entity(Kind::Kpi, id, root)?;
    let svg = if small {
        chart::sparkline(&e.data, cx.strings)
    } else {
        chart::chart(&[&e.data], &format!("c-{}", e.slug), cx.strings)
    };
    let rows = if small {
        Vec::new()
    } else {
        e.data
            .sorted_points()
            .into_iter()
            .map(|p| CardRow {
                period: cx.when(e.data.period.date(p.year)),
                value: format!(
                    "{}{}",
                    if p.approx { cx.t("kpi.approx") } else { "" },
                    crate::format::number::figure(p.value)
                ),
            })
            .collect()
    };
    Some(KpiCardParts {
        link,
        svg: svg.into(),
        summary: summary_text(&e.data, cx.strings),
        unit: e.data.unit.clone(),
        kind: e.data.kind,
        rows,
        html: None,
    })
}

/// A pillar in a plan's tree, with its sub-themes.
#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    pub link: Option<EntityLink>,
    pub label: Option<String>,
    pub children: Vec<TreeLeaf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TreeLeaf {
    pub link: Option<EntityLink>,
    pub label: Option<String>,
}

/// Pillars of `plan` whose parent is `parent`, in their order.
pub fn child_pillars<'c>(
    cx: &Cx<'c>,
    plan: Option<&str>,
    parent: Option<&str>,
) -> Vec<&'c Entry<Pillar>> {
    let mut v: Vec<&Entry<Pillar>> = cx
        .site
        .corpus
        .pillars
        .iter()
        .filter(|p| {
            plan.is_none_or(|plan| p.data.plan == plan) && p.data.parent.as_deref() == parent
        })
        .map(|p| &**p)
        .collect();
    v.sort_by_key(|p| (p.data.order, p.id.clone()));
    v
}

/// The top-level pillars of a plan with their sub-themes.
pub fn pillar_tree(cx: &Cx<'_>, plan: &str, root: &str) -> Vec<TreeNode> {
    child_pillars(cx, Some(plan), None)
        .iter()
        .map(|p| TreeNode {
            link: cx.links.entity(Kind::Pillar, &p.id, root),
            label: p.data.label.clone(),
            children: child_pillars(cx, None, Some(&p.id))
                .iter()
                .map(|c| TreeLeaf {
                    link: cx.links.entity(Kind::Pillar, &c.id, root),
                    label: c.data.label.clone(),
                })
                .collect(),
        })
        .collect()
}

/// A plan's goals by number.
pub fn goals_of_plan<'c>(cx: &Cx<'c>, plan: &str) -> Vec<&'c Entry<crate::content::Goal>> {
    let mut goals: Vec<&Entry<crate::content::Goal>> = cx
        .site
        .corpus
        .goals
        .iter()
        .filter(|g| g.data.plan == plan)
        .map(|g| &**g)
        .collect();
    goals.sort_by_key(|g| g.data.number);
    goals
}

/// Plans by number (unnumbered last), then id.
pub fn sorted_plans<'c>(cx: &Cx<'c>) -> Vec<&'c Entry<Plan>> {
    let mut plans: Vec<&Entry<Plan>> = cx.site.corpus.plans.iter().map(|p| &**p).collect();
    plans.sort_by_key(|p| (p.data.number.unwrap_or(99), p.id.clone()));
    plans
}

/// The first sentence of a text, at most 120 characters (the fallback when it is empty).
pub fn first_sentence(text: &str, fallback: &str) -> String {
    let first = text.split_inclusive('。').next().unwrap_or("");
    // Its first 120 characters.
    let end = first
        .char_indices()
        .nth(120)
        .map_or(first.len(), |(i, _)| i);
    let s = first[..end].trim();
    if s.is_empty() { fallback } else { s }.to_string()
}

/// A budget line in an organisation's table.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetRow {
    pub policy: Option<EntityLink>,
    pub label: String,
    pub fiscal_year: i32,
    pub stage: String,
    pub amount: String,
    pub amount_yen: Option<String>,
    pub prior: Option<String>,
    /// The fund the amount is part of (内数): never added into a total.
    pub within: Option<String>,
    pub source: SourceLink,
}

/// The total of one fiscal year and one stage of an organisation's budget lines.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetTotal {
    pub fiscal_year: When,
    pub stage: String,
    pub total: String,
    /// Budget lines added.
    pub lines: usize,
}

/// Totals of budget lines by fiscal year and stage: initial, supplementary and requested
/// budgets are never added together, nor is a fund's share (内数).
pub fn budget_totals<'b>(
    cx: &Cx<'_>,
    lines: impl Iterator<Item = &'b crate::content::kinds::policy::BudgetLine>,
) -> Vec<BudgetTotal> {
    let mut totals: BTreeMap<(i32, BudgetStage), (f64, usize)> = BTreeMap::new();
    for b in lines {
        if let Some(yen) = b.countable() {
            let t = totals.entry((b.fiscal_year, b.stage())).or_default();
            t.0 += yen;
            t.1 += 1;
        }
    }
    totals
        .into_iter()
        .map(|((y, stage), (yen, lines))| BudgetTotal {
            fiscal_year: cx.fiscal_year(y),
            stage: cx.t(stage.key()).to_string(),
            total: yen_display(yen),
            lines,
        })
        .collect()
}

/// The budget lines of the policies whose first organisation is `org`, and their totals by
/// fiscal year and stage.
pub fn budgets_of(cx: &Cx<'_>, org: &str, root: &str) -> (Vec<BudgetRow>, Vec<BudgetTotal>) {
    let policies: Vec<&Entry<Policy>> = cx.site.corpus.policies_led_by(org).collect();
    let mut rows = Vec::new();
    for p in &policies {
        let policy = cx.links.entity(Kind::Policy, &p.id, root);
        for b in &p.data.budgets {
            rows.push(BudgetRow {
                policy: policy.clone(),
                label: b.label.clone(),
                fiscal_year: b.fiscal_year,
                stage: cx.t(b.stage().key()).to_string(),
                amount: b.amount.clone(),
                amount_yen: b.amount_value().map(|a| yen_approx(a.yen)),
                prior: b.prior.clone(),
                within: b.within.clone(),
                source: cx.links.source(&b.source, root),
            });
        }
    }
    let totals = budget_totals(cx, policies.iter().flat_map(|p| p.data.budgets.iter()));
    (rows, totals)
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn the_first_sentence_is_cut_at_its_full_stop_or_its_120th_character() {
        assert_eq!(
            first_sentence("審査を迅速化する。次の文。", "題"),
            "審査を迅速化する。"
        );
        assert_eq!(first_sentence("  句点のない文  ", "題"), "句点のない文");
        assert_eq!(first_sentence("", "題"), "題");
        assert_eq!(first_sentence(" 　", "題"), "題");
        let long = "医".repeat(130) + "。";
        assert_eq!(first_sentence(&long, "題"), "医".repeat(120));
        let exact = "a".repeat(119) + "。";
        assert_eq!(first_sentence(&exact, "題"), exact);
    }
}
