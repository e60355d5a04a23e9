//! The resolve stage: every reference checked, the link graph and its backlinks built.

use crate::content::source_ref::SourceRef;
use crate::content::{Corpus, EntityData, Entry, Kind};
use crate::diag::Diagnostic;
use crate::format::amount::Amount;
use crate::format::date::JpDate;
use crate::format::nfkc;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A node of the graph: a kind and an id.
pub type Key = (Kind, String);

/// Counters accepted as KPI units, besides amounts of yen and site.toml's `extra_units`.
pub const KNOWN_UNITS: &[&str] = &[
    "件",
    "人",
    "社",
    "年",
    "か月",
    "ヶ月",
    "カ月",
    "日",
    "%",
    "％",
    "ポイント",
    "円",
    "千円",
    "万円",
    "百万円",
    "億円",
    "兆円",
    "班",
    "兆円/年",
    "億円/年",
    "件/年",
    "社/年",
    "人/年",
    "年度",
    "コース",
    "国",
    "回",
    "施設",
    "品目",
    "機関",
    "課題",
    "団体",
    "者",
    "名",
    "拠点",
    "か国",
    "カ国",
    "件数",
    "倍",
    "本",
    "種類",
    "製品",
    "品",
    "組",
    "時間",
    "ブース",
    "団体・企業",
];

/// The resolved site: lookups by id and the reference graph.
#[derive(Debug, Default)]
pub struct Graph {
    /// (kind, id) → (title, slug)
    pub titles: FxHashMap<Key, (String, String)>,
    /// Outgoing references, deduplicated and sorted.
    pub forward: FxHashMap<Key, BTreeSet<Key>>,
    /// Incoming references, deduplicated and sorted.
    pub backward: FxHashMap<Key, BTreeSet<Key>>,
}

impl Graph {
    pub fn add_edge(&mut self, from: Key, to: Key) {
        if from == to {
            return;
        }
        self.forward
            .entry(from.clone())
            .or_default()
            .insert(to.clone());
        self.backward.entry(to).or_default().insert(from);
    }

    pub fn exists(&self, kind: Kind, id: &str) -> bool {
        self.titles.contains_key(&(kind, id.to_string()))
    }

    /// Backlinks of a node grouped by kind.
    pub fn backlinks(&self, kind: Kind, id: &str) -> BTreeMap<Kind, Vec<String>> {
        let mut out: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
        if let Some(set) = self.backward.get(&(kind, id.to_string())) {
            for (k, i) in set {
                out.entry(*k).or_default().push(i.clone());
            }
        }
        out
    }
}

/// Output path of an entity's page, relative to the output root.
pub fn page_path(kind: Kind, slug: &str) -> String {
    format!("{}/{}/index.html", kind.folder(), slug)
}

/// Up to three existing ids closest to `wanted`.
pub fn suggestions<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(s, _)| *s > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

struct Checker<'a> {
    corpus: &'a Corpus,
    graph: Graph,
    diags: Vec<Diagnostic>,
    ids: HashMap<Kind, HashSet<&'a str>>,
}

impl<'a> Checker<'a> {
    fn reference<T>(&mut self, from: &Entry<T>, from_kind: Kind, kind: Kind, id: &str) {
        self.reference_at(from, from_kind, kind, id, None);
    }

    /// Records an edge, or an error at `line` (default: the line of the quoted id).
    fn reference_at<T>(
        &mut self,
        from: &Entry<T>,
        from_kind: Kind,
        kind: Kind,
        id: &str,
        line: Option<usize>,
    ) {
        if self.ids.get(&kind).is_some_and(|s| s.contains(id)) {
            self.graph
                .add_edge((from_kind, from.id.clone()), (kind, id.to_string()));
            return;
        }
        let near = suggestions(id, self.ids.get(&kind).into_iter().flatten().copied());
        let hint = if near.is_empty() {
            format!(
                "create content/{}/{id}.* or correct the id",
                kind.source_folder()
            )
        } else {
            format!(
                "did you mean {}?",
                near.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let line = line.unwrap_or_else(|| from.line_of_id(id));
        let column = from
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.find(id).map(|b| l[..b].chars().count() + 1))
            .unwrap_or(1);
        self.diags.push(
            Diagnostic::error("E010", &from.path, format!("unknown {kind} `{id}`"))
                .at(line, column)
                .hint(hint),
        );
    }

    fn source<T>(&mut self, from: &Entry<T>, r: &SourceRef) {
        let text = r.to_string();
        let line = from.line_of(&text);
        match self.corpus.seeds.get(&r.file) {
            None => {
                let near = suggestions(&r.file, self.corpus.seeds.keys().map(String::as_str));
                self.diags.push(
                    Diagnostic::error(
                        "E011",
                        &from.path,
                        format!("source file `{}` is not in seeds/", r.file),
                    )
                    .at(line, 1)
                    .hint(if near.is_empty() {
                        "add the document to seeds/".into()
                    } else {
                        format!("did you mean `{}`?", near[0])
                    }),
                );
            }
            Some(seed) if seed.range(r.first, r.last).is_none() => self.diags.push(
                Diagnostic::error(
                    "E011",
                    &from.path,
                    format!(
                        "{} has {} lines; `{}` is outside it",
                        r.file,
                        seed.lines.len(),
                        text
                    ),
                )
                .at(line, 1)
                .hint("cite lines that exist (1-based, as `grep -n` numbers them)"),
            ),
            Some(_) => {}
        }
    }

    fn sources<T: EntityData>(&mut self, e: &Entry<T>) {
        if e.data.sources().is_empty() {
            self.diags.push(
                Diagnostic::warning("W002", &e.path, "no `source` reference")
                    .at(1, 1)
                    .hint("add source = [\"<seed file>#L<first>-L<last>\"] so readers can check the fact"),
            );
        }
        for r in e.data.sources() {
            self.source(e, r);
        }
    }

    /// Checks each relation's target and basis, and records it as an edge.
    fn relations<T: EntityData>(&mut self, e: &Entry<T>, from_kind: Kind) {
        for r in e.data.relations() {
            let line = e.line_of(&format!("\"{}\"", r.to));
            match r.target() {
                Ok((kind, id)) => self.reference_at(e, from_kind, kind, id, Some(line)),
                Err(m) => self.diags.push(
                    Diagnostic::error("E010", &e.path, m)
                        .at(line, 1)
                        .hint("write the target as kind/id, e.g. goal/plan2-goal-01"),
                ),
            }
            match r.basis() {
                Ok(crate::content::relation::Basis::Source(s)) => self.source(e, s),
                Ok(_) => {}
                Err(m) => self.diags.push(
                    Diagnostic::error("E016", &e.path, m)
                        .at(line, 1)
                        .hint("add source = \"<seed file>#L<line>\" where the seed states it, or editorial = \"<why>\""),
                ),
            }
        }
    }

    fn date<T>(&mut self, e: &Entry<T>, date: Option<&str>) {
        if let Some(d) = date {
            if let Err(m) = JpDate::parse(d) {
                self.diags.push(
                    Diagnostic::error("E015", &e.path, m)
                        .at(e.line_of(d), 1)
                        .hint("write the date as the source does, e.g. 令和7年6月4日 or R4.5.31"),
                );
            }
        }
    }
}

/// Resolves every reference and builds the graph. Errors are returned, never panicked.
pub fn resolve(corpus: &Corpus) -> (Graph, Vec<Diagnostic>) {
    let mut ids: HashMap<Kind, HashSet<&str>> = HashMap::new();
    for k in Kind::ALL {
        ids.insert(k, corpus.ids(k).into_iter().collect());
    }
    let mut c = Checker {
        corpus,
        graph: Graph::default(),
        diags: Vec::new(),
        ids,
    };
    macro_rules! titles {
        ($v:expr, $k:expr) => {
            for e in &$v {
                c.graph.titles.insert(
                    ($k, e.id.clone()),
                    (e.data.title().to_string(), e.slug.clone()),
                );
            }
        };
    }
    titles!(corpus.documents, Kind::Document);
    titles!(corpus.plans, Kind::Plan);
    titles!(corpus.pillars, Kind::Pillar);
    titles!(corpus.goals, Kind::Goal);
    titles!(corpus.policies, Kind::Policy);
    titles!(corpus.kpis, Kind::Kpi);
    titles!(corpus.organisations, Kind::Organisation);
    titles!(corpus.terms, Kind::Term);

    for e in &corpus.documents {
        c.sources(e);
        for s in &e.data.sections {
            c.source(e, &s.source);
        }
        c.date(e, e.data.date.as_deref());
        if !corpus.seeds.contains_key(&e.data.file) {
            c.diags.push(
                Diagnostic::error(
                    "E011",
                    &e.path,
                    format!("`{}` is not in seeds/", e.data.file),
                )
                .at(e.line_of(&e.data.file), 1)
                .hint("copy the original document into seeds/ or correct `file`"),
            );
        }
    }
    for e in &corpus.plans {
        c.sources(e);
        c.relations(e, Kind::Plan);
        c.date(e, e.data.date.as_deref());
        for d in &e.data.documents {
            c.reference(e, Kind::Plan, Kind::Document, d);
        }
    }
    for e in &corpus.pillars {
        c.sources(e);
        c.relations(e, Kind::Pillar);
        c.reference(e, Kind::Pillar, Kind::Plan, &e.data.plan);
        if let Some(p) = &e.data.parent {
            c.reference(e, Kind::Pillar, Kind::Pillar, p);
        }
    }
    for e in &corpus.goals {
        c.sources(e);
        c.relations(e, Kind::Goal);
        c.reference(e, Kind::Goal, Kind::Plan, &e.data.plan);
        for p in &e.data.pillars {
            c.reference(e, Kind::Goal, Kind::Pillar, p);
        }
        for o in &e.data.organisations {
            c.reference(e, Kind::Goal, Kind::Organisation, o);
        }
    }
    for e in &corpus.policies {
        c.sources(e);
        c.relations(e, Kind::Policy);
        let d = &e.data;
        if let Some(p) = &d.plan {
            c.reference(e, Kind::Policy, Kind::Plan, p);
        }
        for (kind, list) in [
            (Kind::Pillar, &d.pillars),
            (Kind::Goal, &d.goals),
            (Kind::Kpi, &d.kpis),
            (Kind::Organisation, &d.organisations),
            (Kind::Term, &d.terms),
            (Kind::Policy, &d.related),
        ] {
            for id in list {
                c.reference(e, Kind::Policy, kind, id);
            }
        }
        for r in &d.relisted {
            c.source(e, &r.source);
            if let Some(p) = &r.pillar {
                c.reference(e, Kind::Policy, Kind::Pillar, p);
            }
        }
        for b in &d.budgets {
            c.source(e, &b.source);
            for (what, v) in [("amount", Some(&b.amount)), ("prior", b.prior.as_ref())] {
                let Some(v) = v else { continue };
                if Amount::parse(v).is_none() && !is_dash(v) {
                    c.diags.push(
                        Diagnostic::error("E014", &e.path, format!("budget {what} `{v}` is not an amount"))
                            .at(e.line_of(&format!("\"{v}\"")), 1)
                            .hint("write it as the source does, with a unit: 9.3億円, 442,607千円, 59百万円"),
                    );
                }
            }
        }
    }
    let extra: Vec<String> = corpus.config.extra_units.clone();
    for e in &corpus.kpis {
        c.sources(e);
        c.relations(e, Kind::Kpi);
        let d = &e.data;
        if let Some(g) = &d.goal {
            c.reference(e, Kind::Kpi, Kind::Goal, g);
        }
        if let Some(p) = &d.plan {
            c.reference(e, Kind::Kpi, Kind::Plan, p);
        }
        for m in d.validate() {
            c.diags.push(
                Diagnostic::error("E012", &e.path, m)
                    .at(e.line_of("[[points]]"), 1)
                    .hint("each year once, with a numeric value"),
            );
        }
        if !KNOWN_UNITS.contains(&d.unit.as_str()) && !extra.contains(&d.unit) {
            c.diags.push(
                Diagnostic::error("E013", &e.path, format!("unknown unit `{}`", d.unit))
                    .at(e.line_of("unit"), 1)
                    .hint("use a known counter (件, 人, 社, %, 億円, ...) or add it to `extra_units` in site.toml"),
            );
        }
        for p in d.points.iter().chain(d.target.iter()) {
            if let Some(r) = &p.source {
                c.source(e, r);
            }
        }
    }
    for e in &corpus.organisations {
        c.sources(e);
        if let Some(p) = &e.data.parent {
            c.reference(e, Kind::Organisation, Kind::Organisation, p);
        }
    }
    let mut surface: HashMap<String, &str> = HashMap::new();
    for e in &corpus.terms {
        c.sources(e);
        for r in &e.data.related {
            c.reference(e, Kind::Term, Kind::Term, r);
        }
        if !e
            .data
            .title
            .starts_with(|ch: char| ch.is_ascii_alphanumeric())
            && e.data.reading.is_none()
        {
            c.diags.push(
                Diagnostic::warning(
                    "W003",
                    &e.path,
                    format!("term `{}` has no kana `reading`; it is listed under 他 in the 五十音 index", e.data.title),
                )
                .at(e.line_of("title"), 1)
                .hint("add reading = \"…\" in hiragana; it places the term in the 五十音 index"),
            );
        }
        for form in std::iter::once(&e.data.title).chain(e.data.aliases.iter()) {
            let key = nfkc(form);
            if let Some(other) = surface.insert(key, &e.id) {
                if other != e.id {
                    c.diags.push(
                        Diagnostic::error(
                            "E017",
                            &e.path,
                            format!("`{form}` is also a title or alias of term `{other}`"),
                        )
                        .at(e.line_of(&format!("\"{form}\"")), 1)
                        .hint(
                            "a surface form can link to one term only: remove it from one of them",
                        ),
                    );
                }
            }
        }
    }
    // Links written in Markdown bodies: `[text](@kind/id)`.
    macro_rules! body_links {
        ($v:expr, $k:expr) => {
            for e in &$v {
                for a in crate::content::lint::artefacts(&e.body, e.body_line) {
                    c.diags.push(
                        Diagnostic::warning("W010", &e.path, format!("PDF artefact: {}", a.message))
                            .at(a.line, 1)
                            .hint("clean the text in the seed's own words; see the README's content rules"),
                    );
                }
                for (kind_name, id, line) in body_links(&e.body, e.body_line) {
                    match Kind::from_name(&kind_name) {
                        Some(kind) => c.reference_at(e, $k, kind, &id, Some(line)),
                        None => c.diags.push(
                            Diagnostic::error("E010", &e.path, format!("unknown kind `{kind_name}` in link `@{kind_name}/{id}`"))
                                .at(line, 1)
                                .hint("kinds are document, plan, pillar, goal, policy, kpi, organisation, term"),
                        ),
                    }
                }
            }
        };
    }
    body_links!(corpus.documents, Kind::Document);
    body_links!(corpus.plans, Kind::Plan);
    body_links!(corpus.pillars, Kind::Pillar);
    body_links!(corpus.goals, Kind::Goal);
    body_links!(corpus.policies, Kind::Policy);
    body_links!(corpus.terms, Kind::Term);
    (c.graph, c.diags)
}

fn is_dash(s: &str) -> bool {
    matches!(
        nfkc(s).trim(),
        "-" | "－" | "−" | "ー" | "―" | "(-)" | "(－)"
    )
}

/// `(kind, id, line)` of every `](@kind/id)` in a Markdown body.
pub fn body_links(body: &str, first_line: usize) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut offset = 0;
    while let Some(i) = rest.find("](@") {
        let start = i + 3;
        let end = rest[start..].find(')').map_or(rest.len(), |j| start + j);
        let target = &rest[start..end];
        let line = first_line + body[..offset + i].matches('\n').count();
        if let Some((k, id)) = target.split_once('/') {
            let id = id.split('#').next().unwrap_or(id);
            out.push((k.to_string(), id.to_string(), line));
        }
        offset += end.min(rest.len());
        rest = &rest[end.min(rest.len())..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_body_links_with_lines() {
        let b = "a [x](@term/imdrf)\n\nb [y](@policy/p-1#sec) [z](http://x)";
        assert_eq!(
            body_links(b, 10),
            vec![
                ("term".into(), "imdrf".into(), 10),
                ("policy".into(), "p-1".into(), 12)
            ]
        );
    }

    #[test]
    fn suggests_close_ids() {
        let s = suggestions(
            "plan2-goal-8",
            ["plan2-goal-08", "plan2-goal-09", "mhlw"].into_iter(),
        );
        assert_eq!(s.first().map(String::as_str), Some("plan2-goal-08"));
        assert!(!s.contains(&"mhlw".to_string()));
    }
}
