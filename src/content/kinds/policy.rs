//! Policies (measures, programmes, initiatives) and their budget lines.

use crate::content::entity::{Citation, Dated, Entity, FieldPath, KindSpec, Problem, Reference};
use crate::content::source_ref::SourceRef;
use crate::format::amount::Amount;
use crate::registry::Kind;
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
    /// Key of its label in the theme's strings.
    pub fn key(self) -> &'static str {
        match self {
            PolicyKind::Measure => "policy_kind.measure",
            PolicyKind::Programme => "policy_kind.programme",
            PolicyKind::Priority => "policy_kind.priority",
            PolicyKind::Venture => "policy_kind.venture",
            PolicyKind::Initiative => "policy_kind.initiative",
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

/// Which budget a line belongs to: the initial budget or a supplementary one, enacted or
/// still a request (案). Totals are only ever made within one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BudgetStage {
    Initial,
    InitialRequest,
    Supplementary,
    SupplementaryRequest,
    /// The label names no budget (an adjustment fund, a programme's own figure).
    Other,
}

impl BudgetStage {
    pub const ALL: [BudgetStage; 5] = [
        BudgetStage::Initial,
        BudgetStage::InitialRequest,
        BudgetStage::Supplementary,
        BudgetStage::SupplementaryRequest,
        BudgetStage::Other,
    ];

    /// Key of its label in the theme's strings.
    pub fn key(self) -> &'static str {
        match self {
            BudgetStage::Initial => "budget_stage.initial",
            BudgetStage::InitialRequest => "budget_stage.initial-request",
            BudgetStage::Supplementary => "budget_stage.supplementary",
            BudgetStage::SupplementaryRequest => "budget_stage.supplementary-request",
            BudgetStage::Other => "budget_stage.other",
        }
    }
}

impl BudgetLine {
    pub fn amount_value(&self) -> Option<Amount> {
        Amount::parse(&self.amount)
    }

    pub fn prior_value(&self) -> Option<Amount> {
        self.prior.as_deref().and_then(Amount::parse)
    }

    /// The stage, read from the label as written: 補正 for a supplementary budget, 案 for a
    /// request; 当初 or a plain 予算 (「令和６年度予算額」) is the initial budget; a label that
    /// names no budget at all is [`BudgetStage::Other`].
    pub fn stage(&self) -> BudgetStage {
        let label = crate::format::nfkc(&self.label);
        let request = label.contains('案');
        let budget = label.contains("予算") || label.contains("当初");
        match (label.contains("補正"), request, budget) {
            (true, true, _) => BudgetStage::SupplementaryRequest,
            (true, false, _) => BudgetStage::Supplementary,
            (false, true, true) => BudgetStage::InitialRequest,
            (false, false, true) => BudgetStage::Initial,
            (false, _, false) => BudgetStage::Other,
        }
    }

    /// Whether the amount may go into a total: it has a value and is not part of a fund.
    pub fn countable(&self) -> Option<f64> {
        if self.within.is_some() {
            return None;
        }
        self.amount_value().map(|a| a.yen)
    }
}

/// A dash written where an amount would be (「－」: no prior-year budget).
fn is_dash(s: &str) -> bool {
    matches!(
        crate::format::nfkc(s).trim(),
        "-" | "－" | "−" | "ー" | "―" | "(-)" | "(－)"
    )
}

front_matter! {
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
    }
    relations: relations,
    old_addresses: aliases
}

impl Entity for Policy {
    const KIND: Kind = Kind::Policy;
    const SPEC: KindSpec = KindSpec {
        name: "policy",
        source_folder: "policies",
        folder: "policies",
        markdown: true,
        template: "policy.html",
    };

    fn title(&self) -> &str {
        &self.title
    }
    common_fields!(aliases, relations);

    fn references(&self) -> Vec<Reference<'_>> {
        let mut v: Vec<Reference<'_>> = self
            .plan
            .iter()
            .map(|p| Reference::new("plan", Kind::Plan, p))
            .collect();
        v.extend(Reference::list("pillars", Kind::Pillar, &self.pillars));
        v.extend(Reference::list("goals", Kind::Goal, &self.goals));
        v.extend(Reference::list("kpis", Kind::Kpi, &self.kpis));
        v.extend(Reference::list(
            "organisations",
            Kind::Organisation,
            &self.organisations,
        ));
        v.extend(Reference::list("terms", Kind::Term, &self.terms));
        v.extend(Reference::list("related", Kind::Policy, &self.related));
        for (i, r) in self.relisted.iter().enumerate() {
            if let Some(p) = &r.pillar {
                v.push(Reference::new(
                    format!("relisted.{i}.pillar"),
                    Kind::Pillar,
                    p,
                ));
            }
        }
        v
    }

    fn other_citations(&self) -> Vec<Citation<'_>> {
        let budgets = self.budgets.iter().enumerate().map(|(i, b)| Citation {
            field: FieldPath::new("budgets", Some(i), "source"),
            source: &b.source,
        });
        let relisted = self.relisted.iter().enumerate().map(|(i, r)| Citation {
            field: FieldPath::new("relisted", Some(i), "source"),
            source: &r.source,
        });
        budgets.chain(relisted).collect()
    }

    fn check(&self, _: &crate::config::SiteConfig) -> Vec<Problem> {
        let mut out = Vec::new();
        for (i, b) in self.budgets.iter().enumerate() {
            for (what, v) in [("amount", Some(&b.amount)), ("prior", b.prior.as_ref())] {
                let Some(v) = v else { continue };
                if Amount::parse(v).is_none() && !is_dash(v) {
                    out.push(
                        Problem::error(
                            "E014",
                            format!("budgets.{i}.{what}"),
                            format!("budget {what} `{v}` is not an amount"),
                        )
                        .hint("write it as the source does, with a unit: 9.3億円, 442,607千円, 59百万円"),
                    );
                }
            }
        }
        out
    }

    /// Each budget line stands at its fiscal year.
    fn dates(&self) -> Vec<Dated<'_>> {
        self.budgets
            .iter()
            .enumerate()
            .map(|(i, b)| Dated {
                field: format!("budgets.{i}"),
                written: std::borrow::Cow::Owned(format!("{}年度", b.fiscal_year)),
                approx: false,
                what: Some(format!("{} {}", b.label, b.amount)),
            })
            .collect()
    }

    fn search_terms(&self) -> String {
        [
            self.issue.clone(),
            self.bureau.clone(),
            self.implementer.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// The policies that name each organisation, lead organisation (the first named), pillar and
/// goal, as positions in the corpus's list (so in source order): made once per corpus, on
/// first use, instead of a scan of every policy for each page that lists them.
#[derive(Debug, Clone, Default)]
pub struct PolicyIndex {
    organisation: FxHashMap<String, Vec<usize>>,
    lead: FxHashMap<String, Vec<usize>>,
    pillar: FxHashMap<String, Vec<usize>>,
    goal: FxHashMap<String, Vec<usize>>,
}

type FxHashMap<K, V> = rustc_hash::FxHashMap<K, V>;

impl PolicyIndex {
    fn new(policies: &[std::sync::Arc<crate::content::Entry<Policy>>]) -> PolicyIndex {
        let mut ix = PolicyIndex::default();
        // Each policy once under each id it names, however often it names it.
        let add = |map: &mut FxHashMap<String, Vec<usize>>, id: &String, i: usize| {
            let list = map.entry(id.clone()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        };
        for (i, p) in policies.iter().enumerate() {
            for o in &p.data.organisations {
                add(&mut ix.organisation, o, i);
            }
            if let Some(o) = p.data.organisations.first() {
                add(&mut ix.lead, o, i);
            }
            for x in &p.data.pillars {
                add(&mut ix.pillar, x, i);
            }
            for g in &p.data.goals {
                add(&mut ix.goal, g, i);
            }
        }
        ix
    }
}

impl crate::registry::Corpus {
    fn policy_index(&self) -> &PolicyIndex {
        self.policy_index
            .get_or_init(|| PolicyIndex::new(&self.policies))
    }

    fn policies_at<'a>(
        &'a self,
        at: Option<&'a Vec<usize>>,
    ) -> impl Iterator<Item = &'a crate::content::Entry<Policy>> + 'a {
        at.into_iter().flatten().map(|i| &*self.policies[*i])
    }

    /// The policies an organisation carries out (in source order).
    pub fn policies_of_organisation<'a>(
        &'a self,
        id: &str,
    ) -> impl Iterator<Item = &'a crate::content::Entry<Policy>> + 'a {
        self.policies_at(self.policy_index().organisation.get(id))
    }

    /// The policies an organisation leads: those that name it first (in source order).
    pub fn policies_led_by<'a>(
        &'a self,
        id: &str,
    ) -> impl Iterator<Item = &'a crate::content::Entry<Policy>> + 'a {
        self.policies_at(self.policy_index().lead.get(id))
    }

    /// The policies placed under a pillar (in source order).
    pub fn policies_of_pillar<'a>(
        &'a self,
        id: &str,
    ) -> impl Iterator<Item = &'a crate::content::Entry<Policy>> + 'a {
        self.policies_at(self.policy_index().pillar.get(id))
    }

    /// The policies that name a goal (in source order).
    pub fn policies_of_goal<'a>(
        &'a self,
        id: &str,
    ) -> impl Iterator<Item = &'a crate::content::Entry<Policy>> + 'a {
        self.policies_at(self.policy_index().goal.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lists_each_policy_once_per_id_in_source_order() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        std::fs::write(root.join("site.toml"), "title = \"t\"\n").expect("writes");
        let policies = root.join("content/policies");
        std::fs::create_dir_all(&policies).expect("creates");
        for (id, orgs, pillars, goals) in [
            ("a", "[\"o1\", \"o2\"]", "[\"p1\"]", "[\"g1\", \"g1\"]"),
            ("b", "[\"o2\", \"o1\", \"o2\"]", "[]", "[\"g1\"]"),
            ("c", "[\"o1\"]", "[\"p1\", \"p2\"]", "[]"),
        ] {
            std::fs::write(
                policies.join(format!("{id}.md")),
                format!(
                    "+++\ntitle = \"{id}\"\nkind = \"measure\"\norganisations = {orgs}\npillars = {pillars}\ngoals = {goals}\nsource = []\n+++\n本文。\n"
                ),
            )
            .expect("writes");
        }
        let (corpus, _) = crate::build::load(root, None).expect("the site loads");
        let ids = |it: &mut dyn Iterator<Item = &crate::content::Entry<Policy>>| -> Vec<String> {
            it.map(|p| p.id.clone()).collect()
        };
        assert_eq!(
            ids(&mut corpus.policies_of_organisation("o1")),
            ["a", "b", "c"]
        );
        assert_eq!(ids(&mut corpus.policies_of_organisation("o2")), ["a", "b"]);
        assert_eq!(ids(&mut corpus.policies_led_by("o1")), ["a", "c"]);
        assert_eq!(ids(&mut corpus.policies_led_by("o2")), ["b"]);
        assert_eq!(ids(&mut corpus.policies_of_pillar("p1")), ["a", "c"]);
        assert_eq!(ids(&mut corpus.policies_of_pillar("p2")), ["c"]);
        assert_eq!(ids(&mut corpus.policies_of_goal("g1")), ["a", "b"]);
        assert!(ids(&mut corpus.policies_of_goal("none")).is_empty());
    }

    fn line(label: &str) -> BudgetLine {
        BudgetLine {
            label: label.into(),
            fiscal_year: 2025,
            amount: "1億円".into(),
            prior: None,
            note: None,
            within: None,
            source: SourceRef::parse("a.txt#L1").unwrap(),
        }
    }

    #[test]
    fn stages_are_read_from_the_label() {
        assert_eq!(
            line("令和７年度当初予算案").stage(),
            BudgetStage::InitialRequest
        );
        assert_eq!(line("令和６年度当初予算額").stage(), BudgetStage::Initial);
        assert_eq!(line("令和６年度予算額").stage(), BudgetStage::Initial);
        assert_eq!(
            line("令和５年度補正予算額").stage(),
            BudgetStage::Supplementary
        );
        assert_eq!(
            line("令和５年度補正予算案").stage(),
            BudgetStage::SupplementaryRequest
        );
        assert_eq!(
            line("令和7年度予算額（案）").stage(),
            BudgetStage::InitialRequest
        );
    }

    #[test]
    fn a_funds_share_is_never_counted() {
        let mut b = line("令和６年度予算額");
        assert_eq!(b.countable(), Some(1e8));
        b.within = Some("地域医療介護総合確保基金の内数".into());
        assert_eq!(b.countable(), None);
    }
}
