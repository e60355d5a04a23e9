//! Checks of what each entity points at: ids that exist, relations with a basis, seed lines
//! that exist, values that are valid, glossary forms that are unique. Each check that holds
//! becomes an edge of the graph; each that fails a diagnostic at the field's own line.

use super::links::suggestions;
use crate::content::relation::Basis;
use crate::content::source_ref::SourceRef;
use crate::diag::Diagnostic;
use crate::format::hash::fx;
use crate::format::nfkc;
use crate::registry::{AnyEntry, Corpus, Kind};
use crate::site::graph::{Graph, NodeId};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

pub struct Checker<'a> {
    pub corpus: &'a Corpus,
    pub graph: &'a Graph,
    /// Seed file → the document that is its page.
    documents: HashMap<&'a str, NodeId>,
}

/// Checks of the previous build (watch mode), by entity: an entry whose file, and the ids,
/// seeds and configuration it is checked against, are unchanged is not checked again.
#[derive(Default)]
pub struct CheckCache {
    checked: Mutex<FxHashMap<EntityKey, (u64, Arc<Checked>)>>,
}

/// An entity: its kind and id.
type EntityKey = (Kind, String);

impl CheckCache {
    /// Every entry checked, in entry order, reusing the checks whose inputs are unchanged.
    pub fn check_all(&self, checker: &Checker<'_>, entries: &[&dyn AnyEntry]) -> Vec<Arc<Checked>> {
        // Edges are node numbers, and a check finds ids, lines and settings: all part of the key.
        let mut h = FxHasher::default();
        for e in entries {
            (e.kind(), e.id()).hash(&mut h);
        }
        for d in &checker.corpus.documents {
            (&d.data.file, &d.id).hash(&mut h);
        }
        for (file, seed) in &checker.corpus.seeds {
            (file, seed.lines.len()).hash(&mut h);
        }
        serde_json::to_string(&checker.corpus.config)
            .unwrap_or_default()
            .hash(&mut h);
        let context = h.finish();
        let old = std::mem::take(&mut *self.checked.lock().unwrap_or_else(|e| e.into_inner()));
        let checked: Vec<(EntityKey, u64, Arc<Checked>)> = entries
            .par_iter()
            .map(|e| {
                let key = (e.kind(), e.id().to_string());
                let sig = fx(&(context, e.fingerprint()));
                let c = match old.get(&key) {
                    Some((s, c)) if *s == sig => c.clone(),
                    _ => Arc::new(checker.entry(*e)),
                };
                (key, sig, c)
            })
            .collect();
        let mut kept = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        checked
            .into_iter()
            .map(|(key, sig, c)| {
                kept.insert(key, (sig, c.clone()));
                c
            })
            .collect()
    }
}

/// What checking one entry found: the edges from it (in the order its fields list them) and
/// the problems.
#[derive(Default)]
pub struct Checked {
    pub edges: Vec<NodeId>,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub fn new(corpus: &'a Corpus, graph: &'a Graph) -> Checker<'a> {
        let documents = corpus
            .documents
            .iter()
            .filter_map(|d| Some((d.data.file.as_str(), graph.node(Kind::Document, &d.id)?)))
            .collect();
        Checker {
            corpus,
            graph,
            documents,
        }
    }

    fn error(&self, e: &dyn AnyEntry, code: &'static str, field: &str, msg: String) -> Diagnostic {
        let (line, col) = e.position(field);
        Diagnostic::error(code, e.path(), msg).at(line, col)
    }

    /// Everything about one entry except its body.
    pub fn entry(&self, e: &dyn AnyEntry) -> Checked {
        let mut out = Checked::default();
        if e.sources().is_empty() {
            out.diags.push(
                Diagnostic::warning("W002", e.path(), "no `source` reference")
                    .at(1, 1)
                    .hint("add source = [\"<seed file>#L<first>-L<last>\"] so readers can check the fact"),
            );
        }
        for r in e.references() {
            self.reference(&mut out, e, r.kind, r.id, &r.field);
        }
        for (i, r) in e.relations().iter().enumerate() {
            let field = format!("relations.{i}.to");
            match r.target() {
                Ok((kind, id)) => self.reference(&mut out, e, kind, id, &field),
                Err(m) => {
                    let d = self.error(e, "E010", &field, m);
                    out.diags
                        .push(d.hint("write the target as kind/id, e.g. goal/plan2-goal-01"));
                }
            }
            if let Err(m) = r.basis().map(|b| matches!(b, Basis::Source(_))) {
                // At the reason when there is one (empty, or beside a source), else the table.
                let field = match r.editorial {
                    Some(_) => format!("relations.{i}.editorial"),
                    None => format!("relations.{i}"),
                };
                let d = self.error(e, "E016", &field, m);
                out.diags.push(d.hint(
                    "add source = \"<seed file>#L<line>\" where the seed states it, or editorial = \"<why>\"",
                ));
            }
        }
        for c in e.citations() {
            self.citation(&mut out, e, c.source, &c.field.to_string());
        }
        for p in e.check(&self.corpus.config) {
            let (line, col) = p.field.as_deref().map_or((1, 1), |f| e.position(f));
            let d = if p.warning {
                Diagnostic::warning(p.code, e.path(), p.message)
            } else {
                Diagnostic::error(p.code, e.path(), p.message)
            };
            out.diags.push(d.at(line, col).hint(p.hint));
        }
        self.updated_and_aliases(&mut out, e);
        for (kind_name, id, line) in e.body_links() {
            match Kind::from_name(kind_name) {
                Some(kind) => self.reference_at_line(&mut out, e, kind, id, *line, None),
                None => out.diags.push(
                    Diagnostic::error(
                        "E010",
                        e.path(),
                        format!("unknown kind `{kind_name}` in link `@{kind_name}/{id}`"),
                    )
                    .at(*line, 1)
                    .hint(format!("kinds are {}", Kind::names())),
                ),
            }
        }
        out
    }

    /// `updated` is a day (E015); each old address is a path inside the site (E018).
    fn updated_and_aliases(&self, out: &mut Checked, e: &dyn AnyEntry) {
        if let Some(w) = e.updated() {
            let problem = match crate::format::date::JpDate::parse(w) {
                Ok(d) if d.precision == crate::format::date::Precision::Day => None,
                Ok(_) => Some(format!("`updated = \"{w}\"` is not a day")),
                Err(m) => Some(m),
            };
            if let Some(m) = problem {
                let d = self.error(e, "E015", "updated", m);
                out.diags.push(
                    d.hint("write the day the page was revised, e.g. updated = \"令和7年6月4日\" or \"2025-06-04\""),
                );
            }
        }
        let (field, aliases) = e.url_aliases();
        for (i, a) in aliases.iter().enumerate() {
            if let Err(m) = crate::site::alias_path(a) {
                let d = self.error(e, "E018", &format!("{field}.{i}"), m);
                out.diags.push(d.hint(
                    "write the old address as a path from the site's top, e.g. aliases = [\"policies/old-id/\"]",
                ));
            }
        }
    }

    fn reference(&self, out: &mut Checked, e: &dyn AnyEntry, kind: Kind, id: &str, field: &str) {
        if let Some(to) = self.graph.node(kind, id) {
            out.edges.push(to);
            return;
        }
        // Only a dangling reference needs its position.
        let (line, col) = e.position(field);
        // The position is the value's opening quote; the id starts one column later.
        self.reference_at_line(out, e, kind, id, line, Some(col + 1));
    }

    fn reference_at_line(
        &self,
        out: &mut Checked,
        e: &dyn AnyEntry,
        kind: Kind,
        id: &str,
        line: usize,
        column: Option<usize>,
    ) {
        if let Some(to) = self.graph.node(kind, id) {
            out.edges.push(to);
            return;
        }
        let near = suggestions(id, self.graph.ids(kind));
        let hint = if near.is_empty() {
            format!(
                "create content/{}/{id}.* or correct the id",
                kind.source_folder()
            )
        } else {
            let mut near = near;
            near.sort_by(|a, b| {
                strsim::jaro_winkler(id, b)
                    .total_cmp(&strsim::jaro_winkler(id, a))
                    .then(a.cmp(b))
            });
            format!(
                "did you mean {}?",
                near.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let column = column.unwrap_or_else(|| {
            e.text()
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.find(id).map(|b| l[..b].chars().count() + 1))
                .unwrap_or(1)
        });
        out.diags.push(
            Diagnostic::error("E010", e.path(), format!("unknown {kind} `{id}`"))
                .at(line, column)
                .hint(hint),
        );
    }

    /// A cited line range must exist in its seed; it links the entity to the document.
    fn citation(&self, out: &mut Checked, e: &dyn AnyEntry, r: &SourceRef, field: &str) {
        match self.corpus.seeds.get(&r.file) {
            None => {
                let near = suggestions(&r.file, self.corpus.seeds.keys().map(String::as_str));
                let d = self.error(
                    e,
                    "E011",
                    field,
                    format!("source file `{}` is not in seeds/", r.file),
                );
                out.diags.push(d.hint(if near.is_empty() {
                    "add the document to seeds/".into()
                } else {
                    format!("did you mean `{}`?", near[0])
                }));
            }
            Some(seed) if seed.range(r.first, r.last).is_none() => {
                let d = self.error(
                    e,
                    "E011",
                    field,
                    format!(
                        "{} has {} lines; `{r}` is outside it",
                        r.file,
                        seed.lines.len()
                    ),
                );
                out.diags
                    .push(d.hint("cite lines that exist (1-based, as `grep -n` numbers them)"));
            }
            Some(_) => {
                if let Some(doc) = self.documents.get(r.file.as_str()) {
                    out.edges.push(*doc);
                }
            }
        }
    }

    /// Each document's seed must be in `seeds/`.
    pub fn document_files(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for d in &self.corpus.documents {
            if !self.corpus.seeds.contains_key(&d.data.file) {
                let diag = d
                    .error_at(
                        "E011",
                        "file",
                        format!("`{}` is not in seeds/", d.data.file),
                    )
                    .hint("copy the original document into seeds/ or correct `file`");
                diags.push(diag);
            }
        }
        diags
    }

    /// A surface form (title or alias) can link to one glossary term only.
    pub fn glossary_forms(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let mut surface: HashMap<String, &str> = HashMap::new();
        for t in &self.corpus.terms {
            let forms = std::iter::once(("title".to_string(), &t.data.title)).chain(
                t.data
                    .aliases
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (format!("aliases.{i}"), a)),
            );
            for (field, form) in forms {
                if let Some(other) = surface.insert(nfkc(form), &t.id) {
                    if other != t.id {
                        let d = t
                            .error_at(
                                "E017",
                                &field,
                                format!("`{form}` is also a title or alias of term `{other}`"),
                            )
                            .hint("a surface form can link to one term only: remove it from one of them");
                        diags.push(d);
                    }
                }
            }
        }
        diags
    }
}
