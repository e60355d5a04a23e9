//! The timeline: every dated thing of the site (events, plans, documents, budget lines) by
//! year, each in 和暦（西暦） with `<time datetime>`, linking to its page.

use super::context::Cx;
use super::links::EntityLink;
use super::lists::ListPage;
use super::page::Page;
use crate::diag::Diagnostic;
use crate::format::date::{JpDate, Precision};
use crate::site::graph::NodeId;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Item {
    iso: String,
    display: String,
    approx: bool,
    link: EntityLink,
    /// What happened, when it is not the page itself (a budget line's label and amount).
    what: Option<String>,
}

#[derive(Serialize)]
struct Year {
    year: i32,
    heading: String,
    iso: String,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Timeline<'a> {
    description: &'a str,
    years: Vec<Year>,
    count: usize,
}

/// Every dated entry of the site, in date order.
fn items(cx: &Cx<'_>, root: &str) -> Vec<(JpDate, usize, Item)> {
    let mut out = Vec::new();
    for (i, e) in cx.site.entries.iter().enumerate() {
        for d in e.dates() {
            let Ok(date) = JpDate::parse(&d.written) else {
                continue;
            };
            out.push((
                date,
                i,
                Item {
                    iso: date.iso(),
                    display: date.render(cx.date_style()),
                    approx: d.approx,
                    link: cx.links.node(NodeId(i as u32), root),
                    what: d.what,
                },
            ));
        }
    }
    // By first day, then the coarser period first (a year before its days), then the node.
    let rank = |p: Precision| match p {
        Precision::Year => 0,
        Precision::FiscalYear => 1,
        Precision::Month => 2,
        Precision::Day => 3,
    };
    out.sort_by(|a, b| {
        (a.0.first_day(), rank(a.0.precision), a.1, &a.2.what).cmp(&(
            b.0.first_day(),
            rank(b.0.precision),
            b.1,
            &b.2.what,
        ))
    });
    out
}

pub fn page(cx: &Cx<'_>, root: &str) -> Result<Page, Diagnostic> {
    let all = items(cx, root);
    let count = all.len();
    let mut years: BTreeMap<i32, Vec<Item>> = BTreeMap::new();
    for (date, _, item) in all {
        years.entry(date.year).or_default().push(item);
    }
    let view = Timeline {
        description: cx.t("list.timeline_description"),
        years: years
            .into_iter()
            .map(|(year, items)| {
                let y = JpDate::year(year);
                Year {
                    year,
                    heading: y.render(cx.date_style()),
                    iso: y.iso(),
                    items,
                }
            })
            .collect(),
        count,
    };
    ListPage::Timeline.single(
        "timeline.html",
        cx.t("list.timeline"),
        &view,
        view.description,
    )
}
