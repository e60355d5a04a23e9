//! The page of a document: issuer and date, the pages citing it, and its whole text with a
//! numbered anchor per line and one per cited range.

use super::common::{backlinks, BacklinkGroup};
use super::View;
use crate::content::source_ref::SourceRef;
use crate::content::{Document, Entry};
use crate::registry::Kind;
use crate::render::context::{Cx, DateView};
use crate::render::links::{range_anchor, SourceLink};
use serde::Serialize;

#[derive(Serialize)]
pub struct Line<'a> {
    n: usize,
    text: &'a str,
    anchors: Vec<String>,
}

#[derive(Serialize)]
pub struct DocumentView<'a> {
    id: &'a str,
    description: String,
    issuer: Option<&'a str>,
    date: Option<DateView<'a>>,
    file: &'a str,
    seed_url: String,
    lines: Vec<Line<'a>>,
    sources: Vec<SourceLink>,
    body: &'a str,
    backlinks: Vec<BacklinkGroup>,
}

fn lines<'a>(d: &'a Document, cx: &'a Cx<'a>) -> Vec<Line<'a>> {
    let Some(seed) = cx.site.corpus.seeds.get(&d.file) else {
        return Vec::new();
    };
    // Every cited range of more than one line gets an anchor on its first line.
    let ranges = cx.site.citations.get(&d.file);
    seed.lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let n = i + 1;
            let anchors = ranges
                .into_iter()
                .flat_map(|set| set.range((n, n)..(n + 1, 0)))
                .filter(|(a, b)| a != b)
                .map(|(a, b)| {
                    range_anchor(&SourceRef {
                        file: String::new(),
                        first: *a,
                        last: *b,
                    })
                })
                .collect();
            Line {
                n,
                text: l,
                anchors,
            }
        })
        .collect()
}

impl View for Document {
    type Data<'a> = DocumentView<'a>;

    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> DocumentView<'a> {
        let d = &e.data;
        DocumentView {
            id: &e.id,
            description: Self::description(e, cx),
            issuer: d.issuer.as_deref(),
            date: cx.date(d.date.as_deref()),
            file: &d.file,
            seed_url: format!("{root}seeds/{}", d.file),
            lines: lines(d, cx),
            sources: cx.links.sources(&d.source, root),
            body: cx.body_html(Kind::Document, &e.id),
            backlinks: backlinks(cx, Kind::Document, &e.id, root, &[]),
        }
    }

    fn description(e: &Entry<Self>, _cx: &Cx<'_>) -> String {
        format!(
            "{}（{}）",
            e.data.title,
            e.data.issuer.as_deref().unwrap_or("")
        )
    }
}
