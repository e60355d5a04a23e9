//! Where each field of a front matter is written, taken from the TOML parser: a field path
//! (`unit`, `points.2.year`, `relations.0.to`) maps to the byte range of its value, so every
//! error about a value points at the value's own line.

use rustc_hash::FxHashMap;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// Field paths of one file and the byte ranges of their values in the whole file.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    values: FxHashMap<String, Range<usize>>,
    keys: FxHashMap<String, Range<usize>>,
}

impl Spans {
    /// The spans of every key and value of `table`, shifted by `offset` (where the TOML text
    /// starts in the file).
    pub fn of(table: &DeTable<'_>, offset: usize) -> Spans {
        let mut s = Spans::default();
        s.walk_table(table, "", offset);
        s
    }

    fn walk_table(&mut self, table: &DeTable<'_>, prefix: &str, offset: usize) {
        for (k, v) in table.iter() {
            let path = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            let ks = k.span();
            self.keys
                .insert(path.clone(), ks.start + offset..ks.end + offset);
            self.walk_value(v.get_ref(), v.span(), &path, offset);
        }
    }

    fn walk_value(&mut self, v: &DeValue<'_>, span: Range<usize>, path: &str, offset: usize) {
        self.values
            .insert(path.to_string(), span.start + offset..span.end + offset);
        match v {
            DeValue::Table(t) => self.walk_table(t, path, offset),
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    self.walk_value(item.get_ref(), item.span(), &format!("{path}.{i}"), offset);
                }
            }
            _ => {}
        }
    }

    /// The byte range of the value at `path`, or of its nearest written parent (`source.0`
    /// falls back to `source` when one reference is written without a list).
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(r) = self.values.get(p) {
                return Some(r.clone());
            }
            p = &p[..p.rfind('.')?];
        }
    }

    /// The byte range of the key at `path` (for an unknown field: the key itself).
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).cloned()
    }

    /// Every key path, for checking keys against the kind's fields.
    pub fn key_paths(&self) -> impl Iterator<Item = (&String, &Range<usize>)> {
        self.keys.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_their_values() {
        let text = "title = \"Community units\"\nkind = \"kpi\"\nunit = \"furlongs\"\n\n[[points]]\nyear = 2024\nvalue = 1\n\n[[points]]\nyear = 2025\n";
        let t = DeTable::parse(text).unwrap();
        let s = Spans::of(t.get_ref(), 0);
        let at = |p: &str| &text[s.value(p).unwrap()];
        assert_eq!(at("unit"), "\"furlongs\"");
        assert_eq!(at("points.1.year"), "2025");
        assert_eq!(at("points.0.value"), "1");
        assert_eq!(&text[s.key("unit").unwrap()], "unit");
        // A missing child falls back to its parent.
        assert_eq!(at("points.1.value.x"), at("points.1"));
        assert!(s.value("nothing").is_none());
    }
}
