//! Every KPI series as data next to its page: `data.csv` and `data.json`.

use crate::content::kinds::kpi::{KpiKind, KpiPoint, PeriodKind};
use crate::content::{Entry, KpiSeries};
use crate::format::number::trim_decimals;
use crate::output::OutFile;
use crate::registry::Kind;
use rayon::prelude::*;
use serde::Serialize;

/// The JSON of a series (written with its keys in alphabetical order, as readers diff them).
#[derive(Serialize)]
struct KpiData<'a> {
    goal: Option<&'a str>,
    id: &'a str,
    kind: KpiKind,
    period: PeriodKind,
    points: Vec<&'a KpiPoint>,
    source: Vec<String>,
    target: Option<&'a KpiPoint>,
    title: &'a str,
    unit: &'a str,
}

fn csv(d: &KpiSeries) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    w.write_record([
        "year", "period", "value", "unit", "approx", "label", "source",
    ])?;
    for p in d.sorted_points().into_iter().chain(d.target.iter()) {
        let src = p.source.as_ref().map(|s| s.to_string()).unwrap_or_default();
        w.write_record([
            p.year.to_string(),
            format!("{}{}", p.year, d.period.suffix()),
            trim_decimals(p.value, 6),
            d.unit.clone(),
            p.approx.to_string(),
            p.label.clone().unwrap_or_default(),
            src,
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

fn files(k: &Entry<KpiSeries>, dir: &str) -> Vec<OutFile> {
    let d = &k.data;
    let data = KpiData {
        goal: d.goal.as_deref(),
        id: &k.id,
        kind: d.kind,
        period: d.period,
        points: d.sorted_points(),
        source: d.source.iter().map(|s| s.to_string()).collect(),
        target: d.target.as_ref(),
        title: &d.title,
        unit: &d.unit,
    };
    // Plain data of strings and numbers serialises; a CSV of strings into memory too. Going
    // through a JSON value orders every object's keys alphabetically, points included.
    let value = serde_json::to_value(&data).expect("KPI data serialises");
    let json = serde_json::to_string_pretty(&value).expect("KPI data serialises") + "\n";
    let csv = csv(d).expect("CSV into memory");
    vec![
        OutFile {
            path: format!("{dir}/data.csv"),
            bytes: csv.into(),
        },
        OutFile {
            path: format!("{dir}/data.json"),
            bytes: json.into_bytes().into(),
        },
    ]
}

/// CSV and JSON of every KPI series; in watch mode those of a series whose front matter is
/// unchanged are the ones made before.
pub fn kpi_files(
    kpis: &[std::sync::Arc<Entry<KpiSeries>>],
    cache: Option<&super::cache::RenderCache>,
) -> Vec<OutFile> {
    kpis.par_iter()
        .flat_map_iter(|k| {
            let dir = format!("{}/{}", Kind::Kpi.folder(), k.slug);
            match cache {
                // The files are made from the id, the slug and the front matter alone.
                Some(c) => {
                    let hash = crate::format::hash::fx(&(&k.id, &k.slug, k.fingerprint.front));
                    c.data_files(&dir, hash, || files(k, &dir))
                }
                None => files(k, &dir),
            }
        })
        .collect()
}
