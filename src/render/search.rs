//! The search index, written as scripts so that search works from `file://`, where a
//! `fetch()` of a JSON file is blocked. Its cost per query does not grow with the site: the
//! search page loads only `search-index.js` (the index's layout), then, for a query, inserts
//! `<script>` elements for just the parts it needs:
//!
//! - token shards `search-index/t-N.js`: the posting lists (document numbers, delta-encoded)
//!   of the tokens whose hash ([`token_shard`]) is N, about [`TOKEN_SHARD_DOCS`] documents'
//!   worth of tokens each;
//! - document chunks `search-index/d-N.js`: title, URL, kind, text and boost of about
//!   [`SHARD_DOCS`] documents (a page goes in the chunk of a stable hash of its URL, so a
//!   watch-mode edit re-serialises one chunk), for ranking, checking and snippets of the
//!   candidates only.
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
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    fast_normalise(s).unwrap_or_else(|| nfkc(s).to_lowercase())
}

/// [`normalise`] of text made only of characters whose NFKC is themselves or one plain
/// character (ASCII, kana, ideographs, common CJK punctuation, full-width ASCII, the
/// ideographic space), none of which composes with a neighbour; `None` for other text.
fn fast_normalise(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = match c as u32 {
            0..=0x7F => c.to_ascii_lowercase(),
            0x3000 => ' ',
            0x3001..=0x3003 | 0x3005..=0x3007 | 0x3008..=0x3011 | 0x3014..=0x301F => c,
            0x3041..=0x3096 | 0x309D..=0x309E | 0x30A1..=0x30FE | 0x4E00..=0x9FFF => c,
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0)?.to_ascii_lowercase(),
            _ => return None,
        };
        out.push(n);
    }
    Some(out)
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
            if is_alphanumeric(c) || is_cjk_symbol(c) {
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

/// `char::is_alphanumeric`, read from a table of the Basic Multilingual Plane made on first
/// use (the standard one searches Unicode's ranges for every character above ASCII).
fn is_alphanumeric(c: char) -> bool {
    static BMP: std::sync::OnceLock<Box<[u64]>> = std::sync::OnceLock::new();
    let u = c as u32;
    if u >= 0x1_0000 {
        return c.is_alphanumeric();
    }
    let table = BMP.get_or_init(|| {
        let mut t = vec![0u64; 0x1_0000 / 64];
        for u in 0..0x1_0000u32 {
            if char::from_u32(u).is_some_and(char::is_alphanumeric) {
                t[(u / 64) as usize] |= 1 << (u % 64);
            }
        }
        t.into_boxed_slice()
    });
    table[(u / 64) as usize] >> (u % 64) & 1 == 1
}

/// Kana prolonged sound mark and iteration marks count as letters.
fn is_cjk_symbol(c: char) -> bool {
    matches!(c, 'ー' | '々' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
}

/// Documents per document chunk, on average.
pub const SHARD_DOCS: usize = 256;
/// Documents per token shard: the number of token shards grows with the site, so that the
/// shards a query loads stay about the same size.
pub const TOKEN_SHARD_DOCS: usize = 64;

/// How many document chunks an index of `docs` documents has (at least one).
pub fn shard_count(docs: usize) -> usize {
    docs.div_ceil(SHARD_DOCS).max(1)
}

/// How many token shards an index of `docs` documents has (at least one).
pub fn token_shard_count(docs: usize) -> usize {
    docs.div_ceil(TOKEN_SHARD_DOCS).max(1)
}

/// The chunk a page's document goes in: a stable hash of its URL, so that adding or editing a
/// page moves no other page between chunks.
pub fn shard_of(url: &str, shards: usize) -> usize {
    // Fixed and platform-independent, and enough to spread URLs evenly.
    (crate::format::hash::fnv1a(url.as_bytes()) % shards as u64) as usize
}

/// The token shard of a token: 32-bit FNV-1a over its code points, as `search.js` computes it.
pub fn token_shard(token: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for c in token.chars() {
        h = (h ^ c as u32).wrapping_mul(0x0100_0193);
    }
    (h % shards as u32) as usize
}

/// The script the search page loads first: the index's layout.
pub const META_PATH: &str = "search-index.js";

/// Output path of document chunk `i`.
pub fn shard_path(i: usize) -> String {
    format!("search-index/d-{i}.js")
}

/// Output path of token shard `i`.
pub fn token_shard_path(i: usize) -> String {
    format!("search-index/t-{i}.js")
}

/// The documents of each of `k` chunks, in document order.
pub fn shard_docs(docs: &[SearchDoc], k: usize) -> Vec<Vec<&SearchDoc>> {
    let mut shards: Vec<Vec<&SearchDoc>> = vec![Vec::new(); k];
    for d in docs {
        shards[shard_of(&d.url, k)].push(d);
    }
    shards
}

/// The stored text of a document: its first [`MAX_TEXT`] characters.
fn stored_text(d: &SearchDoc) -> &str {
    match d.text.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => &d.text[..i],
        None => d.text.as_str(),
    }
}

/// The distinct tokens of a document (title and stored text) with their token shards,
/// sorted by shard then token: what the index holds of it. Compact: the tokens are one
/// string, each ending at its `ends` offset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DocTokens {
    text: String,
    /// (token shard, end offset in `text`) of each token, in order.
    ends: Vec<(u32, u32)>,
}

impl DocTokens {
    /// (shard, token) pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        let mut start = 0;
        self.ends.iter().map(move |(shard, end)| {
            let t = &self.text[start..*end as usize];
            start = *end as usize;
            (*shard, t)
        })
    }

    /// The pairs of one shard.
    fn of_shard(&self, shard: u32) -> impl Iterator<Item = &str> {
        let from = self.ends.partition_point(|(s, _)| *s < shard);
        let mut start = if from == 0 {
            0
        } else {
            self.ends[from - 1].1 as usize
        };
        self.ends[from..]
            .iter()
            .take_while(move |(s, _)| *s == shard)
            .map(move |(_, end)| {
                let t = &self.text[start..*end as usize];
                start = *end as usize;
                t
            })
    }
}

/// The tokens of a document, for an index of `token_shards` token shards.
pub fn doc_tokens(d: &SearchDoc, token_shards: usize) -> DocTokens {
    let mut src = String::with_capacity(d.title.len() + 1 + d.text.len().min(MAX_TEXT * 3));
    src.push_str(&d.title);
    src.push(' ');
    src.push_str(stored_text(d));
    let n = normalise(&src);
    // Each distinct token once (a text repeats most of its bigrams), then sorted by shard and
    // token; the token's first 8 bytes as a number decide almost every comparison.
    let spans = token_spans(&n);
    let mut seen: rustc_hash::FxHashSet<&str> =
        rustc_hash::FxHashSet::with_capacity_and_hasher(spans.len(), Default::default());
    let mut toks: Vec<(u32, u64, &str)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        let t = &n[a..b];
        if seen.insert(t) {
            toks.push((token_shard(t, token_shards) as u32, prefix_key(t), t));
        }
    }
    toks.sort_unstable();
    let mut out = DocTokens {
        text: String::with_capacity(toks.iter().map(|(_, _, t)| t.len()).sum()),
        ends: Vec::with_capacity(toks.len()),
    };
    for (shard, _, t) in toks {
        out.text.push_str(t);
        out.ends.push((shard, out.text.len() as u32));
    }
    out
}

/// The first 8 bytes of a token as a big-endian number, zero-padded: of two tokens, the one
/// with the smaller key is the smaller; equal keys leave it to the tokens themselves.
fn prefix_key(t: &str) -> u64 {
    let mut b = [0u8; 8];
    let k = t.len().min(8);
    b[..k].copy_from_slice(&t.as_bytes()[..k]);
    u64::from_be_bytes(b)
}

/// Wraps JSON as a script statement; `</script>` and friends must not end the script early,
/// and U+2028/9 are not valid in old JS.
fn script(prefix: &str, json: &str) -> String {
    let mut out = String::with_capacity(json.len() + prefix.len() + 4);
    out.push_str(prefix);
    // Copying the runs between escapes: `<` is ASCII and U+2028/9 are the bytes E2 80 A8/A9;
    // neither `<` nor E2 is ever inside another character's encoding.
    let b = json.as_bytes();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'<', 0xE2, b) {
        let (with, len) = match &b[i..] {
            [b'<', ..] => ("\\u003c", 1),
            [0xE2, 0x80, 0xA8, ..] => ("\\u2028", 3),
            [0xE2, 0x80, 0xA9, ..] => ("\\u2029", 3),
            _ => continue,
        };
        out.push_str(&json[start..i]);
        out.push_str(with);
        start = i + len;
    }
    out.push_str(&json[start..]);
    out.push_str(");\n");
    out
}

/// The script of document chunk `i`: `[title, url, kind, text, boost]` of its documents, in
/// the order of their numbers.
pub fn chunk_js(i: usize, docs: &[&SearchDoc]) -> String {
    let rows: Vec<(&str, &str, &str, &str, u8)> = docs
        .iter()
        .map(|d| {
            (
                d.title.as_str(),
                d.url.as_str(),
                d.kind.as_str(),
                stored_text(d),
                d.boost,
            )
        })
        .collect();
    // Serialising strings and integers cannot fail.
    let json = serde_json::to_string(&rows).expect("index serialises");
    script(
        &format!("(window.SEISAKU_SEARCH_D=window.SEISAKU_SEARCH_D||{{}})[{i}]=("),
        &json,
    )
}

/// The script of token shard `i`: each token's posting list, the document numbers as
/// differences from the one before (the first from 0).
pub fn token_shard_js(i: usize, postings: &Postings) -> String {
    let delta: BTreeMap<&str, Vec<u32>> = postings
        .iter()
        .map(|(t, ids)| {
            let mut prev = 0;
            let d = ids
                .iter()
                .map(|id| {
                    let x = id - prev;
                    prev = *id;
                    x
                })
                .collect();
            (&**t, d)
        })
        .collect();
    let json = serde_json::to_string(&delta).expect("index serialises");
    script(
        &format!("(window.SEISAKU_SEARCH_T=window.SEISAKU_SEARCH_T||{{}})[{i}]=("),
        &json,
    )
}

/// The layout script: the number of token shards, the first document number of each chunk,
/// and the number of documents.
pub fn meta_js(token_shards: usize, starts: &[u32], docs: usize) -> String {
    let starts: Vec<String> = starts.iter().map(u32::to_string).collect();
    format!(
        "window.SEISAKU_SEARCH_META=({{\"t\":{token_shards},\"starts\":[{}],\"docs\":{docs}}});\n",
        starts.join(",")
    )
}

/// One token shard's posting lists: token → document numbers, ascending.
pub type Postings = rustc_hash::FxHashMap<Box<str>, Vec<u32>>;

/// A whole index in memory: the documents by number and the posting lists.
pub struct Index<'a> {
    /// Documents in number order: chunk by chunk, each in document order.
    pub docs: Vec<&'a SearchDoc>,
    /// First number of each chunk.
    pub starts: Vec<u32>,
    /// Per token shard.
    pub postings: Vec<Postings>,
}

/// Documents tokenised at once while the index is built: their tokens are dropped once in
/// the posting lists, so memory holds the postings and one batch, not every document's tokens.
const BATCH: usize = 1024;

/// Numbers the documents (chunk by chunk) and gathers the posting lists, with `tokens` giving
/// a document's [`doc_tokens`] for `token_shard_count(docs.len())` shards.
pub fn build_index<'a>(
    docs: &'a [SearchDoc],
    tokens: impl Fn(&SearchDoc) -> DocTokens + Sync,
) -> Index<'a> {
    use rayon::prelude::*;
    let k = shard_count(docs.len());
    let t = token_shard_count(docs.len());
    let mut order: Vec<usize> = (0..docs.len()).collect();
    // Chunk by chunk, in document order within each (a stable sort keeps it).
    order.sort_by_key(|i| shard_of(&docs[*i].url, k));
    let mut starts = vec![0u32; k];
    let mut counts = vec![0u32; k];
    for i in &order {
        counts[shard_of(&docs[*i].url, k)] += 1;
    }
    for c in 1..k {
        starts[c] = starts[c - 1] + counts[c - 1];
    }
    let mut postings: Vec<Postings> = vec![Postings::default(); t];
    for (b, batch) in order.chunks(BATCH).enumerate() {
        let toks: Vec<DocTokens> = batch.par_iter().map(|i| tokens(&docs[*i])).collect();
        // Each token shard in parallel: its slice of every document's (shard-sorted) tokens.
        postings.par_iter_mut().enumerate().for_each(|(shard, m)| {
            for (j, dt) in toks.iter().enumerate() {
                let num = (b * BATCH + j) as u32;
                for tok in dt.of_shard(shard as u32) {
                    match m.get_mut(tok) {
                        Some(ids) => ids.push(num),
                        None => {
                            m.insert(tok.into(), vec![num]);
                        }
                    }
                }
            }
        });
    }
    Index {
        docs: order.iter().map(|i| &docs[*i]).collect(),
        starts,
        postings,
    }
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
    fn the_fast_normalisation_equals_nfkc_and_lower_case() {
        let alphabet: Vec<char> = (0..=0x7Fu32)
            .chain(0x3000..=0x301F)
            .chain(0x3041..=0x30FF)
            .chain(0x4E00..=0x4E40)
            .chain(0x9FC0..=0x9FFF)
            .chain(0xFF01..=0xFF5E)
            .filter_map(char::from_u32)
            .collect();
        // Every character alone, then random strings of them (composition across neighbours).
        for c in &alphabet {
            let s = c.to_string();
            if let Some(f) = fast_normalise(&s) {
                assert_eq!(f, nfkc(&s).to_lowercase(), "{:X}", *c as u32);
            }
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let s: String = (0..12)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            if let Some(f) = fast_normalise(&s) {
                assert_eq!(f, nfkc(&s).to_lowercase(), "{s:?}");
            }
        }
        assert!(fast_normalise("医療機器のＩＭＤＲＦ（議長国）、「デバイスラグ」。").is_some());
    }

    #[test]
    fn the_letter_table_equals_the_standard_test() {
        for u in (0..0x1_1000u32).chain([0x1_F600, 0x2_0000, 0x10_FFFF]) {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{u:X}");
            }
        }
    }

    #[test]
    fn document_tokens_are_the_distinct_tokens_by_shard_then_token() {
        // The plain definition: every token with its shard, sorted, duplicates removed.
        let plain = |d: &SearchDoc, shards: usize| -> Vec<(u32, String)> {
            let mut src = d.title.clone();
            src.push(' ');
            src.push_str(stored_text(d));
            let mut v: Vec<(u32, String)> = tokens(&src)
                .into_iter()
                .map(|t| (token_shard(&t, shards) as u32, t))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let texts = [
            "",
            "デバイスラグの解消とデバイスラグ",
            "IMDRF imdrf ＩＭＤＲＦ abcdefgh abcdefghi abcdefgg abcdefgh1 ab a 1",
            "医療機器の研究開発を推進する。臨床現場のニーズを踏まえた、国際展開に向けた環境整備",
            "é ü ñ ß Ωμέγα 한국어 🙂🙂 x\u{0}y 々ゝー",
        ];
        for (i, text) in texts.iter().enumerate() {
            let d = SearchDoc {
                title: format!("施策{i} Title"),
                url: String::new(),
                kind: String::new(),
                text: text.repeat(3),
                boost: 0,
            };
            for shards in [1, 3, 64] {
                let got: Vec<(u32, String)> = doc_tokens(&d, shards)
                    .iter()
                    .map(|(s, t)| (s, t.to_string()))
                    .collect();
                assert_eq!(got, plain(&d, shards), "{text} / {shards}");
            }
        }
    }

    #[test]
    fn scripts_escape_what_would_end_them() {
        let plain = |json: &str| -> String {
            let mut out = String::from("p(");
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
        };
        for json in [
            "",
            "<",
            "\"</script>\"",
            "a\u{2028}b\u{2029}c\u{2027}\u{202A}\u{2000}",
            "施策<\u{2028}>\u{2029}🙂<",
        ] {
            assert_eq!(script("p(", json), plain(json), "{json:?}");
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
        let docs = vec![doc];
        let index = build_index(&docs, |d| doc_tokens(d, 1));
        let js = chunk_js(0, &index.docs);
        assert!(
            !js.contains("</script>") && !js.contains("<script>"),
            "{js}"
        );
        let t = token_shard_js(0, &index.postings[0]);
        assert!(t.contains("\"ラグ\":[0]"), "{t}");
        assert!(!t.contains("</script>"), "{t}");
    }

    #[test]
    fn token_shards_hash_code_points_like_the_script() {
        // Values computed by search.js's shardOf (32-bit FNV-1a over code points).
        assert_eq!(token_shard("ラグ", 1_000_003), 0x31bc_441c % 1_000_003);
        assert_eq!(token_shard("imdrf", 7), token_shard("imdrf", 7));
        let spread: std::collections::BTreeSet<usize> = [
            "ラグ", "デバ", "バイ", "イス", "スラ", "imdrf", "の解", "解消",
        ]
        .iter()
        .map(|t| token_shard(t, 4))
        .collect();
        assert!(spread.len() > 1);
    }

    #[test]
    fn postings_number_documents_chunk_by_chunk() {
        let docs: Vec<SearchDoc> = (0..600)
            .map(|i| SearchDoc {
                title: format!("施策{i}"),
                url: format!("policies/p{i}/index.html"),
                kind: "施策".into(),
                text: if i % 2 == 0 {
                    "デバイスラグ".into()
                } else {
                    "承認".into()
                },
                boost: 1,
            })
            .collect();
        let t = token_shard_count(docs.len());
        let index = build_index(&docs, |d| doc_tokens(d, t));
        assert_eq!(index.docs.len(), 600);
        assert_eq!(index.starts.len(), shard_count(600));
        for (c, start) in index.starts.iter().enumerate() {
            let d = index.docs[*start as usize];
            assert_eq!(shard_of(&d.url, index.starts.len()), c);
        }
        let shard = token_shard("ラグ", t);
        let ids = &index.postings[shard]["ラグ" as &str];
        assert_eq!(ids.len(), 300);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids
            .iter()
            .all(|i| index.docs[*i as usize].text == "デバイスラグ"));
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
