//! The list pages: the top page, plans, pillars, policies (by pillar, and filtered by
//! organisation, plan and pillar), goals, organisations, documents, the search page and the
//! 404 page; split into numbered pages above the site's `paginate_by`.

use super::context::Cx;
use super::links::{EntityLink, LinkParts};
use super::page::{Crumb, Page};
use super::views::common::{kpi_card, pillar_tree, sorted_plans, KpiCard, TreeNode};
use crate::content::kinds::kpi::KpiKind;
use crate::content::{Entry, Organisation, Pillar, Plan, Policy};
use crate::diag::Diagnostic;
use crate::registry::Kind;
use crate::site::graph::NodeId;
use serde::Serialize;

mod home;
mod overview;
mod policies;

use home::*;
use overview::*;
use policies::*;

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
    /// The one page of a list with a template of its own: its view and its description.
    pub fn single<V: serde::Serialize>(
        self,
        template: &'static str,
        title: &str,
        view: &V,
        description: impl Into<String>,
    ) -> Result<Page, Diagnostic> {
        Ok(Page::new(self.path(), template, title, view)?.description(description))
    }

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
    fn rooted(mut self, root: &str, links: &crate::render::links::Links<'_, '_>) -> Group {
        if let Some(u) = self.url.as_mut() {
            u.insert_str(0, root);
        }
        let reroot = |l: &mut Option<EntityLink>| {
            if let Some(link) = l.as_mut() {
                *link = links.rooted(link, root);
            }
        };
        for i in self.items.iter_mut().flatten() {
            reroot(&mut i.link);
        }
        for t in self.tree.iter_mut().flatten() {
            reroot(&mut t.link);
            for c in &mut t.children {
                reroot(&mut c.link);
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
    for mut g in groups {
        if size > 0 && room == 0 {
            pages.push(Vec::new());
            room = size;
        }
        let n = g.len();
        if size == 0 || n <= room || g.items.is_none() {
            room = room.saturating_sub(n);
            pages.last_mut().expect("a page").push(g);
            continue;
        }
        // The entries are taken in order from one iterator, never copied: a long group is
        // cut into a thousand pieces on a large site.
        let mut entries = g.items.take().unwrap_or_default().into_iter();
        let mut first = true;
        loop {
            if room == 0 {
                pages.push(Vec::new());
                room = size;
            }
            let part: Vec<Item> = entries.by_ref().take(room).collect();
            room -= part.len();
            let mut piece = g.clone();
            if !first {
                piece.title = continued(&g.title);
                piece.nodes.clear();
            }
            piece.items = Some(part);
            pages.last_mut().expect("a page").push(piece);
            if entries.len() == 0 {
                break;
            }
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
                groups: groups
                    .into_iter()
                    .map(|g| g.rooted(&root, &cx.links))
                    .collect(),
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
    let node = cx.site.node(kind, id);
    Item {
        link: node.map(|n| cx.links.node(n, "")),
        meta,
        nodes: node.into_iter().collect(),
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
        let key = |i: &Item| {
            i.link
                .as_ref()
                .map(|l| (l.title().to_string(), l.id().to_string()))
        };
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
