//! Inline SVG charts for KPI series, rendered at build time.
//!
//! (Interface fixed; implementation in progress.)

use crate::content::kpi::KpiSeries;

/// A chart: role="img", <title>, <desc>, colours from CSS classes.
pub fn chart(series: &[&KpiSeries], id: &str) -> String {
    let _ = (series, id);
    String::new()
}

/// A small trend line for the dashboard.
pub fn sparkline(series: &KpiSeries) -> String {
    let _ = series;
    String::new()
}
