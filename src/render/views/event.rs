//! The page of an event: its date in the site's style, the pages it concerns, its source.

use super::common::{backlinks, BacklinkGroup};
use super::View;
use crate::content::relation::parse_target;
use crate::content::{Entry, Event};
use crate::registry::Kind;
use crate::render::context::{Cx, DateView};
use crate::render::html::Html;
use crate::render::links::{EntityLink, SourceLink};
use crate::render::page::Crumb;
use serde::Serialize;

#[derive(Serialize)]
pub struct EventView<'a> {
    id: &'a str,
    date: Option<DateView<'a>>,
    approx: bool,
    related: Vec<EntityLink>,
    sources: Vec<SourceLink>,
    body: Html,
    backlinks: Vec<BacklinkGroup>,
}

impl View for Event {
    type Data<'a> = EventView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> EventView<'a> {
        let d = &e.data;
        EventView {
            id: &e.id,
            date: cx.date(Some(&d.date)),
            approx: d.approx,
            related: d
                .related
                .iter()
                .filter_map(|r| parse_target(r).ok())
                .filter_map(|(k, id)| cx.links.entity(k, id, root))
                .collect(),
            sources: cx.links.sources(&d.source, root),
            body: cx.body_html(Kind::Event, &e.id),
            backlinks: backlinks(cx, Kind::Event, &e.id, root, &[Kind::Document]),
        }
    }

    fn description(e: &Entry<Self>, cx: &Cx<'_>) -> String {
        let when = cx
            .date(Some(&e.data.date))
            .map(|d| d.display)
            .unwrap_or_default();
        format!("{when} {}", e.data.title)
    }

    /// An event's page sits under the timeline.
    fn crumbs(_e: &Entry<Self>, cx: &Cx<'_>) -> Vec<Crumb> {
        vec![Crumb::new(cx.t("crumb.events"), "events/index.html")]
    }
}
