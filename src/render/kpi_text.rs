//! KPI prose: a series summed up in one sentence, in the theme's words.

use super::strings::Strings;
use crate::content::kinds::kpi::Measure;
use crate::content::KpiSeries;
use crate::format::number::{percent, trim_decimals, with_unit};

/// 「2022年度の49コースから2024年度の69コースへ増加（1.41倍）」, and the target if any; one
/// figure alone is stated without a trend, and survey answer counts as counts.
pub fn summary_text(s: &KpiSeries, t: &Strings) -> String {
    let Some(sum) = s.summary() else {
        return String::new();
    };
    let unit = &s.unit;
    let suffix = s.period.suffix();
    let mut text = if s.measure == Measure::SurveyResponses {
        // A count of answers says how many replied, not whether things went up or down.
        let points: Vec<String> = s
            .sorted_points()
            .iter()
            .map(|p| format!("{}{suffix} {}", p.year, with_unit(p.value, unit)))
            .collect();
        t.fmt("kpi.survey", &[("points", &points.join("、"))])
    } else if sum.first_year == sum.last_year {
        t.fmt(
            "kpi.single",
            &[
                ("year", &sum.last_year.to_string()),
                ("suffix", suffix),
                ("value", &with_unit(sum.last_value, unit)),
            ],
        )
    } else {
        let direction = if sum.change > 0.0 {
            t.get("kpi.up")
        } else if sum.change < 0.0 {
            t.get("kpi.down")
        } else {
            t.get("kpi.flat")
        };
        let ratio = sum
            .ratio
            .map(|r| t.fmt("kpi.ratio_paren", &[("ratio", &trim_decimals(r, 2))]))
            .unwrap_or_default();
        t.fmt(
            "kpi.change",
            &[
                ("first_year", &sum.first_year.to_string()),
                ("suffix", suffix),
                ("first", &with_unit(sum.first_value, unit)),
                ("last_year", &sum.last_year.to_string()),
                ("last", &with_unit(sum.last_value, unit)),
                ("direction", direction),
                ("ratio", &ratio),
            ],
        )
    };
    if let (Some(ty), Some(tv)) = (sum.target_year, sum.target_value) {
        text.push_str(&t.fmt(
            "kpi.target",
            &[
                ("year", &ty.to_string()),
                ("suffix", suffix),
                ("value", &with_unit(tv, unit)),
            ],
        ));
        if let Some(g) = sum.required_growth {
            text.push_str(&t.fmt("kpi.required_growth", &[("rate", &percent(g))]));
        }
    }
    text
}
