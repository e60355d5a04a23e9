//! Lines (broken where a year is missing) and the KGI chart: the series, then a dashed line
//! from the last figure to the target.

use super::axes::{value_label, Scale};
use super::svg::{esc, r};
use crate::content::KpiSeries;
use crate::format::number::figure;
use std::fmt::Write;

pub fn draw(s: &mut String, ser: &KpiSeries, scale: &Scale, approx: &str) {
    let unit = ser.unit.as_str();
    let pts = ser.sorted_points();
    // One path per run of consecutive years: a missing year breaks the line.
    let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut prev: Option<i32> = None;
    for p in &pts {
        if prev.is_none_or(|y| p.year != y + 1) {
            segments.push(Vec::new());
        }
        if let Some(seg) = segments.last_mut() {
            seg.push((scale.x(p.year), scale.y(p.value)));
        }
        prev = Some(p.year);
    }
    for seg in segments.iter().filter(|s| s.len() > 1) {
        let d: Vec<String> = seg
            .iter()
            .enumerate()
            .map(|(k, (x, y))| format!("{}{} {}", if k == 0 { "M" } else { "L" }, r(*x), r(*y)))
            .collect();
        let _ = write!(s, "<path class=\"line series-0\" d=\"{}\"/>", d.join(" "));
    }
    for p in pts {
        let (x, y) = (scale.x(p.year), scale.y(p.value));
        let _ = write!(s, "<circle class=\"point series-0\" cx=\"{}\" cy=\"{}\" r=\"4\" data-year=\"{}\" data-value=\"{}\"/>", r(x), r(y), p.year, p.value);
        let _ = write!(
            s,
            "<text class=\"value-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            r(x),
            r(y - 9.0),
            esc(&value_label(p.value, p.approx, unit, approx))
        );
    }
}

/// The dashed way from the last figure to the target, and the target marked and labelled.
pub fn draw_target(s: &mut String, ser: &KpiSeries, scale: &Scale, target_word: &str) {
    let points = ser.sorted_points();
    let (Some(t), Some(last)) = (&ser.target, points.last()) else {
        return;
    };
    let (x0, v0, x1, v1) = (
        scale.x(last.year),
        scale.y(last.value),
        scale.x(t.year),
        scale.y(t.value),
    );
    let _ = write!(s, "<line class=\"target-line\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-dasharray=\"6 4\"/>", r(x0), r(v0), r(x1), r(v1));
    let _ = write!(
        s,
        "<rect class=\"target\" x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" data-year=\"{}\" data-value=\"{}\"/>",
        r(x1 - 6.0),
        r(v1 - 6.0),
        t.year,
        t.value
    );
    let _ = write!(
        s,
        "<text class=\"value-label target-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{} {}{}</text>",
        r(x1 - 8.0),
        r(v1 - 10.0),
        esc(target_word),
        esc(&figure(t.value)),
        esc(&ser.unit)
    );
}
