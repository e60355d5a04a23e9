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

/// The JavaScript file that defines the index.
pub fn index_js(docs: &[SearchDoc]) -> String {
    let texts: Vec<String> = docs
        .iter()
        .map(|d| d.text.chars().take(MAX_TEXT).collect())
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
    let index: BTreeMap<&str, Vec<u32>> = index.into_iter().collect();
    let out_docs: Vec<(&str, &str, &str, &str, u8)> = docs
        .iter()
        .zip(&texts)
        .map(|(d, t)| {
            (
                d.title.as_str(),
                d.url.as_str(),
                d.kind.as_str(),
                t.as_str(),
                d.boost,
            )
        })
        .collect();
    // Serialising strings and integers cannot fail.
    let json = serde_json::to_string(&serde_json::json!({ "docs": out_docs, "index": index }))
        .expect("index serialises");
    // `</script>` and friends must not end the script early; U+2028/9 are not valid in old JS.
    let safe = json
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("window.SEISAKU_SEARCH={safe};\n")
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
        let docs = vec![SearchDoc {
            title: "</script><script>alert(1)</script>".into(),
            url: "a/index.html".into(),
            kind: "施策".into(),
            text: "デバイスラグの解消".into(),
            boost: 1,
        }];
        let js = index_js(&docs);
        assert!(
            !js.contains("</script>") && !js.contains("<script>"),
            "{js}"
        );
        assert!(js.contains("\"ラグ\":[0]"), "{js}");
    }
}
