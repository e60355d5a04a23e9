//! JSON Schemas for site.toml and every content kind, generated from the very types that
//! parse them, so the schemas cannot drift from the parser.

use crate::config::SiteConfig;
use crate::registry::Kind;
use schemars::schema_for;
use std::path::Path;

/// `(file name, schema)` for site.toml and each kind.
pub fn schemas() -> Vec<(String, serde_json::Value)> {
    // A schema is plain JSON data.
    let site = serde_json::to_value(schema_for!(SiteConfig)).expect("schema is JSON");
    let mut out = vec![("site.schema.json".to_string(), site)];
    for kind in Kind::ALL {
        out.push((format!("{}.schema.json", kind.name()), kind.schema()));
    }
    out
}

/// The schema of one kind's front matter or data file.
pub fn schema_of(kind: Kind) -> serde_json::Value {
    let name = format!("{}.schema.json", kind.name());
    schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// The schema of site.toml.
pub fn schema_of_site() -> serde_json::Value {
    schemas()
        .into_iter()
        .next()
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// Writes the schemas into `dir` and a Taplo configuration that applies them, returning the
/// files written.
pub fn write(dir: &Path) -> std::io::Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, schema) in schemas() {
        let path = dir.join(&name);
        // Pretty-printing a JSON value cannot fail.
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&schema).expect("json") + "\n",
        )?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

/// Taplo (Even Better TOML) rules that validate the data files as editors type.
pub fn taplo_config(schema_dir: &str) -> String {
    let mut s = String::from("# Written by `seisaku schema`: editors with Taplo / Even Better TOML validate as you type.\n");
    s.push_str(&format!("[[rule]]\ninclude = [\"site.toml\"]\n[rule.schema]\npath = \"{schema_dir}/site.schema.json\"\n\n"));
    for kind in [Kind::Kpi, Kind::Organisation] {
        s.push_str(&format!(
            "[[rule]]\ninclude = [\"content/{}/**/*.toml\"]\n[rule.schema]\npath = \"{schema_dir}/{}.schema.json\"\n\n",
            kind.source_folder(),
            kind.name()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_reject_unknown_fields_and_require_fields() {
        let p = schema_of(Kind::Policy);
        assert_eq!(p["additionalProperties"], serde_json::Value::Bool(false));
        let req: Vec<&str> = p["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        for f in ["title", "kind", "source"] {
            assert!(req.contains(&f), "{req:?}");
        }
    }
}
