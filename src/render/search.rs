//! The search index, written as a script (`search-index.js`) so that search works from
//! `file://`, where a `fetch()` of a JSON file is blocked.
//!
//! Japanese has no spaces, so text is indexed as character bigrams, plus whole ASCII words.
//! The tokenizer is mirrored exactly in `static/search.js`; `tests/search_vectors.json` holds
//! the cases both must agree on.

use crate::format::nfkc;
use serde::Serialize;
use std::collections::BTreeMap;

/// One searchable page.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct SearchDoc {
    pub title: String,
    /// Path relative to the output root.
    pub url: String,
    /// Kind label shown with the result (施策, 用語, ...).
    pub kind: String,
    /// Plain text of the page body.
    pub text: String,
    /// Extra ranking weight: glossary terms and plans rank above other pages.
    pub boost: u8,
}

/// Longest stored text per page, in characters (enough for snippets and verification).
pub const MAX_TEXT: usize = 1200;

/// NFKC, lower-case: the form both index and query are compared in.
pub fn normalise(s: &str) -> String {
    nfkc(s).to_lowercase()
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Tokens of a text: whole ASCII words (2+ chars) and bigrams of every run of other
/// non-space, non-punctuation characters; a lone character is its own token.
pub fn tokens(s: &str) -> Vec<String> {
    let n = normalise(s);
    token_spans(&n)
        .into_iter()
        .map(|(a, b)| n[a..b].to_string())
        .collect()
}

/// The tokens of an already normalised text, as byte ranges into it (no allocation per token).
pub fn token_spans(n: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(n.len() / 2);
    let mut word_start: Option<usize> = None;
    // Start offsets of the characters of the current run.
    let mut run: Vec<usize> = Vec::new();
    let flush_run = |run: &mut Vec<usize>, end: usize, out: &mut Vec<(usize, usize)>| {
        if run.len() == 1 {
            out.push((run[0], end));
        }
        for i in 0..run.len().saturating_sub(1) {
            let stop = if i + 2 < run.len() { run[i + 2] } else { end };
            out.push((run[i], stop));
        }
        run.clear();
    };
    let mut run_end = 0;
    for (i, c) in n.char_indices() {
        if is_word_char(c) {
            flush_run(&mut run, run_end, &mut out);
            word_start.get_or_insert(i);
        } else {
            if let Some(w) = word_start.take() {
                if n[w..i].chars().count() >= 2 {
                    out.push((w, i));
                }
            }
            if c.is_alphanumeric() || is_cjk_symbol(c) {
                run.push(i);
                run_end = i + c.len_utf8();
            } else {
                flush_run(&mut run, run_end, &mut out);
            }
        }
    }
    if let Some(w) = word_start {
        if n[w..].chars().count() >= 2 {
            out.push((w, n.len()));
        }
    }
    flush_run(&mut run, run_end, &mut out);
    out
}

/// Kana prolonged sound mark and iteration marks count as letters.
fn is_cjk_symbol(c: char) -> bool {
    matches!(c, 'ー' | '々' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
}

/// Documents per index shard, on average. The index is split into shards so that a watch-mode
/// rebuild re-serialises only the shards whose pages changed; the search page loads them all.
pub const SHARD_DOCS: usize = 256;

/// How many shards an index of `docs` documents has (at least one).
pub fn shard_count(docs: usize) -> usize {
    docs.div_ceil(SHARD_DOCS).max(1)
}

/// The shard a page's document goes in: a stable hash of its URL, so that adding or editing a
/// page moves no other page between shards.
pub fn shard_of(url: &str, shards: usize) -> usize {
    // Fixed and platform-independent, and enough to spread URLs evenly.
    (crate::format::hash::fnv1a(url.as_bytes()) % shards as u64) as usize
}

/// Output path of shard `i`.
pub fn shard_path(i: usize) -> String {
    format!("search-index-{i}.js")
}

/// The documents of each of `k` shards, in document order.
pub fn shard_docs(docs: &[SearchDoc], k: usize) -> Vec<Vec<&SearchDoc>> {
    let mut shards: Vec<Vec<&SearchDoc>> = vec![Vec::new(); k];
    for d in docs {
        shards[shard_of(&d.url, k)].push(d);
    }
    shards
}

#[derive(Serialize)]
struct Shard<'a> {
    docs: Vec<(&'a str, &'a str, &'a str, &'a str, u8)>,
    index: BTreeMap<&'a str, Vec<u32>>,
}

/// The script of one shard: it appends `{docs, index}` to `window.SEISAKU_SEARCH`, where a
/// document is `[title, url, kind, text, boost]` and the index maps a token to the positions
/// of the shard's documents that contain it.
pub fn index_js(docs: &[&SearchDoc]) -> String {
    let texts: Vec<&str> = docs
        .iter()
        .map(|d| match d.text.char_indices().nth(MAX_TEXT) {
            Some((i, _)) => &d.text[..i],
            None => d.text.as_str(),
        })
        .collect();
    let normalised: Vec<String> = docs
        .iter()
        .zip(&texts)
        .map(|(d, t)| normalise(&format!("{} {t}", d.title)))
        .collect();
    let mut index: rustc_hash::FxHashMap<&str, Vec<u32>> = rustc_hash::FxHashMap::default();
    for (i, n) in normalised.iter().enumerate() {
        let mut toks: Vec<&str> = token_spans(n).into_iter().map(|(a, b)| &n[a..b]).collect();
        toks.sort_unstable();
        toks.dedup();
        for t in toks {
            index.entry(t).or_default().push(i as u32);
        }
    }
    let shard = Shard {
        docs: docs
            .iter()
            .zip(&texts)
            .map(|(d, t)| {
                (
                    d.title.as_str(),
                    d.url.as_str(),
                    d.kind.as_str(),
                    *t,
                    d.boost,
                )
            })
            .collect(),
        index: index.into_iter().collect(),
    };
    // Serialising strings and integers cannot fail.
    let json = serde_json::to_string(&shard).expect("index serialises");
    let mut out = String::with_capacity(json.len() + 96);
    out.push_str("(window.SEISAKU_SEARCH=window.SEISAKU_SEARCH||[]).push(");
    // `</script>` and friends must not end the script early; U+2028/9 are not valid in old JS.
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push_str(");\n");
    out
}

/// The searchable document of every page of an entity.
pub fn documents(cx: &super::context::Cx<'_>) -> Vec<SearchDoc> {
    cx.site
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let body = cx.site.bodies[i].text.as_str();
            let extra = e.search_extra(cx);
            SearchDoc {
                title: e.display_title(),
                url: crate::site::page_path(e.kind(), e.slug()),
                kind: cx.t(&e.kind().label_key()).to_string(),
                text: if extra.trim().is_empty() {
                    body.to_string()
                } else {
                    format!("{extra} {body}")
                },
                boost: e.search_boost(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vector {
        input: String,
        tokens: Vec<String>,
    }

    #[test]
    fn tokenizer_matches_the_shared_vectors() {
        let text = include_str!("../../tests/search_vectors.json");
        let vectors: Vec<Vector> = serde_json::from_str(text).unwrap();
        assert!(vectors.len() >= 5);
        for v in vectors {
            assert_eq!(tokens(&v.input), v.tokens, "input {:?}", v.input);
        }
    }

    #[test]
    fn full_width_finds_ascii() {
        assert_eq!(tokens("ＩＭＤＲＦ"), tokens("IMDRF"));
    }

    #[test]
    fn index_is_script_safe_and_finds_bigrams() {
        let doc = SearchDoc {
            title: "</script><script>alert(1)</script>".into(),
            url: "a/index.html".into(),
            kind: "施策".into(),
            text: "デバイスラグの解消".into(),
            boost: 1,
        };
        let js = index_js(&[&doc]);
        assert!(
            !js.contains("</script>") && !js.contains("<script>"),
            "{js}"
        );
        assert!(js.contains("\"ラグ\":[0]"), "{js}");
    }

    #[test]
    fn shards_are_stable_and_cover_every_document() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(SHARD_DOCS), 1);
        assert_eq!(shard_count(SHARD_DOCS + 1), 2);
        let docs: Vec<SearchDoc> = (0..1000)
            .map(|i| SearchDoc {
                title: format!("施策{i}"),
                url: format!("policies/p{i}/index.html"),
                kind: "施策".into(),
                text: String::new(),
                boost: 1,
            })
            .collect();
        let shards = shard_docs(&docs, shard_count(docs.len()));
        assert_eq!(shards.len(), 4);
        assert_eq!(shards.iter().map(Vec::len).sum::<usize>(), 1000);
        // Every shard gets a fair share.
        assert!(
            shards.iter().all(|s| s.len() > 150),
            "{:?}",
            shards.iter().map(Vec::len).collect::<Vec<_>>()
        );
        // Removing a page moves no other page to another shard.
        let fewer = shard_docs(&docs[1..], 4);
        for (i, shard) in fewer.iter().enumerate() {
            let before: Vec<&str> = shards[i]
                .iter()
                .map(|d| d.url.as_str())
                .filter(|u| *u != docs[0].url)
                .collect();
            let after: Vec<&str> = shard.iter().map(|d| d.url.as_str()).collect();
            assert_eq!(before, after, "shard {i}");
        }
    }
}
