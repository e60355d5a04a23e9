//! A proportion bar for the latest share (unit %).

use super::axes::value_label;
use super::svg::{esc, r, LEFT, RIGHT, W};
use crate::content::KpiSeries;
use std::fmt::Write;

pub fn draw(s: &mut String, ser: &KpiSeries, approx: &str) {
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
        "<text class=\"value-label\" x=\"{}\" y=\"100\">{}{} {}</text>",
        r(x0),
        p.year,
        ser.period.suffix(),
        esc(&value_label(p.value, p.approx, "%", approx))
    );
}
