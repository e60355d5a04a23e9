//! What every page's rendering reads: the site model, the theme, its strings, links, and the
//! options of this build. Rendering never changes any of it.

use super::html::Html;
use super::links::Links;
use super::strings::Strings;
use super::theme::Theme;
use super::views::common::KpiCard;
use super::RenderOptions;
use crate::format::date::{DateStyle, JpDate};
use crate::site::Site;
use serde::Serialize;
use std::collections::BTreeMap;

/// The read-only context of the render stage.
pub struct Cx<'a> {
    pub site: &'a Site<'a>,
    pub theme: &'a Theme,
    pub strings: &'a Strings,
    pub links: Links<'a, 'a>,
    pub opts: &'a RenderOptions,
    /// KPI group name → the ids of its series (drawn in one chart).
    pub kpi_groups: BTreeMap<&'a str, Vec<&'a str>>,
    /// Pairs of plans with a comparison page.
    pub comparisons: Vec<super::compare::Pair>,
    /// A KPI's cards, each made once for all the pages of one depth that show it.
    pub kpi_cards: std::sync::Mutex<KpiCards>,
    /// What every page's template reads that is the same on every page (`site`, `t`).
    pub shared: super::shared::Shared,
}

/// The cards made of each KPI (its node) and size (small or not): one per page root.
pub type KpiCards =
    rustc_hash::FxHashMap<(crate::site::graph::NodeId, bool), Vec<(Box<str>, KpiCard)>>;

/// Prefix from an entity page (`kind/slug/index.html`) to the output root.
pub const ENTITY_ROOT: &str = "../../";

/// A date, year or fiscal year as pages show it: `<time datetime="{iso}">{display}</time>`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct When {
    pub iso: String,
    pub display: String,
}

/// A date as pages show it: as written, ISO for `<time>`, and in the site's style.
#[derive(Debug, Clone, Serialize)]
pub struct DateView<'a> {
    pub written: &'a str,
    pub iso: String,
    pub display: String,
}

impl<'a> Cx<'a> {
    pub fn new(site: &'a Site<'a>, theme: &'a Theme, opts: &'a RenderOptions) -> Cx<'a> {
        let mut kpi_groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for k in &site.corpus.kpis {
            if let Some(g) = &k.data.group {
                kpi_groups
                    .entry(g.as_str())
                    .or_default()
                    .push(k.id.as_str());
            }
        }
        let cfg = &site.corpus.config;
        let site_meta = super::shared::SiteMeta {
            title: &cfg.title,
            description: &cfg.description,
            language: &cfg.language,
            base_url: cfg.base_url(),
            offline_archive: cfg.offline_archive && !opts.live_reload,
        };
        let shared = super::shared::Shared::new(&site_meta, opts.live_reload, &theme.strings);
        let mut cx = Cx {
            site,
            theme,
            strings: &theme.strings,
            links: Links::new(site, &theme.strings),
            opts,
            kpi_groups,
            comparisons: Vec::new(),
            kpi_cards: Default::default(),
            shared,
        };
        cx.comparisons = super::compare::pairs(&cx);
        cx
    }

    pub fn date_style(&self) -> DateStyle {
        self.site.corpus.config.date_style
    }

    /// A date field as pages show it (`None` when absent or unreadable).
    pub fn date(&self, written: Option<&'a str>) -> Option<DateView<'a>> {
        let w = written?;
        let d = JpDate::parse(w).ok()?;
        Some(DateView {
            written: w,
            iso: d.iso(),
            display: d.render(self.date_style()),
        })
    }

    /// A fiscal year in the site's style (令和5年度（2023年度）), with its year for `<time>`.
    pub fn fiscal_year(&self, year: i32) -> When {
        self.when(JpDate::fiscal_year(year))
    }

    /// A date, year or fiscal year in the site's style, with its value for `<time>`.
    pub fn when(&self, d: JpDate) -> When {
        When {
            iso: d.iso(),
            display: d.render(self.date_style()),
        }
    }

    /// The rendered body of `kind`/`id` as templates get it (empty for none).
    pub fn body_html(&self, kind: crate::registry::Kind, id: &str) -> Html {
        Html::new(self.site.body_of(kind, id).map_or("", |b| b.html.as_str()))
    }

    /// The text of a UI string.
    pub fn t(&self, key: &str) -> &'a str {
        // Keys are looked up in strings that live as long as the context.
        let s: &'a Strings = self.strings;
        s.get_owned_key(key)
    }
}
