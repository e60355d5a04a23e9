//! Inline SVG charts for KPI series, rendered at build time (no script needed to see them).
//!
//! The kind follows the data: bars for a yearly count, a line for a long or continuous series,
//! grouped bars for several series over the same years, a baseline-to-target chart for a KGI
//! and a proportion bar for shares. Every chart has `role="img"`, a `<title>` and a `<desc>`
//! that says the trend in words, a label on every value, gaps for missing years, and colours
//! from CSS classes only (`static/chart.css`), so dark mode and print restyle it.

mod axes;
mod bars;
mod line;
mod share;
mod sparkline;
mod svg;

use crate::content::kinds::kpi::{ChartKind, KpiKind};
use crate::content::KpiSeries;
use crate::render::kpi_text::summary_text;
use crate::render::strings::Strings;
use std::fmt::Write;
use svg::{esc, H, W};

/// The chart kind chosen for these series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    Bars,
    Line,
    Grouped,
    Target,
    Share,
}

impl Drawn {
    fn class(self) -> &'static str {
        match self {
            Drawn::Bars => "bars",
            Drawn::Line => "line",
            Drawn::Grouped => "grouped",
            Drawn::Target => "target",
            Drawn::Share => "share",
        }
    }
}

pub fn kind_for(series: &[&KpiSeries]) -> Drawn {
    match series {
        [] => Drawn::Bars,
        [s] if s.kind == KpiKind::Kgi && s.target.is_some() => Drawn::Target,
        [s] if s.chart == Some(ChartKind::Share) => Drawn::Share,
        [s] if s.chart == Some(ChartKind::Line) || s.points.len() > 8 => Drawn::Line,
        [s] if s.chart == Some(ChartKind::Bar) => Drawn::Bars,
        [_] => Drawn::Bars,
        _ => Drawn::Grouped,
    }
}

/// The scale of these series: every year from the first to the last (and the target's),
/// values from zero or the lowest to the highest (100 for a share in %).
fn scale_of(series: &[&KpiSeries], drawn: Drawn) -> axes::Scale {
    let first = series[0];
    let mut years: Vec<i32> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.year))
        .collect();
    if drawn == Drawn::Target {
        years.extend(first.target.iter().map(|t| t.year));
    }
    let max = series
        .iter()
        .flat_map(|s| {
            s.points
                .iter()
                .map(|p| p.value)
                .chain(s.target.iter().map(|t| t.value))
        })
        .fold(0.0_f64, f64::max);
    let min = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.value))
        .fold(0.0_f64, f64::min);
    let top = if first.unit == "%" && drawn == Drawn::Share {
        100.0
    } else {
        max
    };
    axes::Scale::new(&years, min, top)
}

/// A chart of one or more series over the same years; `id` prefixes its element ids.
pub fn chart(series: &[&KpiSeries], id: &str, t: &Strings) -> String {
    if series.is_empty() || series.iter().all(|s| s.points.is_empty()) {
        return String::new();
    }
    let drawn = kind_for(series);
    let first = series[0];
    let title = series
        .iter()
        .map(|s| s.title.as_str())
        .collect::<Vec<_>>()
        .join(t.get("kpi.chart_separator"));
    let desc = series
        .iter()
        .map(|s| format!("{}：{}", s.title, summary_text(s, t)))
        .collect::<Vec<_>>()
        .join("。");
    let approx = t.get("kpi.approx");
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-{}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">",
        drawn.class()
    );
    let _ = write!(
        s,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(&title),
        esc(&desc)
    );
    let _ = write!(
        s,
        "<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect class=\"hatch-bg\" width=\"6\" height=\"6\"/><line class=\"hatch-line\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"/></pattern></defs>"
    );
    if drawn == Drawn::Share {
        share::draw(&mut s, first, approx);
        s.push_str("</svg>");
        return s;
    }
    let scale = scale_of(series, drawn);
    axes::draw(&mut s, &scale, &first.unit, first.period.suffix());
    match drawn {
        Drawn::Bars | Drawn::Grouped => bars::draw(&mut s, series, &scale, id, approx),
        Drawn::Line => line::draw(&mut s, first, &scale, approx),
        Drawn::Target => {
            line::draw(&mut s, first, &scale, approx);
            line::draw_target(&mut s, first, &scale, t.get("kpi.chart_target"));
        }
        Drawn::Share => {}
    }
    s.push_str("</svg>");
    s
}

/// A small trend line for the dashboard, labelled with the series' summary.
pub fn sparkline(series: &KpiSeries, t: &Strings) -> String {
    sparkline::draw(series, &summary_text(series, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings() -> Strings {
        crate::render::theme::default_strings()
    }

    fn series(toml_text: &str) -> KpiSeries {
        toml::from_str(toml_text).unwrap()
    }

    fn pts(years_values: &[(i32, f64)]) -> String {
        years_values
            .iter()
            .map(|(y, v)| format!("[[points]]\nyear = {y}\nvalue = {v}\n"))
            .collect()
    }

    fn base(title: &str, extra: &str, p: &[(i32, f64)]) -> KpiSeries {
        series(&format!("title = \"{title}\"\nkind = \"kpi\"\nunit = \"コース\"\nperiod = \"年\"\nsource = []\n{extra}\n{}", pts(p)))
    }

    /// (year, x, y, height) of every bar of a series class.
    fn bars(svg: &str, class: &str) -> Vec<(i32, f64, f64, f64)> {
        svg.split("<rect class=\"")
            .skip(1)
            .filter(|r| r.starts_with(&format!("bar {class}")))
            .map(|r| {
                let attr = |n: &str| {
                    r.split(&format!(" {n}=\""))
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap()
                        .to_string()
                };
                (
                    attr("data-year").parse().unwrap(),
                    attr("x").parse().unwrap(),
                    attr("y").parse().unwrap(),
                    attr("height").parse().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn bars_in_year_order_with_heights_proportional_to_values() {
        let s = base(
            "研修コース数",
            "",
            &[(2022, 49.0), (2023, 58.0), (2024, 69.0)],
        );
        let svg = chart(&[&s], "c", &strings());
        let b = bars(&svg, "series-0");
        assert_eq!(
            b.iter().map(|b| b.0).collect::<Vec<_>>(),
            vec![2022, 2023, 2024]
        );
        assert!(b[0].1 < b[1].1 && b[1].1 < b[2].1, "x increases");
        for (bar, v) in b.iter().zip([49.0, 58.0, 69.0]) {
            assert!((bar.3 / b[2].3 - v / 69.0).abs() < 0.01, "{bar:?}");
        }
        assert!(
            svg.contains(">49</text>") && svg.contains(">69</text>"),
            "values are labelled"
        );
        assert!(
            svg.contains("role=\"img\"")
                && svg.contains("<title id=\"c-title\">研修コース数</title>")
        );
        assert!(
            svg.contains("2022年の49コースから2024年の69コースへ増加（1.41倍）"),
            "{svg}"
        );
        assert!(
            !svg.contains("style=") && !svg.contains("fill=\"#"),
            "colours come from CSS"
        );
    }

    #[test]
    fn a_missing_year_is_a_gap_not_a_zero() {
        let s = base("x", "", &[(2018, 5.0), (2019, 6.0), (2021, 8.0)]);
        let svg = chart(&[&s], "c", &strings());
        let b = bars(&svg, "series-0");
        assert_eq!(
            b.iter().map(|b| b.0).collect::<Vec<_>>(),
            vec![2018, 2019, 2021]
        );
        assert!(svg.contains(">2020</text>"), "the 2020 slot is on the axis");
        assert!(
            b[2].1 - b[1].1 > 1.5 * (b[1].1 - b[0].1),
            "2021 sits two slots after 2019"
        );
        let l = base(
            "x",
            "chart = \"line\"",
            &[(2018, 5.0), (2019, 6.0), (2021, 8.0), (2022, 9.0)],
        );
        let svg = chart(&[&l], "c", &strings());
        assert_eq!(
            svg.matches("<path class=\"line").count(),
            2,
            "the line breaks at 2020"
        );
    }

    #[test]
    fn grouped_bars_for_several_series() {
        let a = base(
            "医療従事者",
            "",
            &[(2022, 10.0), (2023, 12.0), (2024, 15.0)],
        );
        let b = base("企業", "", &[(2022, 8.0), (2023, 9.0), (2024, 11.0)]);
        let svg = chart(&[&a, &b], "g", &strings());
        assert_eq!(bars(&svg, "series-0").len(), 3);
        assert_eq!(bars(&svg, "series-1").len(), 3);
        assert!(
            svg.contains("fill=\"url(#g-hatch)\""),
            "the second series is hatched, readable without colour"
        );
        assert!(svg.contains("class=\"legend\"") && svg.contains(">企業</text>"));
    }

    #[test]
    fn kgi_shows_baseline_and_target() {
        let k = series("title = \"市場額\"\nkind = \"kgi\"\nunit = \"兆円\"\nperiod = \"年\"\nsource = []\n[[points]]\nyear = 2024\nvalue = 10\n[target]\nyear = 2040\nvalue = 28\n");
        let svg = chart(&[&k], "k", &strings());
        assert!(svg.contains("class=\"chart chart-target\""));
        assert!(
            svg.contains("data-year=\"2040\" data-value=\"28\""),
            "{svg}"
        );
        assert!(svg.contains("目標 28兆円"));
        assert!(svg.contains("年率6.6%の伸びが必要"), "{svg}");
    }

    #[test]
    fn text_is_escaped_and_output_is_deterministic() {
        let s = base("<script>alert(1)</script>", "", &[(2022, 1.0)]);
        let svg = chart(&[&s], "e", &strings());
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
        assert_eq!(svg, chart(&[&s], "e", &strings()));
        assert!(sparkline(&s, &strings()).contains("role=\"img\""));
    }
}
