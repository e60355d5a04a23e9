//! Typed template data, one view per kind: what each template gets is a Rust struct, so a
//! misspelt field fails to compile instead of failing when Tera renders.

pub mod common;
pub mod document;
pub mod event;
pub mod goal;
pub mod kpi;
pub mod organisation;
pub mod pillar;
pub mod plan;
pub mod policy;
pub mod term;

use super::context::Cx;
use super::page::Crumb;
use crate::content::{Entity, Entry};
use serde::Serialize;

/// The page of one kind of entity.
pub trait View: Entity {
    /// The template's data.
    type Data<'a>: Serialize
    where
        Self: 'a;

    /// The data of the page of `e`; links are relative to `root`.
    fn view<'a>(e: &'a Entry<Self>, cx: &'a Cx<'a>, root: &'a str) -> Self::Data<'a>;

    /// The page's description for search engines and link previews.
    fn description(e: &Entry<Self>, cx: &Cx<'_>) -> String;

    /// Breadcrumbs between the top page and this one: by default the kind's list.
    fn crumbs(_e: &Entry<Self>, cx: &Cx<'_>) -> Vec<Crumb> {
        let folder = Self::SPEC.folder;
        vec![Crumb::new(
            cx.t(&format!("crumb.{folder}")),
            format!("{folder}/index.html"),
        )]
    }

    /// Words for search besides the title and body.
    fn search_extra(e: &Entry<Self>, _cx: &Cx<'_>) -> String {
        e.data.search_terms()
    }
}
