//! `site.toml`: the site's configuration.

use crate::content::frontmatter::{decode, normalise_text};
use crate::diag::Diagnostic;
use crate::format::date::DateStyle;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Absent: a fully relative site. Present: sitemap, feed and canonical links too.
    pub base_url: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output")]
    pub output_dir: String,
    #[serde(default)]
    pub date_style: DateStyle,
    #[serde(default)]
    pub glossary: GlossaryConfig,
    /// Pass raw HTML in Markdown through unchanged (default: sanitised to a safe allow-list).
    #[serde(default)]
    pub trust_html: bool,
    /// Also write the whole site as `<output_dir>/<archive name>.zip` for offline reading.
    #[serde(default)]
    pub offline_archive: bool,
    /// Counters allowed as KPI units besides the built-in ones.
    #[serde(default)]
    pub extra_units: Vec<String>,
    /// Entries per page of a list page; a longer list is split into numbered pages
    /// (`policies/page/2/index.html`). 0: never split.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// Where a page's source can be edited, with `{path}` for the file's path from the site
    /// root: `https://github.com/org/repo/edit/main/{path}`. Adds 「このページを編集」.
    pub edit_url: Option<String>,
    /// Watch mode only: where 「ソースを開く」 leads, with `{path}`, `{abs_path}` and `{line}`
    /// (`vscode://file{abs_path}:{line}`). Default: the source with line numbers, shown by
    /// the dev server itself.
    pub open_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryConfig {
    /// Link glossary terms found in body text.
    #[serde(default = "yes")]
    pub autolink: bool,
    /// Link only the first occurrence of a term in each section.
    #[serde(default = "yes")]
    pub first_only: bool,
}

impl Default for GlossaryConfig {
    fn default() -> Self {
        GlossaryConfig {
            autolink: true,
            first_only: true,
        }
    }
}

fn yes() -> bool {
    true
}
fn default_language() -> String {
    "ja".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_paginate_by() -> usize {
    100
}
fn default_output() -> String {
    "public".into()
}

impl SiteConfig {
    /// The settings every default gives, with an empty title: used to read the content when
    /// site.toml itself could not be read, so its errors are listed too.
    pub fn placeholder() -> SiteConfig {
        // A title is the only required key; every other field has a default.
        toml::from_str("title = \"\"").expect("defaults deserialise")
    }

    /// Reads `<root>/site.toml`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join("site.toml");
        let bytes = std::fs::read(&path).map_err(|e| {
            vec![
                Diagnostic::error("E001", "site.toml", format!("cannot read site.toml: {e}")).hint(
                    format!(
                        "run seisaku in a site folder, or pass --root; looked in {}",
                        root.display()
                    ),
                ),
            ]
        })?;
        let text = normalise_text(&bytes, Path::new("site.toml")).map_err(|d| vec![d])?;
        let cfg: SiteConfig = decode(&text, 0, &text, Path::new("site.toml"))?.value;
        cfg.validate().map_err(|(key, m, hint)| {
            vec![Diagnostic::error("E005", "site.toml", m)
                .at(line_of_key(&text, key), 1)
                .hint(hint)]
        })?;
        Ok(cfg)
    }

    /// The first invalid value: its key, the message and a hint.
    fn validate(&self) -> Result<(), (&'static str, String, &'static str)> {
        if let Some(b) = &self.base_url {
            if !(b.starts_with("https://") || b.starts_with("http://")) {
                return Err((
                    "base_url",
                    format!("base_url `{b}` must start with https:// or http://"),
                    "write the site's public address in full, e.g. \"https://example.go.jp/plan/\"",
                ));
            }
        }
        if let Some(u) = &self.edit_url {
            if !u.contains("{path}") {
                return Err((
                    "edit_url",
                    format!("edit_url `{u}` has no `{{path}}`, so every page would link to the same place"),
                    "put {path} where the file's path goes, e.g. \"https://github.com/org/repo/edit/main/{path}\"",
                ));
            }
        }
        if let Some(u) = &self.open_url {
            if !u.contains("{path}") && !u.contains("{abs_path}") {
                return Err((
                    "open_url",
                    format!("open_url `{u}` has neither `{{path}}` nor `{{abs_path}}`"),
                    "e.g. \"vscode://file{abs_path}:{line}\"",
                ));
            }
        }
        if self.output_dir.is_empty() || self.output_dir.contains("..") {
            return Err((
                "output_dir",
                "output_dir must be a folder name inside the site root".into(),
                "use a folder of its own, such as \"public\"",
            ));
        }
        Ok(())
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url(&self) -> Option<String> {
        self.base_url
            .as_ref()
            .map(|b| format!("{}/", b.trim_end_matches('/')))
    }
}

/// The 1-based line of `key = ...` in `<root>/site.toml`, or 1 when it is not found.
pub fn key_line(root: &Path, key: &str) -> usize {
    std::fs::read_to_string(root.join("site.toml"))
        .map(|t| line_of_key(&t, key))
        .unwrap_or(1)
}

/// The 1-based line where top-level `key` is set in a TOML text, or 1 when it is not found.
pub fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .take_while(|l| !l.trim_start().starts_with('['))
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first diagnostic of loading a `site.toml` with `text`.
    fn first_error(text: &str) -> Diagnostic {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), text).unwrap();
        SiteConfig::load(dir.path()).unwrap_err().remove(0)
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let d = &first_error("title = \"x\"\n\ntheem = \"y\"\n");
        assert_eq!(d.line, 3, "{d}");
        assert!(d.message.contains("theem"), "{d}");
    }

    #[test]
    fn invalid_values_point_at_their_key() {
        let d = &first_error("title = \"x\"\n# the address\nbase_url  = \"example.go.jp\"\n");
        assert_eq!((d.code, d.line, d.column), ("E005", 3, 1), "{d}");
        assert!(!d.hint.is_empty());
    }

    #[test]
    fn defaults() {
        let cfg: SiteConfig = toml::from_str("title = \"x\"").unwrap();
        assert_eq!(
            (
                cfg.language.as_str(),
                cfg.theme.as_str(),
                cfg.output_dir.as_str()
            ),
            ("ja", "default", "public")
        );
        assert!(cfg.glossary.first_only && cfg.glossary.autolink && !cfg.trust_html);
    }
}
