//! The seed corpus in content/ against the original documents in seeds/: every figure, amount,
//! date and glossary term must appear at the seed lines it cites; counts meet the minimums.

use seisaku::content::load::load;
use seisaku::content::source_ref::SourceRef;
use seisaku::content::{Corpus, Seed};
use seisaku::format::nfkc;
use std::collections::BTreeSet;
use std::path::Path;

fn corpus() -> Corpus {
    let (c, diags) = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "content/ does not load:\n{}",
        errors.join("\n")
    );
    c.expect("corpus")
}

fn text(c: &Corpus, r: &SourceRef) -> String {
    let seed: &Seed = c
        .seeds
        .get(&r.file)
        .unwrap_or_else(|| panic!("{} not in seeds/", r.file));
    seed.range(r.first, r.last)
        .unwrap_or_else(|| panic!("{r} is outside the seed"))
}

fn texts(c: &Corpus, refs: &[SourceRef]) -> String {
    refs.iter()
        .map(|r| text(c, r))
        .collect::<Vec<_>>()
        .join("\n")
}

/// NFKC with all whitespace removed, so that spacing differences do not matter.
fn squash(s: &str) -> String {
    nfkc(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every number written in `s` (full-width digits normalised, thousands separators removed).
pub fn numbers(s: &str) -> BTreeSet<String> {
    let n = nfkc(s);
    let chars: Vec<char> = n.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let mut j = i;
            let mut num = String::new();
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || ((chars[j] == ',' || chars[j] == '.')
                        && j + 1 < chars.len()
                        && chars[j + 1].is_ascii_digit()))
            {
                if chars[j] != ',' {
                    num.push(chars[j]);
                }
                j += 1;
            }
            out.insert(canonical(num.parse::<f64>().unwrap_or(f64::NAN)));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn canonical(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn contains_figure(hay: &str, value: f64) -> bool {
    numbers(hay).contains(&canonical(value))
}

#[test]
fn number_scanner_reads_written_forms() {
    let n = numbers("受講者数は2,737人、４．１年、令和７年度 9.3億円");
    for v in ["2737", "4.1", "7", "9.3"] {
        assert!(n.contains(v), "{v} in {n:?}");
    }
    assert!(!contains_figure("2,737人", 2738.0));
}

#[test]
fn every_kpi_value_appears_at_its_cited_lines() {
    let c = corpus();
    let mut bad = Vec::new();
    for k in &c.kpis {
        let series_text = texts(&c, &k.data.source);
        for p in k.data.points.iter().chain(k.data.target.iter()) {
            let t = p
                .source
                .as_ref()
                .map_or_else(|| series_text.clone(), |r| text(&c, r));
            if !contains_figure(&t, p.value) {
                bad.push(format!(
                    "{}: {} = {} not at {:?}",
                    k.path.display(),
                    p.year,
                    p.value,
                    p.source.as_ref().map_or_else(
                        || format!(
                            "{:?}",
                            k.data
                                .source
                                .iter()
                                .map(|s| s.to_string())
                                .collect::<Vec<_>>()
                        ),
                        |s| s.to_string()
                    )
                ));
            }
            if let Some(l) = &p.label {
                if !squash(&t).contains(&squash(l)) {
                    bad.push(format!(
                        "{}: label {l} not at cited lines",
                        k.path.display()
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} figure(s) not found:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn every_budget_amount_appears_at_its_cited_line() {
    let c = corpus();
    let mut bad = Vec::new();
    for p in &c.policies {
        for b in &p.data.budgets {
            let t = squash(&text(&c, &b.source));
            for (what, v) in [
                ("label", Some(&b.label)),
                ("amount", Some(&b.amount)),
                ("prior", b.prior.as_ref()),
                ("note", b.note.as_ref()),
            ] {
                if let Some(v) = v {
                    if !t.contains(&squash(v)) {
                        bad.push(format!(
                            "{}: {what} `{v}` not at {}",
                            p.path.display(),
                            b.source
                        ));
                    }
                }
            }
            if b.amount_value().is_none() {
                bad.push(format!(
                    "{}: amount `{}` does not parse",
                    p.path.display(),
                    b.amount
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn every_date_appears_at_the_cited_lines() {
    let c = corpus();
    let mut bad = Vec::new();
    let dated = c
        .documents
        .iter()
        .map(|d| (d.path.clone(), d.data.date.clone(), d.data.source.clone()))
        .chain(
            c.plans
                .iter()
                .map(|p| (p.path.clone(), p.data.date.clone(), p.data.source.clone())),
        );
    for (path, date, src) in dated {
        if let Some(d) = date {
            if !squash(&texts(&c, &src)).contains(&squash(&d)) {
                bad.push(format!("{}: date {d} not at cited lines", path.display()));
            }
            if seisaku::format::date::JpDate::parse(&d).is_err() {
                bad.push(format!("{}: date {d} does not parse", path.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn every_glossary_term_appears_at_each_cited_line() {
    let c = corpus();
    let mut bad = Vec::new();
    for t in &c.terms {
        let mut forms = vec![t.data.title.clone()];
        forms.extend(t.data.aliases.iter().cloned());
        forms.extend(t.data.ja.iter().cloned());
        for r in &t.data.source {
            let hay = squash(&text(&c, r));
            if !forms.iter().any(|f| hay.contains(&squash(f))) {
                bad.push(format!("{}: none of {forms:?} at {r}", t.path.display()));
            }
        }
        if t.data.source.is_empty() {
            bad.push(format!("{}: no source", t.path.display()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn issues_and_goal_definitions_are_quoted_from_their_lines() {
    let c = corpus();
    let mut bad = Vec::new();
    for p in &c.policies {
        if let Some(i) = &p.data.issue {
            if !squash(&texts(&c, &p.data.source)).contains(&squash(i)) {
                bad.push(format!("{}: 論点 not at cited lines", p.path.display()));
            }
        }
    }
    for g in &c.goals {
        let t = squash(&texts(&c, &g.data.source));
        for k in g
            .data
            .kpi_definitions
            .iter()
            .chain(g.data.implementer.iter())
        {
            if !t.contains(&squash(k)) {
                bad.push(format!("{}: `{k}` not at cited lines", g.path.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn counts_meet_the_minimums() {
    let c = corpus();
    assert_eq!(c.documents.len(), 5, "the five seeds");
    assert!(c.policies.len() >= 80, "policies: {}", c.policies.len());
    assert!(c.kpis.len() >= 30, "KPI series: {}", c.kpis.len());
    assert!(c.terms.len() >= 60, "glossary terms: {}", c.terms.len());
    assert_eq!(
        c.goals.iter().filter(|g| g.data.plan == "plan2").count(),
        11,
        "第2期 has 11 goals"
    );
    assert!(
        c.kpis
            .iter()
            .filter(|k| k.data.kind == seisaku::content::kpi::KpiKind::Kgi)
            .count()
            >= 3,
        "three KGIs"
    );
    for org in ["mhlw", "meti", "mext", "cao", "amed", "pmda"] {
        assert!(
            c.organisations.iter().any(|o| o.id == org),
            "organisation {org}"
        );
    }
    for term in [
        "imdrf", "mdsap", "hbd", "idaten", "samd", "mediso", "jhvs", "pmda", "amed",
    ] {
        assert!(c.terms.iter().any(|t| t.id == term), "term {term}");
    }
}

#[test]
fn seeds_are_kept_verbatim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/seeds");
    if !shared.is_dir() {
        return; // Outside the workspace the originals are only in seeds/.
    }
    for e in std::fs::read_dir(&shared).unwrap() {
        let e = e.unwrap();
        let ours = std::fs::read(root.join("seeds").join(e.file_name())).expect("seed copied");
        assert_eq!(
            ours,
            std::fs::read(e.path()).unwrap(),
            "{:?} differs",
            e.file_name()
        );
    }
}

#[test]
fn the_seed_site_builds_with_every_link_resolving() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let opts = seisaku::build::BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.path().join("site")),
        ..Default::default()
    };
    let report = seisaku::build::build(&opts).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(report.stats.pages > 200, "pages: {}", report.stats.pages);
    assert!(
        report.stats.autolinks > 100,
        "glossary links: {}",
        report.stats.autolinks
    );
}

#[test]
fn the_readme_counts_match_the_seed_site() {
    let c = corpus();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    use seisaku::content::Kind;
    for (kind, words) in [
        (Kind::Document, "documents"),
        (Kind::Plan, "plans"),
        (Kind::Pillar, "pillars"),
        (Kind::Goal, "goals"),
        (Kind::Policy, "policies"),
        (Kind::Kpi, "KPI series"),
        (Kind::Organisation, "organisations"),
        (Kind::Term, "glossary terms"),
    ] {
        let said = format!("{} {words}", c.count(kind));
        assert!(readme.contains(&said), "the README should say `{said}`");
    }
}
