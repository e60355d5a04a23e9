//! The eight kinds of entity and where each lives.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Document,
    Plan,
    Pillar,
    Goal,
    Policy,
    Kpi,
    Organisation,
    Term,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Document,
        Kind::Plan,
        Kind::Pillar,
        Kind::Goal,
        Kind::Policy,
        Kind::Kpi,
        Kind::Organisation,
        Kind::Term,
    ];

    /// Folder under `content/` and under the output.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Document => "documents",
            Kind::Plan => "plans",
            Kind::Pillar => "pillars",
            Kind::Goal => "goals",
            Kind::Policy => "policies",
            Kind::Kpi => "kpis",
            Kind::Organisation => "organisations",
            Kind::Term => "glossary",
        }
    }

    /// Folder under `content/` (the glossary's sources live in `terms/`).
    pub fn source_folder(self) -> &'static str {
        match self {
            Kind::Term => "terms",
            k => k.folder(),
        }
    }

    /// Singular name used in `@kind/id` links and messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Plan => "plan",
            Kind::Pillar => "pillar",
            Kind::Goal => "goal",
            Kind::Policy => "policy",
            Kind::Kpi => "kpi",
            Kind::Organisation => "organisation",
            Kind::Term => "term",
        }
    }

    /// Japanese label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Document => "資料",
            Kind::Plan => "計画",
            Kind::Pillar => "基本方針・方向性",
            Kind::Goal => "目標",
            Kind::Policy => "施策",
            Kind::Kpi => "指標",
            Kind::Organisation => "府省庁・機関",
            Kind::Term => "用語",
        }
    }

    /// Whether sources of this kind are Markdown with front matter (else plain TOML).
    pub fn is_markdown(self) -> bool {
        !matches!(self, Kind::Kpi | Kind::Organisation)
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s || k.folder() == s || k.source_folder() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
