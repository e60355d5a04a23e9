//! A small trend line for dashboards and cards, with the target marked.

use super::svg::{esc, r};
use crate::content::KpiSeries;
use std::fmt::Write;

pub fn draw(series: &KpiSeries, label: &str) -> String {
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
    let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sparkline\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">", esc(label));
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
