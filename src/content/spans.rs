//! Where each field of a front matter is written, taken from the TOML parser: a field path
//! (`unit`, `points.2.year`, `relations.0.to`) maps to the byte range of its value, so every
//! error about a value points at the value's own line.

use rustc_hash::FxHashMap;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// Where one field is written: its key (none for an item of a list) and its value.
#[derive(Debug, Clone)]
struct Field {
    key: Option<Range<usize>>,
    value: Range<usize>,
}

/// Field paths of one file and the byte ranges of their keys and values in the whole file.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    fields: FxHashMap<Box<str>, Field>,
}

/// A file's [`Spans`], made from its TOML text when first asked for: only a diagnostic needs
/// them, and most files have none, so the parse that loaded the file does not make them.
#[derive(Debug, Clone, Default)]
pub struct LazySpans {
    /// Where the TOML text is in the file (its start is the offset of its spans).
    toml: Range<usize>,
    spans: std::sync::OnceLock<Spans>,
}

impl LazySpans {
    /// The spans of the TOML text at `toml` of a file.
    pub fn new(toml: Range<usize>) -> LazySpans {
        LazySpans {
            toml,
            spans: std::sync::OnceLock::new(),
        }
    }

    /// The spans, made from `text`, the whole file they were made for.
    pub fn get(&self, text: &str) -> &Spans {
        self.spans.get_or_init(|| {
            text.get(self.toml.clone())
                .map_or_else(Spans::default, |t| Spans::parse(t, self.toml.start))
        })
    }
}

impl Spans {
    /// The spans of TOML text `toml` that starts at `offset` in its file (none for text that
    /// does not parse).
    pub fn parse(toml: &str, offset: usize) -> Spans {
        DeTable::parse(toml).map_or_else(|_| Spans::default(), |t| Spans::of(t.get_ref(), offset))
    }

    /// The spans of every key and value of `table`, shifted by `offset` (where the TOML text
    /// starts in the file).
    pub fn of(table: &DeTable<'_>, offset: usize) -> Spans {
        let mut s = Spans::default();
        let mut path = String::new();
        s.walk_table(table, &mut path, offset);
        s
    }

    /// Walks the fields of `table`, whose path is `path` (restored on return).
    fn walk_table(&mut self, table: &DeTable<'_>, path: &mut String, offset: usize) {
        let at = path.len();
        for (k, v) in table.iter() {
            if at > 0 {
                path.push('.');
            }
            path.push_str(k.get_ref());
            let ks = k.span();
            self.walk_value(
                v.get_ref(),
                Some(ks.start + offset..ks.end + offset),
                v.span(),
                path,
                offset,
            );
            path.truncate(at);
        }
    }

    fn walk_value(
        &mut self,
        v: &DeValue<'_>,
        key: Option<Range<usize>>,
        span: Range<usize>,
        path: &mut String,
        offset: usize,
    ) {
        let value = span.start + offset..span.end + offset;
        self.fields
            .insert(path.as_str().into(), Field { key, value });
        match v {
            DeValue::Table(t) => self.walk_table(t, path, offset),
            DeValue::Array(a) => {
                let at = path.len();
                for (i, item) in a.iter().enumerate() {
                    use std::fmt::Write;
                    // Writing to a String cannot fail.
                    let _ = write!(path, ".{i}");
                    self.walk_value(item.get_ref(), None, item.span(), path, offset);
                    path.truncate(at);
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
            if let Some(f) = self.fields.get(p) {
                return Some(f.value.clone());
            }
            p = &p[..p.rfind('.')?];
        }
    }

    /// The byte range of the key at `path` (for an unknown field: the key itself).
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.fields.get(path).and_then(|f| f.key.clone())
    }

    /// Every key path, for checking keys against the kind's fields.
    pub fn key_paths(&self) -> impl Iterator<Item = (&str, &Range<usize>)> {
        self.fields
            .iter()
            .filter_map(|(p, f)| Some((&**p, f.key.as_ref()?)))
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

    #[test]
    fn spans_made_later_are_those_of_the_text_where_it_stands_in_its_file() {
        let toml = "title = \"A\"\n[[points]]\nyear = 2024\n";
        let file = format!("+++\n{toml}+++\nbody\n");
        let lazy = LazySpans::new(4..4 + toml.len());
        let now = Spans::of(DeTable::parse(toml).unwrap().get_ref(), 4);
        for p in ["title", "points", "points.0", "points.0.year"] {
            assert_eq!(lazy.get(&file).value(p), now.value(p), "{p}");
            assert_eq!(lazy.get(&file).key(p), now.key(p), "{p}");
        }
        assert_eq!(
            &file[lazy.get(&file).value("points.0.year").unwrap()],
            "2024"
        );
    }
}
