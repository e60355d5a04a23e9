//! `site.toml`: the site's configuration.

use crate::content::frontmatter::{normalise_text, toml_error};
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
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostic> {
        let path = root.join("site.toml");
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::error("E001", "site.toml", format!("cannot read site.toml: {e}")).hint(
                format!(
                    "run seisaku in a site folder, or pass --root; looked in {}",
                    root.display()
                ),
            )
        })?;
        let text = normalise_text(&bytes, Path::new("site.toml"))?;
        let cfg: SiteConfig =
            toml::from_str(&text).map_err(|e| toml_error(&e, 0, &text, Path::new("site.toml")))?;
        cfg.validate()
            .map_err(|m| Diagnostic::error("E005", "site.toml", m).at(1, 1))?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(b) = &self.base_url {
            if !(b.starts_with("https://") || b.starts_with("http://")) {
                return Err(format!(
                    "base_url `{b}` must start with https:// or http://"
                ));
            }
        }
        if self.output_dir.is_empty() || self.output_dir.contains("..") {
            return Err("output_dir must be a folder name inside the site root".into());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_key_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"x\"\n\ntheem = \"y\"\n",
        )
        .unwrap();
        let d = SiteConfig::load(dir.path()).unwrap_err();
        assert_eq!(d.line, 3, "{d}");
        assert!(d.message.contains("theem"), "{d}");
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
