//! Policies (measures, programmes, initiatives) and their budget lines.

use super::relation::Relation;
use super::source_ref::{one_or_many, SourceRef};
use crate::format::amount::Amount;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    Measure,
    Programme,
    Priority,
    Venture,
    Initiative,
}

impl PolicyKind {
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::Measure => "取組の方向性",
            PolicyKind::Programme => "事業",
            PolicyKind::Priority => "優先施策",
            PolicyKind::Venture => "ベンチャー支援",
            PolicyKind::Initiative => "取組",
        }
    }
}

/// Another place where the same measure is listed (再掲).
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relisting {
    pub pillar: Option<String>,
    pub source: SourceRef,
}

/// One budget line as the source writes it.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    /// Fiscal year and kind as written, e.g. 令和７年度当初予算案.
    pub label: String,
    /// Western fiscal year (April–March).
    pub fiscal_year: i32,
    /// Amount as written, e.g. 9.3億円 or 442,607千円.
    pub amount: String,
    /// Prior-year amount as written.
    pub prior: Option<String>,
    pub note: Option<String>,
    /// When the amount is part of a larger fund or budget (内数), that fund as written: such
    /// an amount is never added into a total.
    pub within: Option<String>,
    pub source: SourceRef,
}

impl BudgetLine {
    pub fn amount_value(&self) -> Option<Amount> {
        Amount::parse(&self.amount)
    }

    pub fn prior_value(&self) -> Option<Amount> {
        self.prior.as_deref().and_then(Amount::parse)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub title: String,
    pub kind: PolicyKind,
    pub plan: Option<String>,
    #[serde(default)]
    pub pillars: Vec<String>,
    #[serde(default)]
    pub goals: Vec<String>,
    #[serde(default)]
    pub kpis: Vec<String>,
    #[serde(default)]
    pub organisations: Vec<String>,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    /// 論点, as written.
    pub issue: Option<String>,
    pub bureau: Option<String>,
    pub implementer: Option<String>,
    #[serde(default)]
    pub relisted: Vec<Relisting>,
    #[serde(default)]
    pub budgets: Vec<BudgetLine>,
    /// Relations to other layers, each with its basis.
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(deserialize_with = "one_or_many")]
    #[schemars(with = "super::source_ref::OneOrMany")]
    pub source: Vec<SourceRef>,
    pub slug: Option<String>,
}
