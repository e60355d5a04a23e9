//! Inline SVG charts for KPI series, rendered at build time (no script needed to see them).
//!
//! The kind follows the data: bars for a yearly count, a line for a long or continuous series,
//! grouped bars for several series over the same years, a baseline-to-target chart for a KGI
//! and a proportion bar for shares. Every chart has `role="img"`, a `<title>` and a `<desc>`
//! that says the trend in words, a label on every value, gaps for missing years, and colours
//! from CSS classes only (`static/chart.css`), so dark mode and print restyle it.

use crate::content::kpi::{ChartKind, KpiKind, KpiSeries};
use crate::format::number::{compact, figure, nice_ticks};
use crate::render::pages::summary_text;
use std::fmt::Write;

const W: f64 = 640.0;
const H: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 44.0;

fn esc(s: &str) -> String {
    html_escape::encode_text(s).replace('"', "&quot;")
}

/// Coordinates with one decimal, so output is stable.
fn r(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The chart kind chosen for these series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    Bars,
    Line,
    Grouped,
    Target,
    Share,
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

fn value_label(v: f64, approx: bool, unit: &str) -> String {
    format!(
        "{}{}{}",
        if approx { "約" } else { "" },
        figure(v),
        if unit == "%" { "%" } else { "" }
    )
}

fn tick_label(v: f64, unit: &str) -> String {
    let c = compact(v);
    if unit == "%" {
        format!("{c}%")
    } else {
        c
    }
}

/// A chart of one or more series over the same years.
pub fn chart(series: &[&KpiSeries], id: &str) -> String {
    if series.is_empty() || series.iter().all(|s| s.points.is_empty()) {
        return String::new();
    }
    let drawn = kind_for(series);
    let first = series[0];
    let unit = first.unit.as_str();
    let suffix = first.period.suffix();
    let title = if series.len() > 1 {
        series
            .iter()
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>()
            .join("・")
    } else {
        first.title.clone()
    };
    let desc = series
        .iter()
        .map(|s| format!("{}：{}", s.title, summary_text(s)))
        .collect::<Vec<_>>()
        .join("。");
    // Years on the axis: every year from the first to the last (gaps stay empty).
    let mut years: Vec<i32> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.year))
        .collect();
    if drawn == Drawn::Target {
        years.extend(first.target.iter().map(|t| t.year));
    }
    let (y0, y1) = (
        *years.iter().min().unwrap_or(&0),
        *years.iter().max().unwrap_or(&0),
    );
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
    let ticks = nice_ticks(
        min.min(0.0),
        if unit == "%" && drawn == Drawn::Share {
            100.0
        } else {
            max
        },
        4,
    );
    let (tmin, tmax) = (
        *ticks.first().unwrap_or(&0.0),
        *ticks.last().unwrap_or(&1.0),
    );
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let yv = |v: f64| TOP + plot_h * (1.0 - (v - tmin) / (tmax - tmin).max(f64::EPSILON));
    let n_slots = (y1 - y0 + 1).max(1) as f64;
    let slot_w = plot_w / n_slots;
    let xc = |year: i32| LEFT + slot_w * ((year - y0) as f64 + 0.5);

    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-{}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">",
        match drawn {
            Drawn::Bars => "bars",
            Drawn::Line => "line",
            Drawn::Grouped => "grouped",
            Drawn::Target => "target",
            Drawn::Share => "share",
        }
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
        share(&mut s, first);
        s.push_str("</svg>");
        return s;
    }
    // Grid and y axis.
    for t in &ticks {
        let y = yv(*t);
        let _ = write!(
            s,
            "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            r(LEFT),
            r(y),
            r(W - RIGHT),
            r(y)
        );
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            r(LEFT - 6.0),
            r(y + 4.0),
            esc(&tick_label(*t, unit))
        );
    }
    let _ = write!(
        s,
        "<text class=\"axis-label\" x=\"4\" y=\"14\">（{}）</text>",
        esc(unit)
    );
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        r(LEFT),
        r(yv(tmin)),
        r(W - RIGHT),
        r(yv(tmin))
    );
    // X labels: every year when there is room, else every few years plus the ends.
    let step = ((n_slots / 12.0).ceil() as i32).max(1);
    for year in y0..=y1 {
        if (year - y0) % step == 0 || year == y1 {
            let _ = write!(
                s,
                "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
                r(xc(year)),
                r(H - BOTTOM + 18.0)
            );
        }
    }
    let _ = write!(
        s,
        "<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">（{suffix}）</text>",
        r(W - RIGHT),
        r(H - 6.0)
    );
    match drawn {
        Drawn::Bars | Drawn::Grouped => {
            let n = series.len() as f64;
            let bar_w = (slot_w * 0.7 / n).min(56.0);
            for (i, ser) in series.iter().enumerate() {
                for p in ser.sorted_points() {
                    let x = xc(p.year) - bar_w * n / 2.0 + bar_w * i as f64;
                    let (top, base) = (yv(p.value.max(0.0)), yv(p.value.min(0.0)));
                    let fill = if i % 2 == 1 {
                        format!(" fill=\"url(#{id}-hatch)\"")
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        s,
                        "<rect class=\"bar series-{i}\"{fill} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" data-year=\"{}\" data-value=\"{}\"><title>{}{suffix} {}{}</title></rect>",
                        r(x),
                        r(top),
                        r(bar_w - 2.0),
                        r(base - top),
                        p.year,
                        p.value,
                        p.year,
                        esc(&value_label(p.value, p.approx, unit)),
                        esc(if unit == "%" { "" } else { unit })
                    );
                    let _ = write!(s, "<text class=\"value-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", r(x + (bar_w - 2.0) / 2.0), r(top - 4.0), esc(&value_label(p.value, p.approx, unit)));
                }
            }
            if series.len() > 1 {
                legend(&mut s, series, id);
            }
        }
        Drawn::Line => line(&mut s, first, &xc, &yv, unit, 0),
        Drawn::Target => {
            line(&mut s, first, &xc, &yv, unit, 0);
            if let (Some(t), Some(last)) = (&first.target, first.sorted_points().last()) {
                let (x0, v0, x1, v1) = (xc(last.year), yv(last.value), xc(t.year), yv(t.value));
                let _ = write!(s, "<line class=\"target-line\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-dasharray=\"6 4\"/>", r(x0), r(v0), r(x1), r(v1));
                let _ = write!(
                    s,
                    "<rect class=\"target\" x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" data-year=\"{}\" data-value=\"{}\"/>",
                    r(x1 - 6.0),
                    r(v1 - 6.0),
                    t.year,
                    t.value
                );
                let _ = write!(s, "<text class=\"value-label target-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">目標 {}{}</text>", r(x1 - 8.0), r(v1 - 10.0), esc(&figure(t.value)), esc(unit));
            }
        }
        Drawn::Share => {}
    }
    s.push_str("</svg>");
    s
}

fn line(
    s: &mut String,
    ser: &KpiSeries,
    xc: &dyn Fn(i32) -> f64,
    yv: &dyn Fn(f64) -> f64,
    unit: &str,
    i: usize,
) {
    let pts = ser.sorted_points();
    // One path per run of consecutive years: a missing year breaks the line.
    let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut prev: Option<i32> = None;
    for p in &pts {
        if prev.is_none_or(|y| p.year != y + 1) {
            segments.push(Vec::new());
        }
        if let Some(seg) = segments.last_mut() {
            seg.push((xc(p.year), yv(p.value)));
        }
        prev = Some(p.year);
    }
    for seg in segments.iter().filter(|s| s.len() > 1) {
        let d: Vec<String> = seg
            .iter()
            .enumerate()
            .map(|(k, (x, y))| format!("{}{} {}", if k == 0 { "M" } else { "L" }, r(*x), r(*y)))
            .collect();
        let _ = write!(s, "<path class=\"line series-{i}\" d=\"{}\"/>", d.join(" "));
    }
    for p in pts {
        let (x, y) = (xc(p.year), yv(p.value));
        let _ = write!(s, "<circle class=\"point series-{i}\" cx=\"{}\" cy=\"{}\" r=\"4\" data-year=\"{}\" data-value=\"{}\"/>", r(x), r(y), p.year, p.value);
        let _ = write!(
            s,
            "<text class=\"value-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            r(x),
            r(y - 9.0),
            esc(&value_label(p.value, p.approx, unit))
        );
    }
}

fn legend(s: &mut String, series: &[&KpiSeries], id: &str) {
    let mut x = LEFT;
    for (i, ser) in series.iter().enumerate() {
        let fill = if i % 2 == 1 {
            format!(" fill=\"url(#{id}-hatch)\"")
        } else {
            String::new()
        };
        let _ = write!(s, "<rect class=\"legend-key series-{i}\"{fill} x=\"{}\" y=\"6\" width=\"12\" height=\"12\"/>", r(x));
        let _ = write!(
            s,
            "<text class=\"legend\" x=\"{}\" y=\"16\">{}</text>",
            r(x + 16.0),
            esc(&ser.title)
        );
        x += 24.0 + ser.title.chars().count() as f64 * 12.0;
    }
}

/// A proportion bar for the latest share (unit %).
fn share(s: &mut String, ser: &KpiSeries) {
    let Some(p) = ser.sorted_points().last().copied() else {
        return;
    };
    let frac = (p.value / 100.0).clamp(0.0, 1.0);
    let (x0, w) = (LEFT, W - LEFT - RIGHT);
    let _ = write!(
        s,
        "<rect class=\"share-rest\" x=\"{}\" y=\"110\" width=\"{}\" height=\"48\"/>",
        r(x0),
        r(w)
    );
    let _ = write!(s, "<rect class=\"bar series-0\" x=\"{}\" y=\"110\" width=\"{}\" height=\"48\" data-year=\"{}\" data-value=\"{}\"/>", r(x0), r(w * frac), p.year, p.value);
    let _ = write!(
        s,
        "<text class=\"value-label\" x=\"{}\" y=\"100\">{}年 {}</text>",
        r(x0),
        p.year,
        esc(&value_label(p.value, p.approx, "%"))
    );
}

/// A small trend line for the dashboard.
pub fn sparkline(series: &KpiSeries) -> String {
    let pts = series.sorted_points();
    if pts.is_empty() {
        return String::new();
    }
    let (w, h, pad) = (120.0, 32.0, 3.0);
    let mut vals: Vec<f64> = pts.iter().map(|p| p.value).collect();
    vals.extend(series.target.iter().map(|t| t.value));
    let (lo, hi) = (
        vals.iter().cloned().fold(f64::MAX, f64::min).min(0.0),
        vals.iter().cloned().fold(f64::MIN, f64::max),
    );
    let mut years: Vec<i32> = pts.iter().map(|p| p.year).collect();
    years.extend(series.target.iter().map(|t| t.year));
    let (y0, y1) = (
        *years.iter().min().unwrap_or(&0),
        *years.iter().max().unwrap_or(&0),
    );
    let x = |y: i32| {
        if y1 == y0 {
            w / 2.0
        } else {
            pad + (w - 2.0 * pad) * (y - y0) as f64 / (y1 - y0) as f64
        }
    };
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v - lo) / (hi - lo).max(f64::EPSILON);
    let d: Vec<String> = pts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            format!(
                "{}{} {}",
                if k == 0 { "M" } else { "L" },
                r(x(p.year)),
                r(y(p.value))
            )
        })
        .collect();
    let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sparkline\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">", esc(&summary_text(series)));
    let _ = write!(s, "<path class=\"line series-0\" d=\"{}\"/>", d.join(" "));
    if let Some(last) = pts.last() {
        let _ = write!(
            s,
            "<circle class=\"point series-0\" cx=\"{}\" cy=\"{}\" r=\"2.5\"/>",
            r(x(last.year)),
            r(y(last.value))
        );
    }
    if let Some(t) = &series.target {
        let _ = write!(
            s,
            "<rect class=\"target\" x=\"{}\" y=\"{}\" width=\"5\" height=\"5\"/>",
            r(x(t.year) - 2.5),
            r(y(t.value) - 2.5)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let svg = chart(&[&s], "c");
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
        let svg = chart(&[&s], "c");
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
        let svg = chart(&[&l], "c");
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
        let svg = chart(&[&a, &b], "g");
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
        let svg = chart(&[&k], "k");
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
        let svg = chart(&[&s], "e");
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
        assert_eq!(svg, chart(&[&s], "e"));
        assert!(sparkline(&s).contains("role=\"img\""));
    }
}
