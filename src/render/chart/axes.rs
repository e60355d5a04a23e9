//! Scales and axes: round-number ticks, a slot per year (missing years stay empty), labels.

use super::svg::{esc, r, BOTTOM, H, LEFT, RIGHT, TOP, W};
use crate::format::number::{compact, figure, nice_ticks};
use std::fmt::Write;

/// Where values and years go on the plot.
pub struct Scale {
    pub ticks: Vec<f64>,
    tmin: f64,
    tmax: f64,
    pub y0: i32,
    pub y1: i32,
    pub slot_w: f64,
}

impl Scale {
    /// A scale for `years` (first to last, every year a slot) and values from `min` to `max`.
    pub fn new(years: &[i32], min: f64, max: f64) -> Scale {
        let ticks = nice_ticks(min.min(0.0), max, 4);
        let (tmin, tmax) = (
            *ticks.first().unwrap_or(&0.0),
            *ticks.last().unwrap_or(&1.0),
        );
        let (y0, y1) = (
            *years.iter().min().unwrap_or(&0),
            *years.iter().max().unwrap_or(&0),
        );
        let slots = (y1 - y0 + 1).max(1) as f64;
        Scale {
            ticks,
            tmin,
            tmax,
            y0,
            y1,
            slot_w: (W - LEFT - RIGHT) / slots,
        }
    }

    /// The y coordinate of a value.
    pub fn y(&self, v: f64) -> f64 {
        let plot_h = H - TOP - BOTTOM;
        TOP + plot_h * (1.0 - (v - self.tmin) / (self.tmax - self.tmin).max(f64::EPSILON))
    }

    /// The x coordinate of the middle of a year's slot.
    pub fn x(&self, year: i32) -> f64 {
        LEFT + self.slot_w * ((year - self.y0) as f64 + 0.5)
    }

    pub fn bottom(&self) -> f64 {
        self.y(self.tmin)
    }

    fn slots(&self) -> f64 {
        (self.y1 - self.y0 + 1).max(1) as f64
    }
}

/// A value as labelled on a chart: 約 for an approximate figure, % kept.
pub fn value_label(v: f64, approx: bool, unit: &str, approx_mark: &str) -> String {
    format!(
        "{}{}{}",
        if approx { approx_mark } else { "" },
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

/// Grid lines, the value axis with its unit, and the year axis with its period.
pub fn draw(s: &mut String, scale: &Scale, unit: &str, suffix: &str) {
    for t in &scale.ticks {
        let y = scale.y(*t);
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
    let base = scale.bottom();
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        r(LEFT),
        r(base),
        r(W - RIGHT),
        r(base)
    );
    // Every year when there is room, else every few years plus the ends.
    let step = ((scale.slots() / 12.0).ceil() as i32).max(1);
    for year in scale.y0..=scale.y1 {
        if (year - scale.y0) % step == 0 || year == scale.y1 {
            let _ = write!(
                s,
                "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
                r(scale.x(year)),
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
}
