//! UI strings: the words pages are made of besides the content, kept in the theme
//! (`strings/<language>.toml`), one file per language, so that no reader-facing word is
//! written in Rust.

use crate::diag::Diagnostic;
use serde::Serialize;
use std::collections::BTreeMap;

/// The strings of one language: `table.key` → text, and the nested form templates read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Strings {
    #[serde(skip)]
    flat: BTreeMap<String, String>,
    /// `t.kind.policy` in templates.
    #[serde(flatten)]
    nested: BTreeMap<String, BTreeMap<String, String>>,
}

impl Strings {
    /// Reads a strings file; `base` (the built-in file) fills every key it lacks.
    pub fn parse(text: &str, origin: &str, base: Option<&Strings>) -> Result<Strings, Diagnostic> {
        let table: BTreeMap<String, BTreeMap<String, String>> =
            toml::from_str(text).map_err(|e| {
                let (line, col) = e
                    .span()
                    .map_or((1, 1), |s| crate::diag::line_col(text, s.start));
                Diagnostic::error(
                    "E041",
                    origin,
                    format!("strings file: {}", e.message().trim()),
                )
                .at(line, col)
                .hint("each table holds keys with text values: [kind] policy = \"施策\"")
            })?;
        let mut s = base.cloned().unwrap_or_default();
        for (t, keys) in table {
            for (k, v) in keys {
                s.flat.insert(format!("{t}.{k}"), v.clone());
                s.nested.entry(t.clone()).or_default().insert(k, v);
            }
        }
        Ok(s)
    }

    /// The text of `key` (`kind.policy`); the key itself when the theme lacks it, so a
    /// missing string shows where it is missing.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.flat.get(key).map_or(key, String::as_str)
    }

    /// The text of `key`, or an empty text when the theme lacks it (for keys built at run time).
    pub fn get_owned_key(&self, key: &str) -> &str {
        self.flat.get(key).map_or("", String::as_str)
    }

    /// The text of `table.key`, found without making the dotted key.
    pub fn lookup(&self, table: &str, key: &str) -> Option<&str> {
        self.nested.get(table)?.get(key).map(String::as_str)
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.get(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_fill_from_the_base_and_placeholders_are_filled() {
        let base = Strings::parse(
            "[kpi]\nup = \"増加\"\nratio = \"{ratio}倍\"\n",
            "base",
            None,
        )
        .unwrap();
        let theme = Strings::parse("[kpi]\nup = \"上昇\"\n", "theme", Some(&base)).unwrap();
        assert_eq!(theme.get("kpi.up"), "上昇");
        assert_eq!(theme.lookup("kpi", "up"), Some("上昇"));
        assert_eq!(theme.lookup("kpi", "ratio"), Some("{ratio}倍"));
        assert_eq!(theme.lookup("kpi", "down"), None);
        assert_eq!(theme.lookup("kind", "up"), None);
        assert_eq!(theme.fmt("kpi.ratio", &[("ratio", "1.4")]), "1.4倍");
        assert_eq!(theme.get("kpi.missing"), "kpi.missing");
        let v = serde_json::to_value(&theme).unwrap();
        assert_eq!(v["kpi"]["up"], "上昇");
    }

    #[test]
    fn a_bad_file_names_its_line() {
        let d = Strings::parse("[kind]\npolicy = 3\n", "strings/ja.toml", None).unwrap_err();
        assert_eq!((d.code, d.line), ("E041", 2));
    }
}
