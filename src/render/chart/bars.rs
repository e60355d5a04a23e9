//! Bars: one series per year, or several series grouped (every second one hatched), with a
//! label on every bar and a legend for groups.

use super::axes::{value_label, Scale};
use super::svg::{esc, hatch_fill, r, LEFT};
use crate::content::KpiSeries;
use std::fmt::Write;

pub fn draw(s: &mut String, series: &[&KpiSeries], scale: &Scale, id: &str, approx: &str) {
    let n = series.len() as f64;
    let bar_w = (scale.slot_w * 0.7 / n).min(56.0);
    for (i, ser) in series.iter().enumerate() {
        let unit = ser.unit.as_str();
        let suffix = ser.period.suffix();
        for p in ser.sorted_points() {
            let x = scale.x(p.year) - bar_w * n / 2.0 + bar_w * i as f64;
            let (top, base) = (scale.y(p.value.max(0.0)), scale.y(p.value.min(0.0)));
            let label = value_label(p.value, p.approx, unit, approx);
            let _ = write!(
                s,
                "<rect class=\"bar series-{i}\"{} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" data-year=\"{}\" data-value=\"{}\"><title>{}{suffix} {}{}</title></rect>",
                hatch_fill(i, id),
                r(x),
                r(top),
                r(bar_w - 2.0),
                r(base - top),
                p.year,
                p.value,
                p.year,
                esc(&label),
                esc(if unit == "%" { "" } else { unit })
            );
            let _ = write!(
                s,
                "<text class=\"value-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                r(x + (bar_w - 2.0) / 2.0),
                r(top - 4.0),
                esc(&label)
            );
        }
    }
    if series.len() > 1 {
        legend(s, series, id);
    }
}

fn legend(s: &mut String, series: &[&KpiSeries], id: &str) {
    let mut x = LEFT;
    for (i, ser) in series.iter().enumerate() {
        let _ = write!(
            s,
            "<rect class=\"legend-key series-{i}\"{} x=\"{}\" y=\"6\" width=\"12\" height=\"12\"/>",
            hatch_fill(i, id),
            r(x)
        );
        let _ = write!(
            s,
            "<text class=\"legend\" x=\"{}\" y=\"16\">{}</text>",
            r(x + 16.0),
            esc(&ser.title)
        );
        x += 24.0 + ser.title.chars().count() as f64 * 12.0;
    }
}
