//! The frame all charts share: size, margins, escaping and number formatting of coordinates.

pub const W: f64 = 640.0;
pub const H: f64 = 300.0;
pub const LEFT: f64 = 64.0;
pub const RIGHT: f64 = 16.0;
pub const TOP: f64 = 28.0;
pub const BOTTOM: f64 = 44.0;

/// Text for SVG content and attributes.
pub fn esc(s: &str) -> String {
    html_escape::encode_text(s).replace('"', "&quot;")
}

/// Coordinates with one decimal, so output is stable.
pub fn r(v: f64) -> String {
    if let Some(i) = crate::format::number::whole(v) {
        return i.to_string();
    }
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The `fill` of the `i`-th series: every second one hatched, so series differ without colour.
pub fn hatch_fill(i: usize, id: &str) -> String {
    if i % 2 == 1 {
        format!(" fill=\"url(#{id}-hatch)\"")
    } else {
        String::new()
    }
}
