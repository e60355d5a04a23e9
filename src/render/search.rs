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
#[derive(Debug, Clone, Serialize)]
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
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        if run.len() == 1 {
            out.push(run[0].to_string());
        }
        for w in run.windows(2) {
            out.push(w.iter().collect());
        }
        run.clear();
    };
    for c in n.chars() {
        if is_word_char(c) {
            flush_run(&mut run, &mut out);
            word.push(c);
        } else {
            if word.chars().count() >= 2 {
                out.push(std::mem::take(&mut word));
            } else {
                word.clear();
            }
            if c.is_alphanumeric() || is_cjk_symbol(c) {
                run.push(c);
            } else {
                flush_run(&mut run, &mut out);
            }
        }
    }
    if word.chars().count() >= 2 {
        out.push(word);
    }
    flush_run(&mut run, &mut out);
    out
}

/// Kana prolonged sound mark and iteration marks count as letters.
fn is_cjk_symbol(c: char) -> bool {
    matches!(c, 'ー' | '々' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
}

#[derive(Serialize)]
struct Index<'a> {
    /// [title, url, kind, text, boost]
    docs: Vec<(&'a str, &'a str, &'a str, String, u8)>,
    /// token → ids of the documents that contain it
    index: BTreeMap<String, Vec<u32>>,
}

/// The JavaScript file that defines the index.
pub fn index_js(docs: &[SearchDoc]) -> String {
    let mut index: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut out_docs = Vec::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        let text: String = d.text.chars().take(MAX_TEXT).collect();
        let mut toks = tokens(&d.title);
        toks.extend(tokens(&text));
        toks.sort();
        toks.dedup();
        for t in toks {
            index.entry(t).or_default().push(i as u32);
        }
        out_docs.push((
            d.title.as_str(),
            d.url.as_str(),
            d.kind.as_str(),
            text,
            d.boost,
        ));
    }
    // Serialising strings and integers cannot fail.
    let json = serde_json::to_string(&Index {
        docs: out_docs,
        index,
    })
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
