//! The search index, written as a script so that search works from `file://`.
//!
//! (Interface fixed; implementation in progress.)

use serde::Serialize;

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

/// The JavaScript file that defines the index (`search-index.js`).
pub fn index_js(docs: &[SearchDoc]) -> String {
    let json = serde_json::to_string(docs).unwrap_or_else(|_| "[]".into());
    format!("window.SEISAKU_SEARCH={};\n", json.replace("</", "<\\/"))
}
