//! The resolved site: the corpus with every reference, backlink, glossary occurrence and
//! source citation known, and every body rendered. It is made once by the resolve stage and
//! only read afterwards: `check`, `stats` and the render stage share it.

pub mod graph;

use crate::content::source_ref::SourceRef;
use crate::content::Entry;
use crate::format::date::JpDate;
use crate::markdown::Body;
use crate::registry::{AnyEntry, Corpus, Kind, Stored};
use graph::{Graph, NodeId};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Output path of an entity's page, relative to the output root.
pub fn page_path(kind: Kind, slug: &str) -> String {
    format!("{}/{}/index.html", kind.folder(), slug)
}

/// The output path of the redirect page an old address (`aliases = ["old/path/"]`) leaves:
/// `old/path/index.html`, or the file itself for an address ending in `.html`. A leading `/`
/// is dropped and `%`-escapes are decoded (the output holds the decoded names). The error
/// says what makes the address unusable.
pub fn alias_path(alias: &str) -> Result<String, String> {
    let a = alias.trim();
    if a.contains("://") || a.starts_with("//") {
        return Err(format!(
            "`{alias}` is a full URL; an old address is a path inside this site, such as \"policies/old-id/\""
        ));
    }
    let decoded = percent_encoding::percent_decode_str(a)
        .decode_utf8()
        .map_err(|_| format!("`{alias}` has %-escapes that are not UTF-8 text"))?;
    let path = decoded.trim_start_matches('/');
    if path.is_empty() {
        return Err("an old address is empty (or the site's top page, which always exists)".into());
    }
    if let Some(c) = path.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>')
    }) {
        return Err(format!(
            "`{alias}` contains `{}`, which an address of a page cannot",
            c.escape_default()
        ));
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(format!(
            "`{alias}` has an empty, `.` or `..` part; write the path from the site's top, such as \"policies/old-id/\""
        ));
    }
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if !path.ends_with('/') && (last.ends_with(".html") || last.ends_with(".htm")) {
        Ok(trimmed.to_string())
    } else {
        Ok(format!("{trimmed}/index.html"))
    }
}

/// The resolved site.
pub struct Site<'c> {
    pub corpus: &'c Corpus,
    /// Every entry, by node.
    pub entries: Vec<&'c dyn AnyEntry>,
    pub graph: Graph,
    /// Every entry's rendered body, by node (empty for TOML data files).
    pub bodies: Vec<Arc<Body>>,
    /// Seed file → every line range cited by some entity.
    pub citations: BTreeMap<&'c str, BTreeSet<(usize, usize)>>,
    /// The glossary linker's fingerprint (what a body's glossary links depend on).
    pub glossary_fingerprint: u64,
    /// By node: the relations that point at it, as (the entity that states it, its index in
    /// that entity's `relations`).
    pub relations_in: Vec<Vec<(NodeId, usize)>>,
    /// By node: when the page was last revised (its `updated` field, else the date of the
    /// last commit of its source file), or `None` when neither is known.
    pub updated: Vec<Option<JpDate>>,
    /// By node: its place when every entity is sorted by title, then id.
    pub title_rank: Vec<u32>,
}

impl<'c> Site<'c> {
    pub fn node(&self, kind: Kind, id: &str) -> Option<NodeId> {
        self.graph.node(kind, id)
    }

    pub fn entry(&self, n: NodeId) -> &'c dyn AnyEntry {
        self.entries[n.index()]
    }

    /// Sorts nodes by their entities' titles, then ids.
    pub fn sort_by_title(&self, nodes: &mut [NodeId]) {
        nodes.sort_by_key(|n| self.title_rank[n.index()]);
    }

    /// The redirect pages of the old addresses of `n`: (index in its alias field, output path).
    pub fn alias_paths(&self, n: NodeId) -> Vec<(usize, String)> {
        let (_, aliases) = self.entry(n).url_aliases();
        aliases
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some((i, alias_path(a).ok()?)))
            .collect()
    }

    /// When the page of `n` was last revised.
    pub fn updated(&self, n: NodeId) -> Option<JpDate> {
        self.updated[n.index()]
    }

    /// The newest of the dates of `nodes`.
    pub fn newest(&self, nodes: impl IntoIterator<Item = NodeId>) -> Option<JpDate> {
        nodes.into_iter().filter_map(|n| self.updated(n)).max()
    }

    pub fn body(&self, n: NodeId) -> &Body {
        &self.bodies[n.index()]
    }

    /// The body of `kind`/`id` (empty when there is no such entity).
    pub fn body_of(&self, kind: Kind, id: &str) -> Option<&Body> {
        self.node(kind, id).map(|n| self.body(n))
    }

    /// The typed entry of kind `T` with id `id`.
    pub fn get<T: Stored>(&self, id: &str) -> Option<&'c Entry<T>> {
        let n = self.node(T::KIND, id)?;
        let first = self.node_range(T::KIND).start;
        T::entries(self.corpus).get(n.index() - first).map(|e| &**e)
    }

    /// The nodes of one kind: a contiguous range, in id order.
    pub fn node_range(&self, kind: Kind) -> std::ops::Range<usize> {
        let start: usize = Kind::ALL
            .iter()
            .take_while(|k| **k != kind)
            .map(|k| self.corpus.count(*k))
            .sum();
        start..start + self.corpus.count(kind)
    }

    /// Nodes that refer to `n`, grouped by kind, each group in node order.
    pub fn backlinks(&self, n: NodeId) -> BTreeMap<Kind, Vec<NodeId>> {
        let mut out: BTreeMap<Kind, Vec<NodeId>> = BTreeMap::new();
        for m in self.graph.incoming(n) {
            out.entry(self.entry(*m).kind()).or_default().push(*m);
        }
        out
    }

    /// The relations an entity states, with the node each points at (dangling ones left out).
    pub fn relations_out(
        &self,
        n: NodeId,
    ) -> Vec<(NodeId, &'c crate::content::relation::Relation)> {
        self.entry(n)
            .relations()
            .iter()
            .filter_map(|r| {
                let (kind, id) = r.target().ok()?;
                Some((self.node(kind, id)?, r))
            })
            .collect()
    }

    /// The document whose seed is `file`.
    pub fn document_of(&self, file: &str) -> Option<&'c Entry<crate::content::Document>> {
        self.corpus
            .documents
            .iter()
            .find(|d| d.data.file == file)
            .map(|d| &**d)
    }

    /// Every source reference of every entity (sources, budget lines, figures, ...).
    pub fn all_citations(&self) -> impl Iterator<Item = (NodeId, SourceRef)> + '_ {
        self.entries.iter().enumerate().flat_map(|(i, e)| {
            e.citations()
                .into_iter()
                .map(move |c| (NodeId(i as u32), c.source.clone()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::alias_path;

    #[test]
    fn old_addresses_become_redirect_pages() {
        assert_eq!(alias_path("old/path/").unwrap(), "old/path/index.html");
        assert_eq!(alias_path("/old/path").unwrap(), "old/path/index.html");
        assert_eq!(alias_path("old/page.html").unwrap(), "old/page.html");
        assert_eq!(
            alias_path("glossary/%E7%94%A8%E8%AA%9E/").unwrap(),
            "glossary/用語/index.html"
        );
        for bad in [
            "",
            "/",
            "https://x.jp/a/",
            "a/../b/",
            "a//b",
            "a b/",
            "a?x=1",
            "a#b",
        ] {
            assert!(alias_path(bad).is_err(), "{bad}");
        }
    }
}
