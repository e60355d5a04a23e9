//! The budgets page: every organisation's budget lines as written, with the yen equivalent.

use super::context::Cx;
use super::links::EntityLink;
use super::lists::ListPage;
use super::page::Page;
use super::views::common::{budgets_of, BudgetRow, BudgetTotal};
use crate::content::{Entry, Organisation};
use crate::diag::Diagnostic;
use crate::registry::Kind;
use serde::Serialize;

#[derive(Serialize)]
struct Group {
    org: Option<EntityLink>,
    rows: Vec<BudgetRow>,
    totals: Vec<BudgetTotal>,
}

#[derive(Serialize)]
struct Budgets<'a> {
    description: &'a str,
    groups: Vec<Group>,
}

pub fn page(cx: &Cx<'_>, root: &str) -> Result<Page, Diagnostic> {
    let mut orgs: Vec<&Entry<Organisation>> =
        cx.site.corpus.organisations.iter().map(|e| &**e).collect();
    orgs.sort_by(|a, b| a.data.name.cmp(&b.data.name));
    let groups = orgs
        .iter()
        .filter_map(|o| {
            let (rows, totals) = budgets_of(cx, &o.id, root);
            (!rows.is_empty()).then(|| Group {
                org: cx.links.entity(Kind::Organisation, &o.id, root),
                rows,
                totals,
            })
        })
        .collect();
    let view = Budgets {
        description: cx.t("list.budgets_description"),
        groups,
    };
    ListPage::Budgets.single(
        "budgets.html",
        cx.t("list.budgets"),
        &view,
        view.description,
    )
}
