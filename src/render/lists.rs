//! The list pages: the top page, plans, pillars, policies (by pillar and by organisation),
//! goals, organisations, documents, the search page and the 404 page.

use super::context::Cx;
use super::links::EntityLink;
use super::page::{Crumb, Page};
use super::views::common::{kpi_card, pillar_tree, sorted_plans, KpiCard, TreeNode};
use crate::content::kinds::kpi::KpiKind;
use crate::content::{Entry, Organisation, Pillar, Plan, Policy};
use crate::diag::Diagnostic;
use crate::registry::Kind;
use crate::site::graph::NodeId;
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
    PoliciesByPlan,
    PoliciesByPillar,
    Goals,
    Kpis,
    Organisations,
    Documents,
    Glossary,
    Budgets,
    Timeline,
    Funding,
    Search,
}

impl ListPage {
    pub const ALL: [ListPage; 17] = [
        ListPage::Index,
        ListPage::NotFound,
        ListPage::Plans,
        ListPage::Pillars,
        ListPage::Policies,
        ListPage::PoliciesByOrganisation,
        ListPage::PoliciesByPlan,
        ListPage::PoliciesByPillar,
        ListPage::Goals,
        ListPage::Kpis,
        ListPage::Organisations,
        ListPage::Documents,
        ListPage::Glossary,
        ListPage::Budgets,
        ListPage::Timeline,
        ListPage::Funding,
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
            ListPage::PoliciesByPlan => "policies/by-plan/index.html",
            ListPage::PoliciesByPillar => "policies/by-pillar/index.html",
            ListPage::Goals => "goals/index.html",
            ListPage::Kpis => "kpis/index.html",
            ListPage::Organisations => "organisations/index.html",
            ListPage::Documents => "documents/index.html",
            ListPage::Glossary => "glossary/index.html",
            ListPage::Budgets => "budgets/index.html",
            ListPage::Timeline => "events/index.html",
            ListPage::Funding => "funding/index.html",
            ListPage::Search => "search/index.html",
        }
    }

    /// Whether the page shows only what front matter says (so a body edit leaves it as it is).
    pub fn front_matter_only(self) -> bool {
        !matches!(self, ListPage::Index | ListPage::NotFound)
    }

    /// The folder of the list (`policies/`): its numbered pages go under `page/`.
    pub fn dir(self) -> &'static str {
        self.path().trim_end_matches("index.html")
    }

    /// The page, or the pages of a list split into numbered pages (and, for the filtered
    /// lists of policies, one list per organisation, plan or pillar besides their index).
    pub fn render(self, cx: &Cx<'_>) -> Result<Vec<Page>, Diagnostic> {
        let root = super::page::root_of(self.path());
        let root = root.as_str();
        let site = cx.site;
        let one = |p: Page| Ok(vec![p]);
        match self {
            ListPage::Index => one(index(cx, root)?.updated(site.newest(nodes_all(cx)))),
            ListPage::NotFound => one(Page::new(
                self.path(),
                "404.html",
                cx.t("page.not_found"),
                &Empty {},
            )?),
            ListPage::Plans => paginated(cx, plans(cx)),
            ListPage::Pillars => paginated(cx, pillars(cx)),
            ListPage::Policies => paginated(cx, policies_by_pillar(cx)),
            ListPage::PoliciesByOrganisation => facet_pages(cx, Facet::Organisation),
            ListPage::PoliciesByPlan => facet_pages(cx, Facet::Plan),
            ListPage::PoliciesByPillar => facet_pages(cx, Facet::Pillar),
            ListPage::Goals => paginated(cx, goals(cx)),
            ListPage::Kpis => {
                one(super::dashboard::page(cx, root)?.updated(site.newest(nodes_of(cx, Kind::Kpi))))
            }
            ListPage::Organisations => paginated(
                cx,
                plain(
                    cx,
                    self,
                    Kind::Organisation,
                    cx.t("list.organisations"),
                    cx.t("list.organisations_intro"),
                ),
            ),
            ListPage::Documents => paginated(
                cx,
                plain(
                    cx,
                    self,
                    Kind::Document,
                    cx.t("list.documents_group"),
                    cx.t("list.documents_intro"),
                ),
            ),
            ListPage::Glossary => one(super::glossary_index::page(cx, root)?
                .updated(site.newest(nodes_of(cx, Kind::Term)))),
            ListPage::Budgets => {
                one(super::budgets::page(cx, root)?.updated(site.newest(budgeted(cx))))
            }
            ListPage::Timeline => {
                let dated = (0..site.entries.len())
                    .map(|i| NodeId(i as u32))
                    .filter(|n| !site.entry(*n).dates().is_empty());
                one(super::timeline::page(cx, root)?.updated(site.newest(dated)))
            }
            ListPage::Funding => {
                one(super::funding::page(cx, root)?.updated(site.newest(budgeted(cx))))
            }
            ListPage::Search => one(search(cx)?),
        }
    }
}

/// The policies with budget lines.
fn budgeted<'a>(cx: &'a Cx<'_>) -> impl Iterator<Item = NodeId> + 'a {
    cx.site
        .corpus
        .policies
        .iter()
        .filter(|p| !p.data.budgets.is_empty())
        .filter_map(|p| cx.site.node(Kind::Policy, &p.id))
}

fn nodes_all(cx: &Cx<'_>) -> impl Iterator<Item = NodeId> {
    (0..cx.site.entries.len()).map(|i| NodeId(i as u32))
}

fn nodes_of(cx: &Cx<'_>, kind: Kind) -> impl Iterator<Item = NodeId> {
    cx.site.node_range(kind).map(|i| NodeId(i as u32))
}

#[derive(Serialize)]
struct Empty {}

/// An item of a list: a link and a short note.
#[derive(Serialize, Clone)]
pub struct Item {
    link: Option<EntityLink>,
    meta: Option<String>,
    /// The entities whose dates the item stands for (its own; a filtered list's entries).
    #[serde(skip)]
    nodes: Vec<NodeId>,
}

/// A group of a list page: a heading (linked when it is a page), items or a pillar tree.
#[derive(Serialize, Default, Clone)]
pub struct Group {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<Item>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tree: Option<Vec<TreeNode>>,
    /// The entities of a tree, for the page's date.
    #[serde(skip)]
    nodes: Vec<NodeId>,
}

impl Group {
    /// How many entries the group counts for when a list is split into pages.
    fn len(&self) -> usize {
        self.items.as_ref().map_or(0, Vec::len) + self.tree.as_ref().map_or(0, Vec::len)
    }

    /// Every link made relative to a page whose root is `root` (they are built from the
    /// output root).
    fn rooted(mut self, root: &str) -> Group {
        if let Some(u) = self.url.as_mut() {
            u.insert_str(0, root);
        }
        for i in self.items.iter_mut().flatten() {
            if let Some(l) = i.link.as_mut() {
                l.url.insert_str(0, root);
            }
        }
        for t in self.tree.iter_mut().flatten() {
            if let Some(l) = t.link.as_mut() {
                l.url.insert_str(0, root);
            }
            for c in &mut t.children {
                if let Some(l) = c.link.as_mut() {
                    l.url.insert_str(0, root);
                }
            }
        }
        self
    }

    fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.nodes
            .iter()
            .chain(self.items.iter().flatten().flat_map(|i| i.nodes.iter()))
            .copied()
    }
}

#[derive(Serialize, Clone)]
struct SeeAlso {
    title: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
pub struct ListView {
    intro: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    see_also: Option<Vec<SeeAlso>>,
    groups: Vec<Group>,
}

/// A list before it is split into pages: every link from the output root.
struct ListSpec {
    /// Folder of its first page (`policies/`).
    dir: String,
    title: String,
    intro: String,
    /// Links to related lists (the filtered lists of policies).
    see_also: Option<Vec<SeeAlso>>,
    crumbs: Vec<Crumb>,
    groups: Vec<Group>,
}

impl ListSpec {
    /// A list page of groups, with its title and introduction from the theme's strings.
    fn new(
        cx: &Cx<'_>,
        page: ListPage,
        title_key: &str,
        intro_key: &str,
        groups: Vec<Group>,
    ) -> ListSpec {
        ListSpec {
            dir: page.dir().into(),
            title: cx.t(title_key).into(),
            intro: cx.t(intro_key).into(),
            see_also: None,
            crumbs: Vec::new(),
            groups,
        }
    }
}

/// Splits the groups into pages of at most `size` entries (0: one page); a group split
/// across pages repeats its heading, marked as continued.
fn split(groups: Vec<Group>, size: usize, continued: &dyn Fn(&str) -> String) -> Vec<Vec<Group>> {
    let mut pages: Vec<Vec<Group>> = vec![Vec::new()];
    let mut room = size;
    for g in groups {
        let mut g = g;
        let mut first = true;
        loop {
            if size > 0 && room == 0 {
                pages.push(Vec::new());
                room = size;
            }
            let n = g.len();
            let fits = size == 0 || n <= room || g.items.is_none();
            if fits {
                room = room.saturating_sub(n);
                if !first {
                    g.title = continued(&g.title);
                }
                pages.last_mut().expect("a page").push(g);
                break;
            }
            let mut rest = g.clone();
            let items = g.items.take().unwrap_or_default();
            let (head, tail) = items.split_at(room);
            g.items = Some(head.to_vec());
            rest.items = Some(tail.to_vec());
            rest.nodes.clear();
            if !first {
                g.title = continued(&g.title);
            }
            pages.last_mut().expect("a page").push(g);
            room = 0;
            g = rest;
            first = false;
        }
    }
    pages
}

/// The pages of a list: page 1 at `<dir>index.html`, the others at `<dir>page/N/index.html`,
/// each with its page number in the title, links to the others and the newest date of its
/// entries.
fn paginated(cx: &Cx<'_>, spec: ListSpec) -> Result<Vec<Page>, Diagnostic> {
    let size = cx.site.corpus.config.paginate_by;
    let total: usize = spec.groups.iter().map(Group::len).sum();
    let continued = |t: &str| cx.strings.fmt("list.continued", &[("title", t)]);
    let pages = split(spec.groups, size, &continued);
    let count = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(i, groups)| {
            let number = i + 1;
            let path = super::pager::page_path(&spec.dir, number);
            let root = super::page::root_of(&path);
            let updated = cx.site.newest(groups.iter().flat_map(Group::nodes));
            let title = if count > 1 {
                cx.strings.fmt(
                    "list.page_title",
                    &[
                        ("title", &spec.title),
                        ("number", &number.to_string()),
                        ("count", &count.to_string()),
                    ],
                )
            } else {
                spec.title.clone()
            };
            let view = ListView {
                intro: spec.intro.clone(),
                see_also: spec.see_also.clone().map(|v| {
                    v.into_iter()
                        .map(|s| SeeAlso {
                            url: format!("{root}{}", s.url),
                            ..s
                        })
                        .collect()
                }),
                groups: groups.into_iter().map(|g| g.rooted(&root)).collect(),
            };
            let mut crumbs = spec.crumbs.clone();
            if number > 1 {
                crumbs.push(Crumb::new(
                    spec.title.clone(),
                    super::pager::page_path(&spec.dir, 1),
                ));
            }
            let mut page = Page::new(path, "list.html", title, &view)?
                .crumbs(crumbs)
                .updated(updated);
            if count > 1 {
                page.pager = Some(super::pager::Pager::new(
                    &spec.dir, number, count, total, size,
                ));
            }
            Ok(page)
        })
        .collect()
}

/// An item linking to an entity's page, from the output root.
fn entity_item(cx: &Cx<'_>, kind: Kind, id: &str, meta: Option<String>) -> Item {
    Item {
        link: cx.links.entity(kind, id, ""),
        meta,
        nodes: cx.site.node(kind, id).into_iter().collect(),
    }
}

fn plain(cx: &Cx<'_>, page: ListPage, kind: Kind, title: &str, intro: &str) -> ListSpec {
    let mut items: Vec<Item> = cx
        .site
        .corpus
        .of_kind(kind)
        .iter()
        .map(|e| entity_item(cx, kind, e.id(), None))
        .collect();
    items.sort_by(|a, b| {
        let key = |i: &Item| i.link.as_ref().map(|l| (l.title.clone(), l.id.clone()));
        key(a).cmp(&key(b))
    });
    ListSpec {
        dir: page.dir().into(),
        title: cx.t(&format!("list.{}", kind.folder())).into(),
        intro: intro.into(),
        see_also: None,
        crumbs: Vec::new(),
        groups: vec![Group {
            title: title.into(),
            items: Some(items),
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

fn plans(cx: &Cx<'_>) -> ListSpec {
    let items = sorted_plans(cx)
        .iter()
        .map(|p| entity_item(cx, Kind::Plan, &p.id, p.data.status.clone()))
        .collect();
    ListSpec {
        dir: ListPage::Plans.dir().into(),
        title: cx.t("list.plans").into(),
        intro: cx.t("list.plans_intro").into(),
        see_also: None,
        crumbs: Vec::new(),
        groups: vec![Group {
            title: cx.t("list.plans_group").into(),
            items: Some(items),
            ..Default::default()
        }],
    }
}

fn pillars(cx: &Cx<'_>) -> ListSpec {
    let groups = sorted_plans(cx)
        .iter()
        .map(|p| Group {
            title: p.data.title.clone(),
            url: cx.links.entity(Kind::Plan, &p.id, "").map(|l| l.url),
            tree: Some(pillar_tree(cx, &p.id, "")),
            nodes: cx
                .site
                .corpus
                .pillars
                .iter()
                .filter(|x| x.data.plan == p.id)
                .filter_map(|x| cx.site.node(Kind::Pillar, &x.id))
                .collect(),
            ..Default::default()
        })
        .collect();
    ListSpec::new(
        cx,
        ListPage::Pillars,
        "list.pillars",
        "list.pillars_intro",
        groups,
    )
}

fn policy_item(cx: &Cx<'_>, p: &Entry<Policy>) -> Item {
    entity_item(
        cx,
        Kind::Policy,
        &p.id,
        Some(cx.t(p.data.kind.key()).to_string()),
    )
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

fn pillar_label(pillar: &Entry<Pillar>) -> String {
    let label = pillar
        .data
        .label
        .as_deref()
        .map(|l| format!("{l} "))
        .unwrap_or_default();
    format!("{label}{}", pillar.data.title)
}

/// The policies of `pillar`, as a group headed by the pillar (`None` when it has none).
fn pillar_group(cx: &Cx<'_>, plan: &Entry<Plan>, pillar: &Entry<Pillar>) -> Option<Group> {
    let items: Vec<Item> = cx
        .site
        .corpus
        .policies
        .iter()
        .filter(|p| p.data.pillars.contains(&pillar.id))
        .map(|p| policy_item(cx, p))
        .collect();
    (!items.is_empty()).then(|| Group {
        title: format!("{} — {}", plan.data.short(), pillar_label(pillar)),
        url: cx.links.entity(Kind::Pillar, &pillar.id, "").map(|l| l.url),
        items: Some(items),
        ..Default::default()
    })
}

/// The policies of a plan placed under none of its pillars.
fn unplaced_group(cx: &Cx<'_>, plan: &Entry<Plan>) -> Option<Group> {
    let rest: Vec<Item> = cx
        .site
        .corpus
        .policies
        .iter()
        .filter(|p| p.data.plan.as_deref() == Some(plan.id.as_str()) && p.data.pillars.is_empty())
        .map(|p| policy_item(cx, p))
        .collect();
    (!rest.is_empty()).then(|| Group {
        title: cx
            .strings
            .fmt("list.policies_unplaced", &[("plan", &plan.data.title)]),
        url: cx.links.entity(Kind::Plan, &plan.id, "").map(|l| l.url),
        items: Some(rest),
        ..Default::default()
    })
}

/// The ways to narrow the list of policies, each a list of lists (`current`: this one).
fn narrowing(cx: &Cx<'_>, current: Option<ListPage>) -> Vec<SeeAlso> {
    [
        (ListPage::Policies, "list.all_policies"),
        (
            ListPage::PoliciesByOrganisation,
            "list.by_organisation_link",
        ),
        (ListPage::PoliciesByPlan, "list.by_plan_link"),
        (ListPage::PoliciesByPillar, "list.by_pillar_link"),
    ]
    .into_iter()
    .map(|(l, key)| SeeAlso {
        title: cx.t(key).into(),
        url: l.path().into(),
        current: Some(l) == current,
    })
    .collect()
}

fn policies_by_pillar(cx: &Cx<'_>) -> ListSpec {
    let policies = &cx.site.corpus.policies;
    let mut groups = Vec::new();
    for plan in sorted_plans(cx) {
        for pillar in plan_pillars(cx, &plan.id) {
            groups.extend(pillar_group(cx, plan, pillar));
        }
        groups.extend(unplaced_group(cx, plan));
    }
    let others: Vec<Item> = policies
        .iter()
        .filter(|p| p.data.pillars.is_empty() && p.data.plan.is_none())
        .map(|p| policy_item(cx, p))
        .collect();
    if !others.is_empty() {
        groups.push(Group {
            title: cx.t("list.policies_ministries").into(),
            items: Some(others),
            ..Default::default()
        });
    }
    ListSpec {
        dir: ListPage::Policies.dir().into(),
        title: cx.t("list.policies").into(),
        intro: cx.t("list.policies_intro").into(),
        see_also: Some(narrowing(cx, Some(ListPage::Policies))),
        crumbs: Vec::new(),
        groups,
    }
}

/// A way to narrow the list of policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Organisation,
    Plan,
    Pillar,
}

impl Facet {
    fn list(self) -> ListPage {
        match self {
            Facet::Organisation => ListPage::PoliciesByOrganisation,
            Facet::Plan => ListPage::PoliciesByPlan,
            Facet::Pillar => ListPage::PoliciesByPillar,
        }
    }
}

/// One filtered list: its heading, the entity it is about and its groups of policies.
struct Narrowed {
    kind: Kind,
    id: String,
    slug: String,
    title: String,
    groups: Vec<Group>,
    /// Heading of its entry in the index (a plan's title over its pillars).
    index_group: String,
}

/// The policies of one organisation, plan or pillar (with its sub-themes), as lists.
fn narrowed(cx: &Cx<'_>, facet: Facet) -> Vec<Narrowed> {
    let corpus = cx.site.corpus;
    let mut out = Vec::new();
    match facet {
        Facet::Organisation => {
            let mut orgs: Vec<&Entry<Organisation>> = corpus.organisations.iter().collect();
            orgs.sort_by(|a, b| a.data.name.cmp(&b.data.name).then(a.id.cmp(&b.id)));
            for o in orgs {
                let items: Vec<Item> = corpus
                    .policies
                    .iter()
                    .filter(|p| p.data.organisations.contains(&o.id))
                    .map(|p| policy_item(cx, p))
                    .collect();
                if items.is_empty() {
                    continue;
                }
                out.push(Narrowed {
                    kind: Kind::Organisation,
                    id: o.id.clone(),
                    slug: o.slug.clone(),
                    title: o.data.name.clone(),
                    groups: vec![Group {
                        title: o.data.name.clone(),
                        url: cx
                            .links
                            .entity(Kind::Organisation, &o.id, "")
                            .map(|l| l.url),
                        items: Some(items),
                        ..Default::default()
                    }],
                    index_group: cx.t("list.by_organisation").into(),
                });
            }
        }
        Facet::Plan => {
            for plan in sorted_plans(cx) {
                let mut groups: Vec<Group> = plan_pillars(cx, &plan.id)
                    .into_iter()
                    .filter_map(|pillar| pillar_group(cx, plan, pillar))
                    .collect();
                groups.extend(unplaced_group(cx, plan));
                if groups.is_empty() {
                    continue;
                }
                out.push(Narrowed {
                    kind: Kind::Plan,
                    id: plan.id.clone(),
                    slug: plan.slug.clone(),
                    title: plan.data.title.clone(),
                    groups,
                    index_group: cx.t("list.by_plan").into(),
                });
            }
        }
        Facet::Pillar => {
            for plan in sorted_plans(cx) {
                let all = plan_pillars(cx, &plan.id);
                for pillar in &all {
                    // A pillar's list holds its own policies and those of its sub-themes.
                    let groups: Vec<Group> = all
                        .iter()
                        .filter(|p| {
                            p.id == pillar.id || p.data.parent.as_deref() == Some(&pillar.id)
                        })
                        .filter_map(|p| pillar_group(cx, plan, p))
                        .collect();
                    if groups.is_empty() {
                        continue;
                    }
                    out.push(Narrowed {
                        kind: Kind::Pillar,
                        id: pillar.id.clone(),
                        slug: pillar.slug.clone(),
                        title: pillar_label(pillar),
                        groups,
                        index_group: plan.data.title.clone(),
                    });
                }
            }
        }
    }
    out
}

/// A filtered list of policies: its index (each organisation, plan or pillar with the
/// number of its policies) and a list for each, split into pages like every list.
fn facet_pages(cx: &Cx<'_>, facet: Facet) -> Result<Vec<Page>, Diagnostic> {
    let list = facet.list();
    let (title_key, intro_key) = match facet {
        Facet::Organisation => ("list.by_organisation", "list.by_organisation_intro"),
        Facet::Plan => ("list.by_plan", "list.by_plan_intro"),
        Facet::Pillar => ("list.by_pillar", "list.by_pillar_intro"),
    };
    let lists = narrowed(cx, facet);
    let top = Crumb::new(cx.t("list.policies"), ListPage::Policies.path());
    let mut index_groups: Vec<Group> = Vec::new();
    let mut pages = Vec::new();
    for n in lists {
        let dir = format!("{}{}/", list.dir(), n.slug);
        let entries: Vec<NodeId> = n.groups.iter().flat_map(Group::nodes).collect();
        let count: usize = n.groups.iter().map(Group::len).sum();
        let item = Item {
            link: Some(EntityLink {
                title: n.title.clone(),
                url: format!("{dir}index.html"),
                id: n.id.clone(),
                kind: n.kind.name(),
                kind_label: cx.t(&n.kind.label_key()).into(),
            }),
            meta: Some(
                cx.strings
                    .fmt("list.count", &[("count", &count.to_string())]),
            ),
            nodes: entries,
        };
        match index_groups.last_mut() {
            Some(g) if g.title == n.index_group => g.items.get_or_insert_with(Vec::new).push(item),
            _ => index_groups.push(Group {
                title: n.index_group.clone(),
                items: Some(vec![item]),
                ..Default::default()
            }),
        }
        pages.extend(paginated(
            cx,
            ListSpec {
                dir,
                title: cx.strings.fmt("list.policies_of", &[("name", &n.title)]),
                intro: cx.strings.fmt(
                    "list.policies_of_intro",
                    &[("name", &n.title), ("count", &count.to_string())],
                ),
                see_also: Some(narrowing(cx, None)),
                crumbs: vec![top.clone(), Crumb::new(cx.t(title_key), list.path())],
                groups: n.groups,
            },
        )?);
    }
    let mut index = paginated(
        cx,
        ListSpec {
            dir: list.dir().into(),
            title: cx.t(title_key).into(),
            intro: cx.t(intro_key).into(),
            see_also: Some(narrowing(cx, Some(list))),
            crumbs: vec![top],
            groups: index_groups,
        },
    )?;
    index.extend(pages);
    Ok(index)
}

fn goals(cx: &Cx<'_>) -> ListSpec {
    let groups = sorted_plans(cx)
        .iter()
        .filter_map(|plan| {
            let goals = super::views::common::goals_of_plan(cx, &plan.id);
            let items: Vec<Item> = goals
                .iter()
                .map(|g| {
                    entity_item(
                        cx,
                        Kind::Goal,
                        &g.id,
                        Some(
                            cx.strings
                                .fmt("goal.number", &[("number", &g.data.number.to_string())]),
                        ),
                    )
                })
                .collect();
            (!items.is_empty()).then(|| Group {
                title: plan.data.title.clone(),
                url: cx.links.entity(Kind::Plan, &plan.id, "").map(|l| l.url),
                items: Some(items),
                ..Default::default()
            })
        })
        .collect();
    ListSpec::new(
        cx,
        ListPage::Goals,
        "list.goals",
        "list.goals_intro",
        groups,
    )
}

#[derive(Serialize)]
struct SearchView<'a> {
    description: &'a str,
    search_shards: Vec<String>,
}

fn search(cx: &Cx<'_>) -> Result<Page, Diagnostic> {
    let shards = super::search::shard_count(cx.site.entries.len());
    let view = SearchView {
        description: cx.t("page.search_description"),
        search_shards: (0..shards).map(super::search::shard_path).collect(),
    };
    Page::new(
        ListPage::Search.path(),
        "search.html",
        cx.t("page.search"),
        &view,
    )
    .map(|p| p.description(view.description))
}
