//! The page of a glossary term: expansion, Japanese name, reading, aliases, definition,
//! related terms and every page that uses it.

use super::common::{backlinks, BacklinkGroup};
use super::View;
use crate::content::{Entry, Term};
use crate::registry::Kind;
use crate::render::context::Cx;
use crate::render::html::Html;
use crate::render::links::{EntityLink, SourceLink};
use serde::Serialize;

#[derive(Serialize)]
pub struct TermView<'a> {
    id: &'a str,
    description: String,
    expansion: Option<&'a str>,
    ja: Option<&'a str>,
    reading: Option<&'a str>,
    aliases: &'a [String],
    related: Vec<EntityLink>,
    sources: Vec<SourceLink>,
    body: Html,
    backlinks: Vec<BacklinkGroup>,
}

impl View for Term {
    type Data<'a> = TermView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> TermView<'a> {
        let d = &e.data;
        TermView {
            id: &e.id,
            description: Self::description(e, cx),
            expansion: d.expansion.as_deref(),
            ja: d.ja.as_deref(),
            reading: d.reading.as_deref(),
            aliases: &d.aliases,
            related: cx.links.entities(Kind::Term, &d.related, root),
            sources: cx.links.sources(&d.source, root),
            body: cx.body_html(Kind::Term, &e.id),
            backlinks: backlinks(cx, Kind::Term, &e.id, root, &[Kind::Document]),
        }
    }

    fn description(e: &Entry<Self>, cx: &Cx<'_>) -> String {
        let text = cx
            .site
            .body_of(Kind::Term, &e.id)
            .map_or("", |b| b.text.as_str());
        format!(
            "{}：{}",
            e.data.title,
            text.chars().take(100).collect::<String>()
        )
    }
}
