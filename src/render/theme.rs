//! Themes: Tera templates and static assets. The default theme is built into the binary; a
//! site's `themes/default/` and then its chosen theme override it file by file.

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

/// Each template's file and text, by template name: what error messages point into.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    templates: BTreeMap<String, (PathBuf, String)>,
}

impl Origins {
    /// The file a template came from.
    pub fn file(&self, name: &str) -> Option<&Path> {
        self.templates.get(name).map(|(p, _)| p.as_path())
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
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("wbr", wbr_filter);
    tera.register_filter("dates", wbr_filter);
    let origins = Origins {
        templates: templates
            .iter()
            .map(|(k, (text, p))| (k.clone(), (p.clone(), text.clone())))
            .collect(),
    };
    let list: Vec<(String, String)> = templates
        .into_iter()
        .map(|(k, (s, _))| {
            let s = if k.ends_with(".html") {
                crate::typeset::wbr::break_template(&s)
            } else {
                s
            };
            (k, s)
        })
        .collect();
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

/// `{{ text | wbr | safe }}` (also `dates`): the text escaped, with `<wbr>` between its
/// Japanese phrases and each date, year and fiscal year in it a `<time datetime>` (its words
/// unchanged). The same titles appear on many pages (every link to an entity), so short texts
/// are made once and remembered (a pure function of the text).
fn wbr_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let owned;
    let text = match value {
        tera::Value::String(s) => s.as_str(),
        tera::Value::Null => "",
        other => {
            owned = other.to_string();
            owned.as_str()
        }
    };
    Ok(tera::Value::String(broken_escaped(text)))
}

/// `text` as [`mark_dates`] makes it, remembered for short texts. Each thread keeps its own
/// memo: the same titles are shown on thousands of pages, and a memo shared between threads
/// would make every lookup contend for one lock.
pub fn broken_escaped(text: &str) -> String {
    use std::cell::RefCell;
    const MAX_LEN: usize = 400;
    const MAX_ENTRIES: usize = 100_000;
    thread_local! {
        static MEMO: RefCell<rustc_hash::FxHashMap<Box<str>, Box<str>>> = Default::default();
    }
    if text.len() > MAX_LEN {
        return mark_dates(text);
    }
    MEMO.with_borrow_mut(|memo| {
        if let Some(hit) = memo.get(text) {
            return hit.to_string();
        }
        let made = mark_dates(text);
        if memo.len() >= MAX_ENTRIES {
            memo.clear();
        }
        memo.insert(text.into(), made.as_str().into());
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

/// Escapes text for HTML content and quoted attributes (`/` is left alone, so URLs stay readable).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped_html(s, &mut out);
    out
}

/// [`escape_html`] appended to `out`. The five characters escaped are ASCII, and no byte of a
/// multi-byte UTF-8 character is ASCII, so the text is scanned byte by byte and copied in runs.
pub fn push_escaped_html(s: &str, out: &mut String) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// A Tera error as a diagnostic naming the template file and the line: where Tera says, or,
/// for a variable that is not defined, where the template uses it.
pub fn template_error(e: &tera::Error, origins: &Origins) -> Diagnostic {
    use std::error::Error;
    let mut chain = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    let text = chain.join(": ");
    let named = origins
        .templates
        .keys()
        .find(|name| text.contains(&format!("'{name}'")));
    let (file, line, column) = match (named, undefined_variable(&text)) {
        (named, Some(var)) => match use_of(origins, named.map(String::as_str), var) {
            Some(found) => found,
            None => (blamed_file(origins, named), 0, 0),
        },
        (named, None) => (blamed_file(origins, named), line_in(&text), 0),
    };
    Diagnostic::error(
        "E041",
        file,
        format!("template error: {}", text.replace('\n', " ")),
    )
    .at(line, column)
    .hint("fix the template; the built-in default templates show the variables each page gets")
}

fn blamed_file(origins: &Origins, named: Option<&String>) -> PathBuf {
    named
        .and_then(|n| origins.file(n))
        .map_or_else(|| PathBuf::from("themes"), Path::to_path_buf)
}

/// The variable of Tera's "Variable `page.x` not found in context" message.
fn undefined_variable(text: &str) -> Option<&str> {
    let rest = text.split("Variable `").nth(1)?;
    let (var, after) = rest.split_once('`')?;
    after.starts_with(" not found").then_some(var)
}

/// File, line and column where `var` is used: in the named template first, then in any other.
fn use_of(origins: &Origins, named: Option<&str>, var: &str) -> Option<(PathBuf, usize, usize)> {
    let first = named.and_then(|n| origins.templates.get(n));
    first
        .into_iter()
        .chain(origins.templates.values())
        .find_map(|(path, source)| {
            let at = find_variable(source, var)?;
            let (line, col) = crate::diag::line_col(source, at);
            Some((path.clone(), line, col))
        })
}

/// Byte offset of `var` used as a whole name in `source` (not as part of a longer name).
fn find_variable(source: &str, var: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    source.match_indices(var).map(|(i, _)| i).find(|&i| {
        let before = source[..i].chars().next_back();
        let after = source[i + var.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(|c| is_name(c) && c != '.')
    })
}

/// Tera's parse errors carry ` --> line:col`.
fn line_in(text: &str) -> usize {
    text.split("--> ")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
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
        for s in [
            "",
            "&",
            "a<b>c",
            "施策「A&B」の'概要'と\"説明\"",
            "<<>>&&''\"\"",
            "末尾&",
            "é<ü>🙂&",
        ] {
            assert_eq!(escape_html(s), slow(s), "{s}");
        }
    }

    #[test]
    fn dates_in_text_become_time_elements() {
        assert_eq!(
            mark_dates("令和７年度<案>"),
            "<time datetime=\"2025\">令和７年度</time>&lt;案&gt;"
        );
        assert_eq!(mark_dates("49コース"), "49コース");
    }

    #[test]
    fn undefined_variables_are_found_in_the_template() {
        let origins = Origins {
            templates: [
                (
                    "base.html".to_string(),
                    (
                        PathBuf::from("themes/x/templates/base.html"),
                        "<p>{{ page.title }}</p>\n".to_string(),
                    ),
                ),
                (
                    "term.html".to_string(),
                    (
                        PathBuf::from("themes/x/templates/term.html"),
                        "{% block a %}\n{{ page.titles }}\n  {{ page.title | upper }}\n"
                            .to_string(),
                    ),
                ),
            ]
            .into(),
        };
        let text = "Failed to render 'term.html': Variable `page.title` not found in context while rendering 'term.html'";
        assert_eq!(undefined_variable(text), Some("page.title"));
        assert_eq!(
            use_of(&origins, Some("term.html"), "page.title"),
            Some((PathBuf::from("themes/x/templates/term.html"), 3, 6))
        );
        assert_eq!(
            use_of(&origins, None, "page.title").map(|(_, l, _)| l),
            Some(1)
        );
    }
}
