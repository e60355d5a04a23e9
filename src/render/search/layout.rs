//! The layout script `search-index.js`, which the search page loads before any query: where
//! the index's parts are, and what ranking needs of every document besides its tokens.

use super::{normalise, SearchDoc};
use serde::Serialize;
use std::cmp::Ordering;

/// What the layout script holds.
#[derive(Serialize)]
struct Layout {
    /// Number of token shards.
    t: usize,
    /// First document number of each document chunk.
    starts: Vec<u32>,
    /// Number of documents.
    docs: usize,
    /// Ranking weight of each document, by number.
    boost: Vec<u8>,
    /// UTF-16 length of each document's normalised title: a term equal to the title starts
    /// at 0 and is this long.
    #[serde(rename = "titleLength")]
    title_length: Vec<u32>,
    /// Each document's place in the order of (title, URL), which breaks ties between equal
    /// scores.
    #[serde(rename = "titleRank")]
    title_rank: Vec<u32>,
}

/// Strings compared as JavaScript compares them: by UTF-16 code units.
fn cmp_utf16(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Each document's place when sorted by title, then URL.
fn title_ranks(docs: &[&SearchDoc]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|a, b| {
        let (a, b) = (docs[*a], docs[*b]);
        cmp_utf16(&a.title, &b.title).then_with(|| cmp_utf16(&a.url, &b.url))
    });
    let mut rank = vec![0u32; docs.len()];
    for (place, i) in order.into_iter().enumerate() {
        rank[i] = place as u32;
    }
    rank
}

/// The layout script for `token_shards` token shards, chunks starting at `starts`, and the
/// documents `docs` in number order.
pub fn meta_js(token_shards: usize, starts: &[u32], docs: &[&SearchDoc]) -> String {
    let layout = Layout {
        t: token_shards,
        starts: starts.to_vec(),
        docs: docs.len(),
        boost: docs.iter().map(|d| d.boost).collect(),
        title_length: docs
            .iter()
            .map(|d| normalise(&d.title).encode_utf16().count() as u32)
            .collect(),
        title_rank: title_ranks(docs),
    };
    let json = serde_json::to_string(&layout).expect("layout serialises");
    super::script("window.SEISAKU_SEARCH_META=(", &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, url: &str) -> SearchDoc<'static> {
        SearchDoc {
            title: title.into(),
            url: url.into(),
            kind: "施策".into(),
            text: "".into(),
            boost: 2,
        }
    }

    #[test]
    fn ranks_follow_titles_then_urls_in_utf16_order() {
        // U+FF21 sorts after U+1F600 in UTF-16 (a surrogate pair starts with U+D83D), though
        // not in code points.
        let docs = [doc("Ａ", "a"), doc("😀", "b"), doc("b", "d"), doc("b", "c")];
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        assert_eq!(title_ranks(&refs), vec![3, 2, 1, 0]);
    }

    #[test]
    fn layout_holds_what_ranking_needs() {
        let docs = [doc("ＩＭＤＲＦ会議", "a"), doc("承認", "b")];
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        let js = meta_js(3, &[0], &refs);
        assert_eq!(
            js,
            "window.SEISAKU_SEARCH_META=({\"t\":3,\"starts\":[0],\"docs\":2,\"boost\":[2,2],\
             \"titleLength\":[7,2],\"titleRank\":[1,0]});\n"
        );
    }
}
