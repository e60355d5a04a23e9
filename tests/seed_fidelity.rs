//! The seed corpus in content/ against the original documents in seeds/: every figure, amount,
//! date and glossary term must appear at the seed lines it cites; counts meet the minimums.

use seisaku::content::load::load;
use seisaku::content::source_ref::SourceRef;
use seisaku::content::{AnyEntry, Corpus, Kind, Seed};
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
    for e in c.all() {
        // Dates written in a `date` field (documents, plans, events), not budget years.
        for d in e.dates().into_iter().filter(|d| d.field == "date") {
            let cited = squash(&texts(&c, e.sources()));
            if !cited.contains(&squash(&d.written)) {
                bad.push(format!(
                    "{}: date {} not at cited lines",
                    e.path().display(),
                    d.written
                ));
            }
            if seisaku::format::date::JpDate::parse(&d.written).is_err() {
                bad.push(format!(
                    "{}: date {} does not parse",
                    e.path().display(),
                    d.written
                ));
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
            .filter(|k| k.data.kind == seisaku::content::kinds::kpi::KpiKind::Kgi)
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
    assert!(
        report.stats.render.pages > 200,
        "pages: {}",
        report.stats.render.pages
    );
    assert!(
        report.stats.resolve.autolinks > 100,
        "glossary links: {}",
        report.stats.resolve.autolinks
    );
}

/// The entry of `kind` with id `id`.
fn entry<'c>(c: &'c Corpus, kind: Kind, id: &str) -> &'c dyn AnyEntry {
    c.of_kind(kind)
        .into_iter()
        .find(|e| e.id() == id)
        .expect("entity")
}

/// Every seed line range an entity cites: its sources, budget lines, re-listings, figures,
/// relations and sections.
fn all_refs(c: &Corpus, kind: Kind, id: &str) -> Vec<SourceRef> {
    entry(c, kind, id)
        .citations()
        .into_iter()
        .map(|x| x.source.clone())
        .collect()
}

/// The text of every seed line an entity cites.
fn cited_text(c: &Corpus, kind: Kind, id: &str) -> String {
    // `**` in a seed is the converter's bold markup inside a sentence, not the seed's words.
    texts(c, &all_refs(c, kind, id)).replace("**", "")
}

/// The sentences of a Markdown body that must be the seed's words: the text of paragraphs,
/// list items, table cells and footnotes, split after 「。」. Headings (the editors' structure)
/// and `> [!NOTE]` blocks (editorial notes, shown as such) are left out.
fn body_sentences(body: &str) -> Vec<String> {
    use pulldown_cmark::{BlockQuoteKind, Event, Options, Parser, Tag, TagEnd};
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut heading = 0;
    let mut note = 0;
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        for s in cur.split_inclusive('。') {
            let s = squash(s);
            if s.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
                out.push(s);
            }
        }
        cur.clear();
    };
    for ev in Parser::new_ext(body, opts) {
        match ev {
            Event::Start(Tag::Heading { .. }) => heading += 1,
            Event::End(TagEnd::Heading(_)) => {
                heading -= 1;
                cur.clear();
            }
            Event::Start(Tag::BlockQuote(Some(BlockQuoteKind::Note))) => note += 1,
            Event::End(TagEnd::BlockQuote(Some(BlockQuoteKind::Note))) => {
                note -= 1;
                cur.clear();
            }
            Event::Text(t) | Event::Code(t) if heading == 0 && note == 0 => cur.push_str(&t),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::FootnoteDefinition
                | TagEnd::BlockQuote(_),
            )
            | Event::Start(Tag::Item | Tag::TableCell | Tag::FootnoteDefinition(_))
            | Event::HardBreak
            // A footnote mark stands where the seed has its own mark (`*1`, `^{*1}`), and a
            // `<br>` in a table cell where the seed starts a new list item: the text on either
            // side is checked on its own.
            | Event::FootnoteReference(_)
            | Event::InlineHtml(_) => flush(&mut cur, &mut out),
            _ => {}
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// Entities whose bodies are still being cleaned, one `kind/id` per line. An entity on it is
/// exempt from the two checks below; one that passes them must leave the list.
fn pending() -> BTreeSet<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity_pending.txt");
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Problems of one entity's body: sentences not at its cited lines, and PDF artefacts.
fn body_problems(c: &Corpus, kind: Kind, id: &str, body: &str, first_line: usize) -> Vec<String> {
    let cited = squash(&cited_text(c, kind, id));
    let mut out: Vec<String> = body_sentences(body)
        .into_iter()
        .filter(|s| !cited.contains(s.as_str()))
        .map(|s| format!("not at its cited lines: 「{s}」"))
        .collect();
    out.extend(
        seisaku::content::lint::artefacts(body, first_line)
            .into_iter()
            .map(|a| format!("line {}: {}", a.line, a.message)),
    );
    out
}

#[test]
fn body_sentences_are_read_from_paragraphs_lists_cells_and_footnotes() {
    let s = body_sentences(
        "## 目的\n\n一つ目。二つ目\n\n- 項目 A\n\n|年度|件数|\n|-|-|\n|2023|4件<br>5件|\n\n注記[^1]の後\n\n[^1]: 脚注の文。\n\n> [!NOTE]\n> 編集注の文。\n",
    );
    assert_eq!(
        s,
        [
            "一つ目。",
            "二つ目",
            "項目A",
            "年度",
            "件数",
            "2023",
            "4件",
            "5件",
            "注記",
            "の後",
            "脚注の文。"
        ]
    );
}

#[test]
fn every_body_is_the_seeds_words_without_pdf_artefacts() {
    let c = corpus();
    let pending = pending();
    let mut bad = Vec::new();
    let mut cleaned_but_listed = Vec::new();
    let mut check = |kind: Kind, id: &str, path: &Path, body: &str, line: usize| {
        let key = format!("{kind}/{id}");
        let problems = body_problems(&c, kind, id, body, line);
        match (pending.contains(&key), problems.is_empty()) {
            (false, false) => bad.push(format!(
                "{} ({key}):\n  {}",
                path.display(),
                problems.join("\n  ")
            )),
            (true, true) => cleaned_but_listed.push(key),
            _ => {}
        }
    };
    for e in c.all() {
        check(e.kind(), e.id(), e.path(), e.body(), e.body_line());
    }
    assert!(
        bad.is_empty(),
        "{} bodies with text from elsewhere or PDF artefacts:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert!(
        cleaned_but_listed.is_empty(),
        "clean now; remove from tests/fidelity_pending.txt: {cleaned_but_listed:?}"
    );
}

/// Every seed line cited by some entity other than the documents themselves, by seed file.
fn cited_lines(c: &Corpus) -> std::collections::BTreeMap<String, BTreeSet<usize>> {
    let mut m: std::collections::BTreeMap<String, BTreeSet<usize>> = Default::default();
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Document) {
        for e in c.of_kind(kind) {
            let id = e.id();
            let _ = cited_text(c, kind, id); // proves every reference is in range
            for r in all_refs(c, kind, id) {
                m.entry(r.file.clone())
                    .or_default()
                    .extend(r.first..=r.last);
            }
        }
    }
    m
}

/// A document's `sections` partition its seed: in order, each title at its lines, every
/// non-blank line in exactly one section, and every section cited by a page unless a note
/// says why it has none. Every programme sheet (a line with 「事業の目的」) is in a section
/// with a page. Prints the coverage of each seed by cited text.
#[test]
fn document_sections_partition_their_seeds_and_each_has_a_page() {
    let c = corpus();
    let cited = cited_lines(&c);
    let mut bad = Vec::new();
    for d in &c.documents {
        let seed = &c.seeds[&d.data.file];
        let lines = &seed.lines;
        let covered = cited.get(&d.data.file).cloned().unwrap_or_default();
        let non_blank: Vec<usize> = (1..=lines.len())
            .filter(|n| !lines[n - 1].trim().is_empty())
            .collect();
        let chars = |ns: &mut dyn Iterator<Item = &usize>| -> usize {
            ns.map(|n| squash(&lines[n - 1]).chars().count()).sum()
        };
        let total = chars(&mut non_blank.iter());
        let cited_chars = chars(&mut non_blank.iter().filter(|n| covered.contains(n)));
        println!(
            "{}: {:.1}% of the text cited ({} of {} non-blank lines), {} sections",
            d.data.file,
            100.0 * cited_chars as f64 / total.max(1) as f64,
            non_blank.iter().filter(|n| covered.contains(n)).count(),
            non_blank.len(),
            d.data.sections.len()
        );
        if d.data.sections.is_empty() {
            continue;
        }
        let mut next = 1;
        for s in &d.data.sections {
            let r = &s.source;
            if r.file != d.data.file {
                bad.push(format!(
                    "{}: section `{}` cites another file",
                    d.path.display(),
                    s.title
                ));
                continue;
            }
            if r.first < next {
                bad.push(format!(
                    "{}: section `{}` ({r}) overlaps the one before",
                    d.path.display(),
                    s.title
                ));
            }
            if let Some(gap) = (next..r.first).find(|n| !lines[n - 1].trim().is_empty()) {
                bad.push(format!(
                    "{}: line {gap} is in no section (before `{}`)",
                    d.path.display(),
                    s.title
                ));
            }
            next = r.last + 1;
            let text = squash(&text(&c, r));
            if !text.contains(&squash(&s.title)) {
                bad.push(format!(
                    "{}: section title `{}` is not at {r}",
                    d.path.display(),
                    s.title
                ));
            }
            let has_page = (r.first..=r.last).any(|n| covered.contains(&n));
            if !has_page && s.note.is_none() {
                bad.push(format!(
                    "{}: section `{}` ({r}) has no page and no note",
                    d.path.display(),
                    s.title
                ));
            }
        }
        if let Some(gap) = (next..=lines.len()).find(|n| !lines[n - 1].trim().is_empty()) {
            bad.push(format!(
                "{}: line {gap} is after the last section",
                d.path.display()
            ));
        }
        for (i, l) in lines.iter().enumerate() {
            let n = i + 1;
            if l.contains("事業の目的") {
                let sec = d
                    .data
                    .sections
                    .iter()
                    .find(|s| (s.source.first..=s.source.last).contains(&n));
                if sec.is_none_or(|s| s.note.is_some()) {
                    bad.push(format!(
                        "{}: the programme sheet at line {n} has no page",
                        d.data.file
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_readme_counts_match_the_seed_site() {
    let c = corpus();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for (kind, words) in [
        (Kind::Document, "documents"),
        (Kind::Plan, "plans"),
        (Kind::Pillar, "pillars"),
        (Kind::Goal, "goals"),
        (Kind::Policy, "policies"),
        (Kind::Kpi, "KPI series"),
        (Kind::Organisation, "organisations"),
        (Kind::Term, "glossary terms"),
        (Kind::Event, "events"),
    ] {
        let said = format!("{} {words}", c.count(kind));
        assert!(readme.contains(&said), "the README should say `{said}`");
    }
}
