//! The lists of policies: by plan and pillar, and the filtered lists by organisation, plan and
//! pillar, each paginated.

use super::*;

pub(super) fn policy_item(cx: &Cx<'_>, p: &Entry<Policy>) -> Item {
    entity_item(
        cx,
        Kind::Policy,
        &p.id,
        Some(cx.t(p.data.kind.key()).to_string()),
    )
}

/// A plan's pillars: each top-level one followed by its sub-themes, in their order.
pub(super) fn plan_pillars<'c>(cx: &Cx<'c>, plan: &str) -> Vec<&'c Entry<Pillar>> {
    let mut v: Vec<&Entry<Pillar>> = cx
        .site
        .corpus
        .pillars
        .iter()
        .filter(|p| p.data.plan == plan)
        .map(|p| &**p)
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

pub(super) fn pillar_label(pillar: &Entry<Pillar>) -> String {
    let label = pillar
        .data
        .label
        .as_deref()
        .map(|l| format!("{l} "))
        .unwrap_or_default();
    format!("{label}{}", pillar.data.title)
}

/// The policies of `pillar`, as a group headed by the pillar (`None` when it has none).
pub(super) fn pillar_group(
    cx: &Cx<'_>,
    plan: &Entry<Plan>,
    pillar: &Entry<Pillar>,
) -> Option<Group> {
    let items: Vec<Item> = cx
        .site
        .corpus
        .policies_of_pillar(&pillar.id)
        .map(|p| policy_item(cx, p))
        .collect();
    (!items.is_empty()).then(|| Group {
        title: format!("{} — {}", plan.data.short(), pillar_label(pillar)),
        url: cx
            .links
            .entity(Kind::Pillar, &pillar.id, "")
            .map(|l| l.url().to_string()),
        items: Some(items),
        ..Default::default()
    })
}

/// The policies of a plan placed under none of its pillars.
pub(super) fn unplaced_group(cx: &Cx<'_>, plan: &Entry<Plan>) -> Option<Group> {
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
        url: cx
            .links
            .entity(Kind::Plan, &plan.id, "")
            .map(|l| l.url().to_string()),
        items: Some(rest),
        ..Default::default()
    })
}

/// The ways to narrow the list of policies, each a list of lists (`current`: this one).
pub(super) fn narrowing(cx: &Cx<'_>, current: Option<ListPage>) -> Vec<SeeAlso> {
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

pub(super) fn policies_by_pillar(cx: &Cx<'_>) -> ListSpec {
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
pub(super) enum Facet {
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
pub(super) struct Narrowed {
    kind: Kind,
    id: String,
    slug: String,
    title: String,
    groups: Vec<Group>,
    /// Heading of its entry in the index (a plan's title over its pillars).
    index_group: String,
}

/// The policies of one organisation, plan or pillar (with its sub-themes), as lists.
pub(super) fn narrowed(cx: &Cx<'_>, facet: Facet) -> Vec<Narrowed> {
    let corpus = cx.site.corpus;
    let mut out = Vec::new();
    match facet {
        Facet::Organisation => {
            let mut orgs: Vec<&Entry<Organisation>> =
                corpus.organisations.iter().map(|o| &**o).collect();
            orgs.sort_by(|a, b| a.data.name.cmp(&b.data.name).then(a.id.cmp(&b.id)));
            for o in orgs {
                let items: Vec<Item> = corpus
                    .policies_of_organisation(&o.id)
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
                            .map(|l| l.url().to_string()),
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
pub(super) fn facet_pages(cx: &Cx<'_>, facet: Facet) -> Result<Vec<Page>, Diagnostic> {
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
            link: Some(EntityLink::new(LinkParts {
                title: n.title.clone(),
                title_html: crate::render::theme::broken_escaped(&n.title),
                url: format!("{dir}index.html"),
                id: n.id.clone(),
                kind: n.kind.name(),
                kind_label: cx.t(&n.kind.label_key()).into(),
            })),
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
