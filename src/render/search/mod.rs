//! The search index, written as scripts so that search works from `file://`, where a
//! `fetch()` of a JSON file is blocked. Its cost per query does not grow with the site: the
//! search page loads only `search-index.js` (the index's layout, with what ranking needs of
//! each document: boost, title length, place in title order), then, for a query, inserts
//! `<script>` elements for just the parts it needs:
//!
//! - token shards `search-index/t-N.js`: the positional posting lists ([`postings`]) of the
//!   tokens whose hash ([`token_shard`]) is N, about [`TOKEN_SHARD_DOCS`] documents' worth of
//!   tokens each. They say where each token stands in each document's title and text, so the
//!   page finds, checks and ranks every match from them alone;
//! - document chunks `search-index/d-N.js`: title, URL, kind, text and boost of about
//!   [`SHARD_DOCS`] documents (a page goes in the chunk of a stable hash of its URL, so a
//!   watch-mode edit re-serialises one chunk), loaded only for the results shown.
//!
//! Japanese has no spaces, so text is indexed as character bigrams, plus whole ASCII words.
//! The tokenizer is mirrored exactly in `static/search.js`; `tests/search_vectors.json` holds
//! the cases both must agree on.

mod js;
mod layout;
mod postings;

pub use layout::meta_js;
pub use postings::{
    build_index, build_index_until, doc_tokens, token_shard_js, DocTokens, Index, Postings,
};

use crate::format::nfkc;
use serde::Serialize;
use std::fmt::Write as _;

/// One searchable page.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct SearchDoc<'a> {
    pub title: String,
    /// Path relative to the output root.
    pub url: String,
    /// Kind label shown with the result (施策, 用語, ...).
    pub kind: String,
    /// Plain text of the page body (borrowed from the rendered body when it is all of it).
    pub text: std::borrow::Cow<'a, str>,
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
    nfkc(s).to_lowercase()
}

/// The normalised form of one character when [`crate::format::nfkc_char`] knows its NFKC
/// without Unicode's tables (ASCII lower-cased; none of these characters has another case),
/// `None` for any other character. Every such character is in the Basic Multilingual Plane.
fn fast_char(c: char) -> Option<char> {
    crate::format::nfkc_char(c).map(|n| n.to_ascii_lowercase())
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

/// `char::is_alphanumeric`, answered without Unicode's tables for ASCII, kana and the
/// unified ideographs (almost every character of the text).
fn is_alphanumeric(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x4E00..=0x9FFF => true,
        // General punctuation, the ideographic marks and brackets, the katakana middle dot.
        0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0x30FB => false,
        _ => c.is_alphanumeric(),
    }
}

/// Kana prolonged sound mark and iteration marks count as letters.
fn is_cjk_symbol(c: char) -> bool {
    matches!(c, 'ー' | '々' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
}

/// Documents per document chunk, on average: small, since a query loads the chunk of each
/// result it shows, and those are spread over the site.
pub const SHARD_DOCS: usize = 4;
/// Documents per token shard: the number of token shards grows with the site, so that the
/// shards a query loads stay about the same size.
pub const TOKEN_SHARD_DOCS: usize = 16;

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
    (token.chars().fold(FNV_BASIS, fnv_step) % shards as u32) as usize
}

/// The start of 32-bit FNV-1a.
const FNV_BASIS: u32 = 0x811c_9dc5;

/// One step of 32-bit FNV-1a, over a code point.
fn fnv_step(h: u32, c: char) -> u32 {
    (h ^ c as u32).wrapping_mul(0x0100_0193)
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

/// The paths of every file of the index of `docs` documents: the layout script, the
/// document chunks, the token shards.
pub fn index_paths(docs: usize) -> impl Iterator<Item = String> {
    std::iter::once(META_PATH.to_string())
        .chain((0..shard_count(docs)).map(shard_path))
        .chain((0..token_shard_count(docs)).map(token_shard_path))
}

/// Whether `path` is a file of a search index (of any size): the layout script, a document
/// chunk or a token shard.
pub fn is_index_path(path: &str) -> bool {
    if path == META_PATH {
        return true;
    }
    let Some(name) = path
        .strip_prefix("search-index/")
        .and_then(|p| p.strip_suffix(".js"))
    else {
        return false;
    };
    name.strip_prefix("d-")
        .or_else(|| name.strip_prefix("t-"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The documents of each of `k` chunks, in document order.
pub fn shard_docs<'a, 'd>(docs: &'a [SearchDoc<'d>], k: usize) -> Vec<Vec<&'a SearchDoc<'d>>> {
    let mut shards: Vec<Vec<&SearchDoc>> = vec![Vec::new(); k];
    for d in docs {
        shards[shard_of(&d.url, k)].push(d);
    }
    shards
}

/// The stored text of a document: its first [`MAX_TEXT`] characters.
fn stored_text<'d>(d: &'d SearchDoc<'_>) -> &'d str {
    first_chars(&d.text, MAX_TEXT)
}

/// The first `n` characters of `s`, counted over its bytes (a character starts at every byte
/// that is not a continuation byte `10xxxxxx`).
fn first_chars(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut seen = 0;
    for (i, b) in s.bytes().enumerate() {
        if (b as i8) >= -0x40 {
            if seen == n {
                return &s[..i];
            }
            seen += 1;
        }
    }
    s
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
/// the order of their numbers (a JSON array in a script statement, written directly).
pub fn chunk_js(i: usize, docs: &[&SearchDoc]) -> String {
    let room: usize = docs
        .iter()
        .map(|d| d.title.len() + d.url.len() + d.kind.len() + d.text.len().min(MAX_TEXT * 3) + 24)
        .sum();
    let mut out = String::with_capacity(room + 64);
    let _ = write!(
        out,
        "(window.SEISAKU_SEARCH_D=window.SEISAKU_SEARCH_D||{{}})[{i}]=(["
    );
    for (n, d) in docs.iter().enumerate() {
        out.push_str(if n == 0 { "[" } else { ",[" });
        for part in [&d.title, &d.url, &d.kind] {
            js::push_string(&mut out, part);
            out.push(',');
        }
        js::push_string(&mut out, stored_text(d));
        let _ = write!(out, ",{}]", d.boost);
    }
    out.push_str("]);\n");
    out
}

/// Documents tokenised at once while the index is built: their tokens are dropped once in
/// the posting lists, so memory holds the postings and one batch, not every document's tokens.
const BATCH: usize = 1024;

/// The searchable document of every page of an entity.
pub fn documents<'a>(cx: &'a super::context::Cx<'_>) -> Vec<SearchDoc<'a>> {
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
                    body.into()
                } else {
                    format!("{extra} {body}").into()
                },
                boost: e.search_boost(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_characters_are_counted_as_characters() {
        for s in ["", "abc", "医療機器", "a医𠮷b", &"医療 abc 𠮷".repeat(300)] {
            for n in [0, 1, 2, 3, 5, 1200, 5000] {
                let want = match s.char_indices().nth(n) {
                    Some((i, _)) => &s[..i],
                    None => s,
                };
                assert_eq!(first_chars(s, n), want, "{s} {n}");
            }
        }
    }

    #[test]
    fn letters_are_letters_as_unicode_says() {
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[derive(serde::Deserialize)]
    struct Vector {
        input: String,
        tokens: Vec<String>,
    }

    #[test]
    fn tokenizer_matches_the_shared_vectors() {
        let text = include_str!("../../../tests/search_vectors.json");
        let vectors: Vec<Vector> = serde_json::from_str(text).unwrap();
        assert!(vectors.len() >= 5);
        for v in vectors {
            assert_eq!(tokens(&v.input), v.tokens, "input {:?}", v.input);
        }
    }

    #[test]
    fn the_fast_normalisation_equals_nfkc_and_lower_case() {
        use unicode_normalization::UnicodeNormalization;
        // Character by character, as the index's tokens read a text, against the normaliser
        // itself (`nfkc` takes the same way for these characters).
        let fast = |s: &str| s.chars().map(fast_char).collect::<Option<String>>();
        let slow = |s: &str| s.nfkc().collect::<String>().to_lowercase();
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
            if let Some(f) = fast(&s) {
                assert_eq!(f, slow(&s), "{:X}", *c as u32);
                assert_eq!(normalise(&s), f, "{:X}", *c as u32);
            }
        }
        let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2000 {
            let s: String = (0..12)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            if let Some(f) = fast(&s) {
                assert_eq!(f, slow(&s), "{s:?}");
                assert_eq!(normalise(&s), f, "{s:?}");
            }
        }
        assert!(fast("医療機器のＩＭＤＲＦ（議長国）、「デバイスラグ」。").is_some());
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
    fn scripts_escape_what_would_end_them_or_old_js() {
        let js = script("x(", "[\"a</script>\u{2028}b\u{2029}<\"]");
        assert_eq!(js, "x([\"a\\u003c/script>\\u2028b\\u2029\\u003c\"]);\n");
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
        // Document 0, not in the title, once in the text at offset 4: 0, 0, 1, 4 in VLQ.
        assert!(t.contains("\"ラグ\":\"AACI\""), "{t}");
        assert!(!t.contains("</script>"), "{t}");
    }

    #[test]
    fn chunks_and_token_shards_are_the_json_of_their_rows_and_lists_made_script_safe() {
        let doc = |title: &str, text: String, boost| SearchDoc {
            title: title.into(),
            url: format!("p/{title}/index.html"),
            kind: "施策".into(),
            text: text.into(),
            boost,
        };
        let long: String = "デバイスラグ<解消>\u{2028}\"引用\"\\\n".repeat(200);
        let docs = vec![
            doc("</script>", "IMDRF の議論".into(), 1),
            doc("a\u{1}b", long.clone(), 0),
            doc("", String::new(), 3),
            doc("\u{2029}", long, 2),
        ];
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        let rows: Vec<(&str, &str, &str, &str, u8)> = refs
            .iter()
            .map(|d| (&*d.title, &*d.url, &*d.kind, stored_text(d), d.boost))
            .collect();
        let prefix = "(window.SEISAKU_SEARCH_D=window.SEISAKU_SEARCH_D||{})[3]=(";
        let expected = script(prefix, &serde_json::to_string(&rows).unwrap());
        assert_eq!(chunk_js(3, &refs), expected);
        assert_eq!(
            chunk_js(0, &[]),
            script(
                "(window.SEISAKU_SEARCH_D=window.SEISAKU_SEARCH_D||{})[0]=(",
                "[]"
            )
        );
        let index = build_index(&docs, |d| doc_tokens(d, 1));
        for (i, p) in index.postings.iter().enumerate() {
            let sorted: std::collections::BTreeMap<&str, &str> =
                p.iter().map(|(t, l)| (&**t, l.as_str())).collect();
            let prefix = format!("(window.SEISAKU_SEARCH_T=window.SEISAKU_SEARCH_T||{{}})[{i}]=(");
            let expected = script(&prefix, &serde_json::to_string(&sorted).unwrap());
            assert_eq!(token_shard_js(i, p), expected);
        }
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
        // Each document's number falls in its chunk's range.
        for (n, d) in index.docs.iter().enumerate() {
            let c = index.starts.partition_point(|s| *s as usize <= n) - 1;
            assert_eq!(shard_of(&d.url, index.starts.len()), c, "{n}");
        }
        let shard = token_shard("ラグ", t);
        let ids = index.postings[shard]["ラグ" as &str].docs();
        assert_eq!(ids.len(), 300);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids
            .iter()
            .all(|i| index.docs[*i as usize].text == "デバイスラグ"));
    }

    #[test]
    fn the_index_paths_are_those_of_its_parts() {
        for n in [0, 1, 5, 16, 17, 600] {
            let docs: Vec<SearchDoc> = (0..n)
                .map(|i| SearchDoc {
                    title: format!("施策{i}"),
                    url: format!("policies/p{i}/index.html"),
                    kind: "施策".into(),
                    text: "承認".into(),
                    boost: 1,
                })
                .collect();
            let t = token_shard_count(docs.len());
            let index = build_index(&docs, |d| doc_tokens(d, t));
            let made: Vec<String> = std::iter::once(META_PATH.to_string())
                .chain((0..index.starts.len()).map(shard_path))
                .chain((0..index.postings.len()).map(token_shard_path))
                .collect();
            assert_eq!(index_paths(n).collect::<Vec<_>>(), made, "{n} documents");
            assert!(made.iter().all(|p| is_index_path(p)), "{made:?}");
        }
        for other in [
            "search-index/d-.js",
            "search-index/x-1.js",
            "search-index/d-1.json",
            "search-index/d-1/index.html",
            "search-index/index.html",
            "search.html",
            "static/search.js",
        ] {
            assert!(!is_index_path(other), "{other}");
        }
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
                text: "".into(),
                boost: 1,
            })
            .collect();
        assert_eq!(shard_count(docs.len()), 1000 / SHARD_DOCS);
        let shards = shard_docs(&docs, 4);
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
