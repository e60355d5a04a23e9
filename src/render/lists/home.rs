//! The top page, the search page and the 404 page.

use super::*;

#[derive(Serialize)]
pub(super) struct Count<'a> {
    label: &'a str,
    count: usize,
    url: String,
}

#[derive(Serialize)]
pub(super) struct PlanCard<'a> {
    link: Option<EntityLink>,
    status: Option<&'a str>,
    pillars: Vec<TreeNode>,
}

#[derive(Serialize)]
pub(super) struct IndexView<'a> {
    counts: Vec<Count<'a>>,
    plans: Vec<PlanCard<'a>>,
    kgis: Vec<KpiCard>,
}

pub(super) fn index(cx: &Cx<'_>, root: &str) -> Result<Page, Diagnostic> {
    let c = cx.site.corpus;
    let counts = [
        Kind::Plan,
        Kind::Policy,
        Kind::Goal,
        Kind::Kpi,
        Kind::Organisation,
        Kind::Term,
        Kind::Document,
    ]
    .iter()
    .map(|k| Count {
        label: cx.t(&k.label_key()),
        count: c.count(*k),
        url: format!("{root}{}/index.html", k.folder()),
    })
    .collect();
    let view = IndexView {
        counts,
        plans: sorted_plans(cx)
            .iter()
            .map(|p| PlanCard {
                link: cx.links.entity(Kind::Plan, &p.id, root),
                status: p.data.status.as_deref(),
                pillars: pillar_tree(cx, &p.id, root),
            })
            .collect(),
        kgis: c
            .kpis
            .iter()
            .filter(|k| k.data.kind == KpiKind::Kgi)
            .filter_map(|k| kpi_card(cx, &k.id, root, true))
            .collect(),
    };
    Page::new("index.html", "index.html", &c.config.title, &view)
}

#[derive(Serialize)]
pub(super) struct SearchView<'a> {
    description: &'a str,
    search_shards: Vec<String>,
}

pub(super) fn search(cx: &Cx<'_>) -> Result<Page, Diagnostic> {
    let view = SearchView {
        description: cx.t("page.search_description"),
        // The layout script; the page loads the parts a query needs from it.
        search_shards: vec![crate::render::search::META_PATH.to_string()],
    };
    ListPage::Search.single("search.html", cx.t("page.search"), &view, view.description)
}
