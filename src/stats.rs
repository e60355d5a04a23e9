//! `seisaku stats`: what the site contains, and the gaps editors should look at.

use crate::build;
use crate::diag::Diagnostic;
use crate::registry::Kind;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub counts: Vec<(String, usize)>,
    /// Glossary terms no page uses (neither linked nor auto-linked).
    pub unused_terms: Vec<String>,
    /// KPIs that no policy or goal shows.
    pub unlinked_kpis: Vec<String>,
    /// Entities without a `source` reference, as `kind/id`.
    pub unsourced: Vec<String>,
    /// Policies with no organisation.
    pub policies_without_organisation: Vec<String>,
}

/// Loads and resolves (the model knows every link, so nothing is rendered), then reports.
pub fn stats(root: &Path) -> Result<Stats, Vec<Diagnostic>> {
    let (corpus, diags) = build::load(root, None)?;
    let (site, _, _) = build::resolved(&corpus, diags, None)?;
    let counts = Kind::ALL
        .iter()
        .map(|k| (k.folder().to_string(), corpus.count(*k)))
        .collect();
    let used = |kind: Kind, id: &str, by: &[Kind]| {
        site.node(kind, id)
            .is_some_and(|n| site.backlinks(n).keys().any(|k| by.contains(k)))
    };
    let unused_terms = corpus
        .terms
        .iter()
        .filter(|t| {
            !used(
                Kind::Term,
                &t.id,
                &[
                    Kind::Policy,
                    Kind::Goal,
                    Kind::Plan,
                    Kind::Pillar,
                    Kind::Document,
                ],
            )
        })
        .map(|t| t.id.clone())
        .collect();
    let unlinked_kpis = corpus
        .kpis
        .iter()
        .filter(|k| {
            k.data.goal.is_none()
                && k.data.plan.is_none()
                && !used(Kind::Kpi, &k.id, &[Kind::Policy, Kind::Goal])
        })
        .map(|k| k.id.clone())
        .collect();
    let unsourced = corpus
        .all()
        .iter()
        .filter(|e| e.sources().is_empty())
        .map(|e| format!("{}/{}", e.kind().name(), e.id()))
        .collect();
    let policies_without_organisation = corpus
        .policies
        .iter()
        .filter(|p| p.data.organisations.is_empty())
        .map(|p| p.id.clone())
        .collect();
    Ok(Stats {
        counts,
        unused_terms,
        unlinked_kpis,
        unsourced,
        policies_without_organisation,
    })
}

impl Stats {
    pub fn to_text(&self) -> String {
        let mut s = String::from("contents:\n");
        for (k, n) in &self.counts {
            s.push_str(&format!("  {k:<14} {n:>5}\n"));
        }
        for (title, list) in [
            ("glossary terms no page uses", &self.unused_terms),
            ("KPIs shown on no policy or goal page", &self.unlinked_kpis),
            ("entities without a source reference", &self.unsourced),
            (
                "policies without an organisation",
                &self.policies_without_organisation,
            ),
        ] {
            s.push_str(&format!("{title}: {}\n", list.len()));
            for id in list {
                s.push_str(&format!("  {id}\n"));
            }
        }
        s
    }
}
