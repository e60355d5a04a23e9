//! KPI and KGI series: yearly figures with a unit, a period kind and an optional target.

use crate::content::entity::{Citation, Entity, FieldPath, KindSpec, Problem, Reference};
use crate::content::source_ref::SourceRef;
use crate::registry::Kind;
use serde::{Deserialize, Serialize};

/// Counters accepted as KPI units, besides amounts of yen and site.toml's `extra_units`.
pub const KNOWN_UNITS: &[&str] = &[
    "件",
    "人",
    "社",
    "年",
    "か月",
    "ヶ月",
    "カ月",
    "日",
    "%",
    "％",
    "ポイント",
    "円",
    "千円",
    "万円",
    "百万円",
    "億円",
    "兆円",
    "班",
    "兆円/年",
    "億円/年",
    "件/年",
    "社/年",
    "人/年",
    "年度",
    "コース",
    "国",
    "回",
    "施設",
    "品目",
    "機関",
    "課題",
    "団体",
    "者",
    "名",
    "拠点",
    "か国",
    "カ国",
    "件数",
    "倍",
    "本",
    "種類",
    "製品",
    "品",
    "組",
    "時間",
    "ブース",
    "団体・企業",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum KpiKind {
    Kpi,
    Kgi,
}

/// Calendar years (年) or fiscal years (年度, April–March).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub enum PeriodKind {
    #[serde(rename = "年")]
    Year,
    #[serde(rename = "年度")]
    FiscalYear,
}

impl PeriodKind {
    pub fn suffix(self) -> &'static str {
        match self {
            PeriodKind::Year => "年",
            PeriodKind::FiscalYear => "年度",
        }
    }

    /// Year `year` of this kind of period: a calendar year or a fiscal year.
    pub fn date(self, year: i32) -> crate::format::date::JpDate {
        match self {
            PeriodKind::Year => crate::format::date::JpDate::year(year),
            PeriodKind::FiscalYear => crate::format::date::JpDate::fiscal_year(year),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    Line,
    Bar,
    Share,
}

/// What the figures of a series are.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// An outcome or output the plan tracks: its change over time is progress or regress.
    #[default]
    Outcome,
    /// The number of answers to a survey: it says how many replied, not how things went.
    SurveyResponses,
}

/// One figure of a series.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiPoint {
    pub year: i32,
    pub value: f64,
    /// The period as written (令和4年度).
    pub label: Option<String>,
    #[serde(default)]
    pub approx: bool,
    pub note: Option<String>,
    /// When the seed does not state the year of this figure and the editors worked it out:
    /// how (e.g. 「直近3年」を資料の年度から数えた).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
    pub source: Option<SourceRef>,
}

front_matter! {
    /// A KPI series as written in `content/kpis/*.toml`.
    pub struct KpiSeries {
        pub title: String,
        pub kind: KpiKind,
        pub unit: String,
        pub period: PeriodKind,
        /// What the figures are (default: an outcome).
        #[serde(default)]
        pub measure: Measure,
        pub goal: Option<String>,
        /// The plan a KGI belongs to (KPIs reach their plan through their goal).
        pub plan: Option<String>,
        pub group: Option<String>,
        pub chart: Option<ChartKind>,
        pub description: Option<String>,
        pub points: Vec<KpiPoint>,
        pub target: Option<KpiPoint>,
    }
    relations: relations,
    old_addresses: aliases
}

/// What the figures say, computed for the page and the chart description.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiSummary {
    pub first_year: i32,
    pub first_value: f64,
    pub last_year: i32,
    pub last_value: f64,
    /// last − first
    pub change: f64,
    /// last ÷ first, when first ≠ 0
    pub ratio: Option<f64>,
    /// For a target: target − last
    pub gap: Option<f64>,
    /// For a target: the compound yearly growth rate needed from the last figure to reach it.
    pub required_growth: Option<f64>,
    pub target_year: Option<i32>,
    pub target_value: Option<f64>,
}

impl KpiSeries {
    /// Points sorted by year (the order of the source is kept for equal years).
    pub fn sorted_points(&self) -> Vec<&KpiPoint> {
        let mut v: Vec<&KpiPoint> = self.points.iter().collect();
        v.sort_by_key(|p| p.year);
        v
    }

    /// Problems with the figures themselves (duplicate years, non-finite values).
    pub fn validate(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.points.is_empty() {
            out.push("the series has no points".to_string());
        }
        let mut years: Vec<i32> = self.points.iter().map(|p| p.year).collect();
        years.sort_unstable();
        for w in years.windows(2) {
            if w[0] == w[1] {
                out.push(format!("year {} appears twice", w[0]));
            }
        }
        for p in self.points.iter().chain(self.target.iter()) {
            if !p.value.is_finite() {
                out.push(format!("value for {} is not a finite number", p.year));
            }
            if !(1868..=2200).contains(&p.year) {
                out.push(format!("year {} is outside 1868–2200", p.year));
            }
        }
        out
    }

    pub fn summary(&self) -> Option<KpiSummary> {
        let pts = self.sorted_points();
        let first = *pts.first()?;
        let last = *pts.last()?;
        let ratio = (first.value != 0.0).then(|| last.value / first.value);
        let (gap, required_growth) = match &self.target {
            Some(t) => {
                let years = t.year - last.year;
                let growth = (years > 0 && last.value > 0.0 && t.value > 0.0)
                    .then(|| (t.value / last.value).powf(1.0 / years as f64) - 1.0);
                (Some(t.value - last.value), growth)
            }
            None => (None, None),
        };
        Some(KpiSummary {
            first_year: first.year,
            first_value: first.value,
            last_year: last.year,
            last_value: last.value,
            change: last.value - first.value,
            ratio,
            gap,
            required_growth,
            target_year: self.target.as_ref().map(|t| t.year),
            target_value: self.target.as_ref().map(|t| t.value),
        })
    }
}

impl Entity for KpiSeries {
    const KIND: Kind = Kind::Kpi;
    const SPEC: KindSpec = KindSpec {
        name: "kpi",
        source_folder: "kpis",
        folder: "kpis",
        markdown: false,
        template: "kpi.html",
    };

    fn title(&self) -> &str {
        &self.title
    }
    common_fields!(aliases, relations);

    fn references(&self) -> Vec<Reference<'_>> {
        let goal = self
            .goal
            .iter()
            .map(|g| Reference::new("goal", Kind::Goal, g));
        let plan = self
            .plan
            .iter()
            .map(|p| Reference::new("plan", Kind::Plan, p));
        goal.chain(plan).collect()
    }

    fn other_citations(&self) -> Vec<Citation<'_>> {
        let points = self.points.iter().enumerate().filter_map(|(i, p)| {
            p.source.as_ref().map(|s| Citation {
                field: FieldPath::new("points", Some(i), "source"),
                source: s,
            })
        });
        let target = self.target.iter().filter_map(|t| {
            t.source.as_ref().map(|s| Citation {
                field: FieldPath::new("target", None, "source"),
                source: s,
            })
        });
        points.chain(target).collect()
    }

    fn check(&self, config: &crate::config::SiteConfig) -> Vec<Problem> {
        let mut out: Vec<Problem> = self
            .validate()
            .into_iter()
            .map(|m| {
                Problem::error("E012", "points", m).hint("each year once, with a numeric value")
            })
            .collect();
        if !KNOWN_UNITS.contains(&self.unit.as_str()) && !config.extra_units.contains(&self.unit) {
            out.push(
                Problem::error("E013", "unit", format!("unknown unit `{}`", self.unit))
                    .hint("use a known counter (件, 人, 社, %, 億円, ...) or add it to `extra_units` in site.toml"),
            );
        }
        out
    }

    fn search_terms(&self) -> String {
        self.description.clone().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(toml_text: &str) -> KpiSeries {
        toml::from_str(toml_text).unwrap()
    }

    const KGI: &str = r#"
title = "市場規模"
kind = "kgi"
unit = "兆円"
period = "年"
source = ["a.txt#L1"]
[[points]]
year = 2024
value = 10
[target]
year = 2040
value = 28
"#;

    #[test]
    fn kgi_gap_and_required_growth() {
        let s = series(KGI).summary().unwrap();
        assert_eq!(s.gap, Some(18.0));
        // (28/10)^(1/16) − 1 = 6.646 % a year
        let g = s.required_growth.unwrap();
        assert!((g - 0.066_46).abs() < 1e-4, "{g}");
        assert!(((1.0 + g).powi(16) * 10.0 - 28.0).abs() < 1e-9);
    }

    #[test]
    fn duplicate_years_are_reported() {
        let mut s = series(KGI);
        s.points.push(s.points[0].clone());
        assert!(s
            .validate()
            .iter()
            .any(|m| m.contains("2024 appears twice")));
    }

    #[test]
    fn period_kind_reads_japanese() {
        let s = series(&KGI.replace("period = \"年\"", "period = \"年度\""));
        assert_eq!(s.period, PeriodKind::FiscalYear);
    }
}
