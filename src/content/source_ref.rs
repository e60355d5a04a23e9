//! Source references: `"<seed file>#L<first>-L<last>"`, pointing at lines of a seed document.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A line range in one seed file (1-based, inclusive).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SourceRef {
    pub file: String,
    pub first: usize,
    pub last: usize,
}

impl SourceRef {
    /// Parses `file#L12` or `file#L12-L20`.
    pub fn parse(s: &str) -> Result<SourceRef, String> {
        let (file, frag) = s
            .split_once("#L")
            .ok_or_else(|| format!("source reference `{s}` has no `#L<line>` part"))?;
        if file.is_empty() || file.contains('/') || file.contains('\\') {
            return Err(format!("source reference `{s}` must name a file in seeds/"));
        }
        let (a, b) = match frag.split_once("-L") {
            Some((a, b)) => (a, b),
            None => (frag, frag),
        };
        let first: usize = a
            .parse()
            .map_err(|_| format!("`{a}` in `{s}` is not a line number"))?;
        let last: usize = b
            .parse()
            .map_err(|_| format!("`{b}` in `{s}` is not a line number"))?;
        if first == 0 || last < first {
            return Err(format!("line range in `{s}` must be 1-based and ascending"));
        }
        Ok(SourceRef {
            file: file.to_string(),
            first,
            last,
        })
    }

    /// The anchor on the document's source page (`L120`).
    pub fn anchor(&self) -> String {
        format!("L{}", self.first)
    }

    /// Human label: `L120` or `L120–L131`.
    pub fn label(&self) -> String {
        if self.first == self.last {
            format!("L{}", self.first)
        } else {
            format!("L{}–L{}", self.first, self.last)
        }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}#L{}", self.file, self.first)
        } else {
            write!(f, "{}#L{}-L{}", self.file, self.first, self.last)
        }
    }
}

impl<'de> Deserialize<'de> for SourceRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SourceRef::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for SourceRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SourceRef".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[^/\\\\#]+#L[1-9][0-9]*(-L[1-9][0-9]*)?$",
            "description": "A seed file and line range: `<file>#L<first>-L<last>` or `<file>#L<line>`"
        })
    }
}

/// Schema of a `source` field: one reference or a list.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum OneOrMany {
    One(SourceRef),
    Many(Vec<SourceRef>),
}

/// `source` accepts one reference or a list.
pub fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SourceRef>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let raw = match OneOrMany::deserialize(d)? {
        OneOrMany::One(r) => vec![r],
        OneOrMany::Many(v) => v,
    };
    raw.iter()
        .map(|s| SourceRef::parse(s).map_err(serde::de::Error::custom))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_single_and_range() {
        let r = SourceRef::parse("003_x.txt#L120-L131").unwrap();
        assert_eq!((r.file.as_str(), r.first, r.last), ("003_x.txt", 120, 131));
        assert_eq!(r.to_string(), "003_x.txt#L120-L131");
        let r = SourceRef::parse("a.txt#L5").unwrap();
        assert_eq!((r.first, r.last), (5, 5));
        assert_eq!(r.label(), "L5");
    }

    #[test]
    fn rejects_bad_references() {
        for bad in [
            "a.txt",
            "a.txt#L0",
            "a.txt#L5-L3",
            "a.txt#Lx",
            "../a.txt#L1",
            "#L3",
        ] {
            assert!(SourceRef::parse(bad).is_err(), "{bad}");
        }
    }
}
