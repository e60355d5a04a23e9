//! seisaku: a static site generator for policy documents.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`content`] (load: typed entities from `content/`) → [`resolve`] (the [`site`] model: every
//! link, backlink, glossary occurrence and citation known, bodies rendered by [`markdown`]) →
//! [`render`] (pages from the model through typed views and the theme) → [`output`] (write,
//! atomically). [`build`] drives it; the kinds of entity are registered in [`registry`].

#![forbid(unsafe_code)]

pub mod archive;
pub mod build;
pub mod config;
pub mod content;
pub mod diag;
pub mod format;
pub mod markdown;
pub mod output;
pub mod registry;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site;
pub mod stats;
pub mod trace;
pub mod typeset;
