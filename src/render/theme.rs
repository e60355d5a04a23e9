//! Themes: Tera templates and static assets. The default theme is built into the binary; a
//! site's `themes/default/` and then its chosen theme override it file by file.

use super::html::Html;
use super::strings::Strings;
use crate::diag::Diagnostic;
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

/// Strings files of a theme, by language.
type StringFiles = BTreeMap<String, (String, PathBuf)>;

/// The built-in theme's strings for `language` (Japanese when it has none for it).
pub fn builtin_strings(language: &str) -> Strings {
    let file = |lang: &str| DEFAULT_THEME.get_file(format!("strings/{lang}.toml"));
    let text = file(language)
        .or_else(|| file("ja"))
        .and_then(|f| f.contents_utf8())
        .unwrap_or("");
    // The built-in strings are tested to parse; an empty set is the fallback.
    Strings::parse(text, "(built-in default theme)/strings", None).unwrap_or_default()
}

/// The built-in Japanese strings (for tests and tools).
pub fn default_strings() -> Strings {
    builtin_strings("ja")
}

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Each template's file, its text and the text compiled (with phrase breaks), by template
/// name: what error messages point into.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    templates: BTreeMap<String, Origin>,
}

/// Where a template came from, as written and as compiled.
#[derive(Debug, Clone)]
struct Origin {
    path: PathBuf,
    text: String,
    compiled: String,
}

impl Origins {
    /// The file a template came from.
    pub fn file(&self, name: &str) -> Option<&Path> {
        self.templates.get(name).map(|o| o.path.as_path())
    }

    /// The template text (as written) at `range` of its compiled text, and the column as
    /// written of `column` (1-based) on `line` (1-based): the compiled text has phrase breaks
    /// added to its literal text, which move columns but never lines.
    fn as_written(
        &self,
        name: &str,
        line: usize,
        column: usize,
        range: std::ops::Range<usize>,
    ) -> (usize, Option<&str>) {
        let Some(o) = self.templates.get(name) else {
            return (column, None);
        };
        let quoted = o.compiled.get(range).filter(|q| !q.contains('\n'));
        let n = line.wrapping_sub(1);
        let (Some(compiled), Some(written)) = (o.compiled.lines().nth(n), o.text.lines().nth(n))
        else {
            return (column, quoted);
        };
        // Walk both lines; an added break is a `<wbr>` in the compiled line that the written
        // line does not have at the same place.
        const BREAK: &str = "<wbr>";
        let (mut c, mut w, mut col) = (0, 0, 1);
        while col < column {
            let (Some(cr), Some(wr)) = (compiled.get(c..), written.get(w..)) else {
                return (column, quoted);
            };
            if cr.starts_with(BREAK) && !wr.starts_with(BREAK) {
                c += BREAK.len();
                col += BREAK.chars().count();
                continue;
            }
            let Some(ch) = cr.chars().next() else {
                break;
            };
            c += ch.len_utf8();
            w += ch.len_utf8();
            col += 1;
        }
        let written_column = written.get(..w).map_or(column, |p| p.chars().count() + 1);
        (written_column, quoted)
    }
}

/// A loaded theme: compiled templates, UI strings and static files by output path.
pub struct Theme {
    pub tera: Tera,
    pub strings: Strings,
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, for error messages.
    pub origins: Origins,
    /// A hash of every template's text: equal for an unchanged theme.
    pub fingerprint: u64,
}

fn collect_embedded(
    dir: &Dir<'_>,
    templates: &mut BTreeMap<String, (String, PathBuf)>,
    statics: &mut BTreeMap<String, Vec<u8>>,
) {
    for f in dir.files() {
        let p = f.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = p.strip_prefix("templates/") {
            templates.insert(
                name.to_string(),
                (
                    String::from_utf8_lossy(f.contents()).into_owned(),
                    PathBuf::from("(built-in default theme)").join(&p),
                ),
            );
        } else if let Some(name) = p.strip_prefix("static/") {
            statics.insert(name.to_string(), f.contents().to_vec());
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, templates, statics);
    }
}

fn collect_disk(
    root: &Path,
    theme_dir: &Path,
    templates: &mut BTreeMap<String, (String, PathBuf)>,
    statics: &mut BTreeMap<String, Vec<u8>>,
    strings: &mut StringFiles,
    diags: &mut Vec<Diagnostic>,
) {
    let strings_dir = theme_dir.join("strings");
    if let Ok(rd) = std::fs::read_dir(&strings_dir) {
        let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "toml"))
        {
            let lang = f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rel = crate::diag::rel(root, &f);
            match std::fs::read_to_string(&f) {
                Ok(t) => {
                    strings.insert(lang, (t, rel));
                }
                Err(e) => diags.push(
                    Diagnostic::error("E001", rel, format!("cannot read strings file: {e}"))
                        .hint("check the file's permissions; save it as UTF-8"),
                ),
            }
        }
    }
    for (sub, is_tpl) in [("templates", true), ("static", false)] {
        let base = theme_dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_type().is_file()
                    && !crate::content::load::is_ignored(&e.file_name().to_string_lossy())
            })
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for f in files {
            let name = f
                .strip_prefix(&base)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let rel = crate::diag::rel(root, &f);
            match std::fs::read(&f) {
                Ok(bytes) if is_tpl => match String::from_utf8(bytes) {
                    Ok(s) => {
                        templates.insert(name, (s.replace("\r\n", "\n"), rel));
                    }
                    Err(_) => diags.push(
                        Diagnostic::error("E003", rel, "template is not valid UTF-8")
                            .hint("save it as UTF-8"),
                    ),
                },
                Ok(bytes) => {
                    statics.insert(name, bytes);
                }
                Err(e) => diags.push(
                    Diagnostic::error("E001", rel, format!("cannot read theme file: {e}"))
                        .hint("check the file's permissions"),
                ),
            }
        }
    }
}

/// Loads the theme `name` of the site at `root`, with its strings for `language`.
pub fn load(root: &Path, name: &str, language: &str) -> Result<Theme, Vec<Diagnostic>> {
    load_files(gather(root, name)?, language)
}

/// [`load`], reusing the theme compiled from the same files by an earlier build (watch mode):
/// only the theme's files are read again.
pub fn load_cached(
    root: &Path,
    name: &str,
    language: &str,
    cache: Option<&crate::render::cache::RenderCache>,
) -> Result<std::sync::Arc<Theme>, Vec<Diagnostic>> {
    let files = gather(root, name)?;
    let Some(cache) = cache else {
        return load_files(files, language).map(std::sync::Arc::new);
    };
    let key = crate::format::hash::fx(&(
        language,
        &files.templates,
        &files.statics,
        files.strings.get(language),
    ));
    cache.theme(key, || load_files(files, language))
}

fn load_files(files: ThemeFiles, language: &str) -> Result<Theme, Vec<Diagnostic>> {
    let builtin = builtin_strings(language);
    let strings = match files.strings.get(language) {
        Some((text, origin)) => Strings::parse(text, &origin.display().to_string(), Some(&builtin))
            .map_err(|d| vec![d])?,
        None => builtin,
    };
    compile(files.templates, files.statics, strings)
}

/// A theme's files before compiling: templates, statics and strings, later ones overriding.
struct ThemeFiles {
    templates: BTreeMap<String, (String, PathBuf)>,
    statics: BTreeMap<String, Vec<u8>>,
    strings: StringFiles,
}

/// The built-in theme, then the site's `themes/default/`, then the chosen theme.
fn gather(root: &Path, name: &str) -> Result<ThemeFiles, Vec<Diagnostic>> {
    let mut f = ThemeFiles {
        templates: BTreeMap::new(),
        statics: BTreeMap::new(),
        strings: StringFiles::new(),
    };
    let mut diags = Vec::new();
    collect_embedded(&DEFAULT_THEME, &mut f.templates, &mut f.statics);
    let mut dirs = vec![root.join("themes").join("default")];
    if name != "default" {
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            return Err(vec![missing_theme(root, name)]);
        }
        dirs.push(dir);
    }
    for dir in dirs {
        collect_disk(
            root,
            &dir,
            &mut f.templates,
            &mut f.statics,
            &mut f.strings,
            &mut diags,
        );
    }
    if diags.is_empty() {
        Ok(f)
    } else {
        Err(diags)
    }
}

/// E040 at the `theme` line of site.toml.
fn missing_theme(root: &Path, name: &str) -> Diagnostic {
    let line = crate::config::key_line(root, "theme");
    Diagnostic::error(
        "E040",
        "site.toml",
        format!("theme `{name}` not found: there is no folder themes/{name}/"),
    )
    .at(line, 1)
    .hint("create the theme folder or set theme = \"default\"")
}

/// Compiles the templates (their own Japanese text phrase-broken once, here; no line moves).
fn compile(
    templates: BTreeMap<String, (String, PathBuf)>,
    statics: BTreeMap<String, Vec<u8>>,
    strings: Strings,
) -> Result<Theme, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(write_escaped_html);
    tera.register_filter("wbr", phrase_breaks);
    tera.register_filter("dates", phrase_breaks);
    tera.register_filter("truncate", truncate);
    let list: Vec<(String, String)> = templates
        .iter()
        .map(|(k, (s, _))| {
            let s = if k.ends_with(".html") {
                crate::typeset::wbr::break_template(s)
            } else {
                s.clone()
            };
            (k.clone(), s)
        })
        .collect();
    let origins = Origins {
        templates: templates
            .into_iter()
            .zip(&list)
            .map(|((name, (text, path)), (_, compiled))| {
                let compiled = compiled.clone();
                (
                    name,
                    Origin {
                        path,
                        text,
                        compiled,
                    },
                )
            })
            .collect(),
    };
    let fingerprint =
        crate::format::hash::fx(&(&list, serde_json::to_string(&strings).unwrap_or_default()));
    if let Err(e) = tera.add_raw_templates(list) {
        return Err(vec![template_error(&e, &origins)]);
    }
    Ok(Theme {
        fingerprint,
        tera,
        strings,
        statics,
        origins,
    })
}

/// `{{ text | wbr }}` (also `dates`): the text escaped, with `<wbr>` between its Japanese
/// phrases and each date, year and fiscal year in it a `<time datetime>` (its words
/// unchanged); HTML, as a value marked safe (`| safe` after it is not needed). The same titles appear on
/// many pages (every link to an entity), so short texts are made once and remembered (a pure
/// function of the text).
fn phrase_breaks(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.is_none() || value.is_undefined() {
        return Html::new("").into_value();
    }
    match value.as_str() {
        Some(text) => broken_escaped(text),
        None => broken_escaped(&value.to_string()),
    }
    .into_value()
}

/// Tera's `truncate` (the first `length` grapheme clusters, then `end`, "…" unless given), with
/// the same result, made without cutting the text into clusters when it has no more characters
/// than `length` (a cluster is at least one character), as every page's description in the
/// default theme has.
fn truncate(text: &str, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let length = kwargs.must_get::<usize>("length")?;
    let end = kwargs.get::<&str>("end")?.unwrap_or("…");
    if text.len() <= length || text.chars().nth(length).is_none() {
        return Ok(text.to_string());
    }
    Ok(match text.grapheme_indices(true).nth(length) {
        Some((at, _)) => format!("{}{end}", &text[..at]),
        None => text.to_string(),
    })
}

/// `text` as [`mark_dates`] makes it, remembered for short texts. Each thread keeps its own
/// memo: the same titles are shown on thousands of pages, and a memo shared between threads
/// would make every lookup contend for one lock. A long text is held once, shared by every
/// page that shows it.
pub fn broken_escaped(text: &str) -> Html {
    use std::cell::RefCell;
    const MAX_LEN: usize = 400;
    const MAX_ENTRIES: usize = 100_000;
    thread_local! {
        static MEMO: RefCell<rustc_hash::FxHashMap<Box<str>, Html>> = Default::default();
    }
    if text.len() > MAX_LEN {
        return Html::from(mark_dates(text));
    }
    MEMO.with_borrow_mut(|memo| {
        if let Some(hit) = memo.get(text) {
            return hit.clone();
        }
        let made = Html::from(mark_dates(text));
        if memo.len() >= MAX_ENTRIES {
            memo.clear();
        }
        memo.insert(text.into(), made.clone());
        made
    })
}

/// Text as HTML: escaped, with phrase breaks, each date or year in it inside
/// `<time datetime="2025">…</time>`.
pub fn mark_dates(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    crate::typeset::time::push_with_times(&escape_html(text), &mut out);
    out
}

/// [`escape_html`] written to `w`: the template engine's escaping of what templates print.
fn write_escaped_html(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    escaped_into(s, |piece| w.write_all(piece.as_bytes()))
}

/// The entity an HTML-special byte is written as (none for every other byte).
fn entity_of(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// `s` escaped, given to `put` piece by piece: runs of its text and the entities of the
/// special bytes between them. The five characters escaped are ASCII, and no byte of a
/// multi-byte UTF-8 character is ASCII, so the text is scanned byte by byte and its runs are
/// given whole.
fn escaped_into<E>(s: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let Some(entity) = entity_of(b) else {
            continue;
        };
        put(&s[start..i])?;
        put(entity)?;
        start = i + 1;
    }
    put(&s[start..])
}

/// Escapes text for HTML content and quoted attributes (`/` is left alone, so URLs stay readable).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped_html(s, &mut out);
    out
}

/// [`escape_html`] appended to `out`.
pub fn push_escaped_html(s: &str, out: &mut String) {
    let pushed: Result<(), std::convert::Infallible> = escaped_into(s, |piece| {
        out.push_str(piece);
        Ok(())
    });
    // Appending to a String cannot fail.
    let Ok(()) = pushed;
}

/// A template engine error as a diagnostic naming the template file, line and column where
/// the engine points (a syntax error, or the expression that failed to render).
pub fn template_error(e: &tera::Error, origins: &Origins) -> Diagnostic {
    use std::error::Error;
    let (message, file, line, column) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let (column, quoted) = origins.as_written(
                r.filename(),
                span.start_line,
                span.start_col + 1,
                span.range.clone(),
            );
            let message = match quoted {
                Some(q) if !r.message().contains(&format!("`{q}`")) => {
                    format!("{} (at `{q}`)", r.message())
                }
                _ => r.message().to_string(),
            };
            (
                message,
                origins.file(r.filename()).map(Path::to_path_buf),
                span.start_line,
                column,
            )
        }
        kind => {
            let text = kind.to_string();
            match first_report(&text) {
                // Errors found while checking the templates together (an unknown filter, a
                // block no parent has) come as reports: `error: …` then `--> name:line:col`.
                Some((message, name, line, column)) => (
                    message.to_string(),
                    origins.file(name).map(Path::to_path_buf),
                    line,
                    column,
                ),
                None => {
                    let named = origins
                        .templates
                        .keys()
                        .find(|name| text.contains(&format!("'{name}'")))
                        .and_then(|n| origins.file(n))
                        .map(Path::to_path_buf);
                    (text, named, 0, 0)
                }
            }
        }
    };
    let mut chain = vec![message];
    let mut src = e.source();
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    Diagnostic::error(
        "E041",
        file.unwrap_or_else(|| PathBuf::from("themes")),
        format!("template error: {}", chain.join(": ").replace('\n', " ")),
    )
    .at(line, column)
    .hint("fix the template; the built-in default templates show the variables each page gets")
}

/// The message, template, line and column of the first report in a template engine message
/// (`error: {message}` then ` --> {template}:{line}:{column}`).
fn first_report(text: &str) -> Option<(&str, &str, usize, usize)> {
    let rest = text.split("error: ").nth(1)?;
    let (message, rest) = rest.split_once('\n')?;
    let at = rest.split("--> ").nth(1)?.lines().next()?.trim();
    let mut parts = at.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((message, parts.next()?, line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_the_character_by_character_definition() {
        let slow = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        // Each special character at every place of texts longer than the eight bytes looked
        // at together, after ASCII and after Japanese.
        let placed = ["&", "<", ">", "\"", "'"].iter().flat_map(|c| {
            (0..20).flat_map(move |at| {
                [
                    format!("{}{c}{}", "a".repeat(at), "末尾の文"),
                    format!("{}{c}x", "施".repeat(at)),
                ]
            })
        });
        let fixed = [
            "",
            "&",
            "a<b>c",
            "施策「A&B」の'概要'と\"説明\"",
            "<<>>&&''\"\"",
            "末尾&",
            "é<ü>🙂&",
        ]
        .map(String::from);
        for s in fixed.into_iter().chain(placed) {
            let s = s.as_str();
            assert_eq!(escape_html(s), slow(s), "{s}");
            let mut written = Vec::new();
            write_escaped_html(s, &mut written).expect("writes to a Vec");
            assert_eq!(String::from_utf8(written).as_deref(), Ok(slow(s).as_str()));
        }
    }

    #[test]
    fn truncate_gives_what_teras_own_filter_gives() {
        let template = "{{ s | truncate(length=n) }}|{{ s | truncate(length=n, end=\"...\") }}";
        let mut own = Tera::new();
        own.register_filter("truncate", truncate);
        own.add_raw_template("t", template).unwrap();
        let mut teras = Tera::new();
        teras.add_raw_template("t", template).unwrap();
        // Short and long, wide characters, clusters of several characters (a letter and its
        // accent, a flag, a family emoji), and texts of exactly n characters.
        let texts = [
            "",
            "abc",
            "医療機器基本計画",
            "e\u{301}e\u{301}e\u{301}e\u{301}",
            "🇯🇵🇯🇵🇯🇵",
            "👨\u{200d}👩\u{200d}👧 家族",
            &"プログラム医療機器の実用化。".repeat(20),
            &"a\u{301}".repeat(200),
        ];
        for text in texts {
            for n in [0, 1, 2, 3, 4, 5, 7, 8, 12, 160, 161, 280, 400] {
                let mut ctx = tera::Context::new();
                ctx.insert("s", text);
                ctx.insert("n", &n);
                let (a, b) = (own.render("t", &ctx), teras.render("t", &ctx));
                assert_eq!(a.unwrap(), b.unwrap(), "{text:?} at {n}");
            }
        }
    }

    #[test]
    fn phrase_breaks_print_as_html_with_or_without_safe() {
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(write_escaped_html);
        tera.register_filter("wbr", phrase_breaks);
        tera.register_filter("dates", phrase_breaks);
        tera.add_raw_template(
            "t.html",
            "{{ t | wbr }}|{{ t | wbr | safe }}|{{ d | dates }}|{{ n | wbr }}|{{ t }}",
        )
        .unwrap();
        let mut ctx = tera::Context::new();
        // Long enough to be made anew, short enough to be remembered: both ways.
        for t in ["医療機器の<研究>開発", &"医療機器の<研究>開発。".repeat(40)] {
            ctx.insert("t", t);
            ctx.insert("d", "令和7年度の予算");
            ctx.insert("n", &None::<String>);
            let out = tera.render("t.html", &ctx).unwrap();
            let parts: Vec<&str> = out.split('|').collect();
            let broken = mark_dates(t);
            assert!(broken.contains("<wbr>") && broken.contains("&lt;研究&gt;"));
            assert_eq!(parts[0], broken);
            assert_eq!(parts[1], broken);
            assert_eq!(parts[2], mark_dates("令和7年度の予算"));
            assert!(
                parts[2].contains("<time datetime=\"2025\">"),
                "{}",
                parts[2]
            );
            assert_eq!(parts[3], "");
            assert_eq!(parts[4], escape_html(t), "a plain value is still escaped");
        }
    }

    #[test]
    fn columns_are_given_in_the_template_as_written() {
        let text = "<main>\n<p>医療機器の研究開発 {{ page.nope }}</p>\n</main>\n";
        let compiled = crate::typeset::wbr::break_template(text);
        assert!(compiled.contains("<wbr>"), "{compiled}");
        let origins = Origins {
            templates: [(
                "t.html".to_string(),
                Origin {
                    path: PathBuf::from("themes/x/templates/t.html"),
                    text: text.to_string(),
                    compiled: compiled.clone(),
                },
            )]
            .into(),
        };
        let at = compiled.find("page.nope").expect("the expression is kept");
        let line2 = compiled.lines().nth(1).expect("two lines");
        let col = line2[..line2.find("page.nope").expect("on line 2")]
            .chars()
            .count()
            + 1;
        let written_col = text
            .lines()
            .nth(1)
            .and_then(|l| l.find("page.nope"))
            .map(|b| {
                text.lines()
                    .nth(1)
                    .map_or(0, |l| l[..b].chars().count() + 1)
            });
        assert_eq!(
            origins.as_written("t.html", 2, col, at..at + "page.nope".len()),
            (written_col.expect("on line 2"), Some("page.nope"))
        );
    }

    #[test]
    fn a_report_gives_its_template_line_and_column() {
        let text = "error: Unknown filter `nosuchfilter`\n --> term.html:3:14\n  |\n3 | x\n\nerror: other\n --> base.html:1:1";
        assert_eq!(
            first_report(text),
            Some(("Unknown filter `nosuchfilter`", "term.html", 3, 14))
        );
        assert_eq!(first_report("Template 'x.html' not found"), None);
    }

    #[test]
    fn dates_in_text_become_time_elements() {
        assert_eq!(
            mark_dates("令和７年度<案>"),
            "<time datetime=\"2025\">令和７年度</time>&lt;案&gt;"
        );
        assert_eq!(mark_dates("49コース"), "49コース");
    }
}
