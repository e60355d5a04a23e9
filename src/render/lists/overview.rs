//! The lists of plans, pillars, goals, and the plain lists of a kind.

use super::*;

pub(super) fn plans(cx: &Cx<'_>) -> ListSpec {
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

pub(super) fn pillars(cx: &Cx<'_>) -> ListSpec {
    let groups = sorted_plans(cx)
        .iter()
        .map(|p| Group {
            title: p.data.title.clone(),
            url: cx
                .links
                .entity(Kind::Plan, &p.id, "")
                .map(|l| l.url().to_string()),
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

pub(super) fn goals(cx: &Cx<'_>) -> ListSpec {
    let groups = sorted_plans(cx)
        .iter()
        .filter_map(|plan| {
            let goals = crate::render::views::common::goals_of_plan(cx, &plan.id);
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
                url: cx
                    .links
                    .entity(Kind::Plan, &plan.id, "")
                    .map(|l| l.url().to_string()),
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
