//! The list pages: the top page, plans, pillars, policies (by pillar and by organisation),
//! goals, organisations, documents, the search page and the 404 page.

use super::context::Cx;
use super::links::EntityLink;
use super::page::{Crumb, Page};
use super::views::common::{kpi_card, pillar_tree, sorted_plans, KpiCard, TreeNode};
use crate::content::kinds::kpi::KpiKind;
use crate::content::{Entry, Goal, Organisation, Pillar, Policy};
use crate::diag::Diagnostic;
use crate::registry::Kind;
use serde::Serialize;

/// The list pages, each at its own path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListPage {
    Index,
    NotFound,
    Plans,
    Pillars,
    Policies,
    PoliciesByOrganisation,
    Goals,
    Kpis,
    Organisations,
    Documents,
    Glossary,
    Budgets,
    Timeline,
    Search,
}

impl ListPage {
    pub const ALL: [ListPage; 14] = [
        ListPage::Index,
        ListPage::NotFound,
        ListPage::Plans,
        ListPage::Pillars,
        ListPage::Policies,
        ListPage::PoliciesByOrganisation,
        ListPage::Goals,
        ListPage::Kpis,
        ListPage::Organisations,
        ListPage::Documents,
        ListPage::Glossary,
        ListPage::Budgets,
        ListPage::Timeline,
        ListPage::Search,
    ];

    /// Output path from the root.
    pub fn path(self) -> &'static str {
        match self {
            ListPage::Index => "index.html",
            ListPage::NotFound => "404.html",
            ListPage::Plans => "plans/index.html",
            ListPage::Pillars => "pillars/index.html",
            ListPage::Policies => "policies/index.html",
            ListPage::PoliciesByOrganisation => "policies/by-organisation/index.html",
            ListPage::Goals => "goals/index.html",
            ListPage::Kpis => "kpis/index.html",
            ListPage::Organisations => "organisations/index.html",
            ListPage::Documents => "documents/index.html",
            ListPage::Glossary => "glossary/index.html",
            ListPage::Budgets => "budgets/index.html",
            ListPage::Timeline => "events/index.html",
            ListPage::Search => "search/index.html",
        }
    }

    /// Whether the page shows only what front matter says (so a body edit leaves it as it is).
    pub fn front_matter_only(self) -> bool {
        !matches!(self, ListPage::Index | ListPage::NotFound)
    }

    pub fn render(self, cx: &Cx<'_>) -> Result<Page, Diagnostic> {
        let root = super::page::root_of(self.path());
        let root = root.as_str();
        match self {
            ListPage::Index => index(cx, root),
            ListPage::NotFound => {
                Page::new(self.path(), "404.html", cx.t("page.not_found"), &Empty {})
            }
            ListPage::Plans => list(self, cx.t("list.plans"), &plans(cx, root)),
            ListPage::Pillars => list(self, cx.t("list.pillars"), &pillars(cx, root)),
            ListPage::Policies => list(self, cx.t("list.policies"), &policies_by_pillar(cx, root)),
            ListPage::PoliciesByOrganisation => Ok(list(
                self,
                cx.t("list.by_organisation"),
                &policies_by_organisation(cx, root),
            )?
            .crumbs(vec![Crumb::new(cx.t("list.policies"), self.path())])),
            ListPage::Goals => list(self, cx.t("list.goals"), &goals(cx, root)),
            ListPage::Kpis => super::dashboard::page(cx, root),
            ListPage::Organisations => list(
                self,
                cx.t("list.organisations"),
                &plain(
                    cx,
                    Kind::Organisation,
                    cx.t("list.organisations"),
                    cx.t("list.organisations_intro"),
                    root,
                ),
            ),
            ListPage::Documents => list(
                self,
                cx.t("list.documents"),
                &plain(
                    cx,
                    Kind::Document,
                    cx.t("list.documents_group"),
                    cx.t("list.documents_intro"),
                    root,
                ),
            ),
            ListPage::Glossary => super::glossary_index::page(cx, root),
            ListPage::Budgets => super::budgets::page(cx, root),
            ListPage::Timeline => super::timeline::page(cx, root),
            ListPage::Search => search(cx),
        }
    }
}

#[derive(Serialize)]
struct Empty {}

/// An item of a list: a link and a short note.
#[derive(Serialize)]
pub struct Item {
    link: Option<EntityLink>,
    meta: Option<String>,
}

/// A group of a list page: a heading (linked when it is a page), items or a pillar tree.
#[derive(Serialize, Default)]
pub struct Group {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<Item>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tree: Option<Vec<TreeNode>>,
}

#[derive(Serialize)]
struct SeeAlso {
    title: String,
    url: String,
}

#[derive(Serialize)]
pub struct ListView {
    intro: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    see_also: Option<Vec<SeeAlso>>,
    groups: Vec<Group>,
}

fn list(page: ListPage, title: &str, view: &ListView) -> Result<Page, Diagnostic> {
    Page::new(page.path(), "list.html", title, view)
}

fn plain(cx: &Cx<'_>, kind: Kind, title: &str, intro: &str, root: &str) -> ListView {
    let mut items: Vec<EntityLink> = cx
        .site
        .corpus
        .of_kind(kind)
        .iter()
        .filter_map(|e| cx.links.entity(kind, e.id(), root))
        .collect();
    items.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
    ListView {
        intro: intro.into(),
        see_also: None,
        groups: vec![Group {
            title: title.into(),
            items: Some(
                items
                    .into_iter()
                    .map(|l| Item {
                        link: Some(l),
                        meta: None,
                    })
                    .collect(),
            ),
            ..Default::default()
        }],
    }
}

#[derive(Serialize)]
struct Count<'a> {
    label: &'a str,
    count: usize,
    url: String,
}

#[derive(Serialize)]
struct PlanCard<'a> {
    link: Option<EntityLink>,
    status: Option<&'a str>,
    pillars: Vec<TreeNode>,
}

#[derive(Serialize)]
struct IndexView<'a> {
    counts: Vec<Count<'a>>,
    plans: Vec<PlanCard<'a>>,
    kgis: Vec<KpiCard>,
}

fn index(cx: &Cx<'_>, root: &str) -> Result<Page, Diagnostic> {
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

fn plans(cx: &Cx<'_>, root: &str) -> ListView {
    let items = sorted_plans(cx)
        .iter()
        .map(|p| Item {
            link: cx.links.entity(Kind::Plan, &p.id, root),
            meta: p.data.status.clone(),
        })
        .collect();
    ListView {
        intro: cx.t("list.plans_intro").into(),
        see_also: None,
        groups: vec![Group {
            title: cx.t("list.plans_group").into(),
            items: Some(items),
            ..Default::default()
        }],
    }
}

fn pillars(cx: &Cx<'_>, root: &str) -> ListView {
    let groups = sorted_plans(cx)
        .iter()
        .map(|p| Group {
            title: p.data.title.clone(),
            url: cx.links.entity(Kind::Plan, &p.id, root).map(|l| l.url),
            tree: Some(pillar_tree(cx, &p.id, root)),
            ..Default::default()
        })
        .collect();
    ListView {
        intro: cx.t("list.pillars_intro").into(),
        see_also: None,
        groups,
    }
}

fn policy_item(cx: &Cx<'_>, p: &Entry<Policy>, root: &str) -> Item {
    Item {
        link: cx.links.entity(Kind::Policy, &p.id, root),
        meta: Some(cx.t(p.data.kind.key()).to_string()),
    }
}

/// A plan's pillars: each top-level one followed by its sub-themes, in their order.
fn plan_pillars<'c>(cx: &Cx<'c>, plan: &str) -> Vec<&'c Entry<Pillar>> {
    let mut v: Vec<&Entry<Pillar>> = cx
        .site
        .corpus
        .pillars
        .iter()
        .filter(|p| p.data.plan == plan)
        .collect();
    v.sort_by_key(|p| {
        (
            p.data.parent.clone().unwrap_or_else(|| p.id.clone()),
            p.data.parent.is_some(),
            p.data.order,
            p.id.clone(),
        )
    });
    v
}

fn policies_by_pillar(cx: &Cx<'_>, root: &str) -> ListView {
    let policies = &cx.site.corpus.policies;
    let mut groups = Vec::new();
    for plan in sorted_plans(cx) {
        for pillar in plan_pillars(cx, &plan.id) {
            let items: Vec<Item> = policies
                .iter()
                .filter(|p| p.data.pillars.contains(&pillar.id))
                .map(|p| policy_item(cx, p, root))
                .collect();
            if items.is_empty() {
                continue;
            }
            let label = pillar
                .data
                .label
                .as_deref()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            groups.push(Group {
                title: format!("{} — {label}{}", plan.data.short(), pillar.data.title),
                url: cx
                    .links
                    .entity(Kind::Pillar, &pillar.id, root)
                    .map(|l| l.url),
                items: Some(items),
                ..Default::default()
            });
        }
        let rest: Vec<Item> = policies
            .iter()
            .filter(|p| {
                p.data.plan.as_deref() == Some(plan.id.as_str()) && p.data.pillars.is_empty()
            })
            .map(|p| policy_item(cx, p, root))
            .collect();
        if !rest.is_empty() {
            groups.push(Group {
                title: cx
                    .strings
                    .fmt("list.policies_unplaced", &[("plan", &plan.data.title)]),
                url: cx.links.entity(Kind::Plan, &plan.id, root).map(|l| l.url),
                items: Some(rest),
                ..Default::default()
            });
        }
    }
    let others: Vec<Item> = policies
        .iter()
        .filter(|p| p.data.pillars.is_empty() && p.data.plan.is_none())
        .map(|p| policy_item(cx, p, root))
        .collect();
    if !others.is_empty() {
        groups.push(Group {
            title: cx.t("list.policies_ministries").into(),
            items: Some(others),
            ..Default::default()
        });
    }
    ListView {
        intro: cx.t("list.policies_intro").into(),
        see_also: Some(vec![SeeAlso {
            title: cx.t("list.by_organisation_link").into(),
            url: format!("{root}policies/by-organisation/index.html"),
        }]),
        groups,
    }
}

fn policies_by_organisation(cx: &Cx<'_>, root: &str) -> ListView {
    let mut orgs: Vec<&Entry<Organisation>> = cx.site.corpus.organisations.iter().collect();
    orgs.sort_by(|a, b| a.data.name.cmp(&b.data.name));
    let groups = orgs
        .iter()
        .filter_map(|o| {
            let items: Vec<Item> = cx
                .site
                .corpus
                .policies
                .iter()
                .filter(|p| p.data.organisations.contains(&o.id))
                .map(|p| policy_item(cx, p, root))
                .collect();
            (!items.is_empty()).then(|| Group {
                title: o.data.name.clone(),
                url: cx
                    .links
                    .entity(Kind::Organisation, &o.id, root)
                    .map(|l| l.url),
                items: Some(items),
                ..Default::default()
            })
        })
        .collect();
    ListView {
        intro: cx.t("list.by_organisation_intro").into(),
        see_also: None,
        groups,
    }
}

fn goals(cx: &Cx<'_>, root: &str) -> ListView {
    let groups = sorted_plans(cx)
        .iter()
        .filter_map(|plan| {
            let mut goals: Vec<&Entry<Goal>> = cx
                .site
                .corpus
                .goals
                .iter()
                .filter(|g| g.data.plan == plan.id)
                .collect();
            goals.sort_by_key(|g| g.data.number);
            let items: Vec<Item> = goals
                .iter()
                .map(|g| Item {
                    link: cx.links.entity(Kind::Goal, &g.id, root),
                    meta: Some(
                        cx.strings
                            .fmt("goal.number", &[("number", &g.data.number.to_string())]),
                    ),
                })
                .collect();
            (!items.is_empty()).then(|| Group {
                title: plan.data.title.clone(),
                url: cx.links.entity(Kind::Plan, &plan.id, root).map(|l| l.url),
                items: Some(items),
                ..Default::default()
            })
        })
        .collect();
    ListView {
        intro: cx.t("list.goals_intro").into(),
        see_also: None,
        groups,
    }
}

#[derive(Serialize)]
struct SearchView<'a> {
    description: &'a str,
    search_shards: Vec<String>,
}

fn search(cx: &Cx<'_>) -> Result<Page, Diagnostic> {
    // The layout script; the page loads the parts a query needs from it.
    let view = SearchView {
        description: cx.t("page.search_description"),
        search_shards: vec![super::search::META_PATH.to_string()],
    };
    Page::new(
        ListPage::Search.path(),
        "search.html",
        cx.t("page.search"),
        &view,
    )
    .map(|p| p.description(view.description))
}
