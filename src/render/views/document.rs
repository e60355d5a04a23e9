//! The page of a document: issuer and date, the pages citing it, and its whole text with a
//! numbered anchor per line and one per cited range.

use super::common::{backlinks, BacklinkGroup};
use super::View;
use crate::content::source_ref::SourceRef;
use crate::content::{Document, Entry};
use crate::registry::Kind;
use crate::render::context::{Cx, DateView};
use crate::render::html::Html;
use crate::render::links::{range_anchor, EntityLink, SourceLink};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Serialize)]
pub struct Line<'a> {
    n: usize,
    text: &'a str,
    anchors: Vec<String>,
}

/// One entry of the document's table of contents: a sheet or section, where its lines start
/// and the pages made from them.
#[derive(Serialize)]
pub struct SectionView<'a> {
    title: &'a str,
    anchor: String,
    first: usize,
    last: usize,
    note: Option<&'a str>,
    pages: Vec<EntityLink>,
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
    sections: Vec<SectionView<'a>>,
    sources: Vec<SourceLink>,
    body: Html,
    backlinks: Vec<BacklinkGroup>,
}

fn lines<'a>(d: &'a Document, cx: &'a Cx<'a>) -> Vec<Line<'a>> {
    let Some(seed) = cx.site.corpus.seeds.get(&d.file) else {
        return Vec::new();
    };
    // Every cited range of more than one line gets an anchor on its first line.
    let ranges = cx.site.citations.get(d.file.as_str());
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

/// The document's sections, each with the pages (other than documents) that cite a line
/// within it, sorted by title.
fn sections<'a>(d: &'a Document, cx: &'a Cx<'a>, root: &str) -> Vec<SectionView<'a>> {
    if d.sections.is_empty() {
        return Vec::new();
    }
    let cited: Vec<_> = cx
        .site
        .all_citations()
        .filter(|(n, r)| r.file == d.file && cx.site.entry(*n).kind() != Kind::Document)
        .map(|(n, r)| (n, r.first))
        .collect();
    d.sections
        .iter()
        .map(|s| {
            let (first, last) = (s.source.first, s.source.last);
            let nodes: BTreeSet<_> = cited
                .iter()
                .filter(|(_, line)| (first..=last).contains(line))
                .map(|(n, _)| *n)
                .collect();
            let mut nodes: Vec<_> = nodes.into_iter().collect();
            cx.site.sort_by_title(&mut nodes);
            let pages: Vec<EntityLink> = nodes.iter().map(|n| cx.links.node(*n, root)).collect();
            SectionView {
                title: &s.title,
                anchor: range_anchor(&s.source),
                first,
                last,
                note: s.note.as_deref(),
                pages,
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
            sections: sections(d, cx, root),
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
