//! seisaku: a static site generator for policy documents.
//!
//! The pipeline: [`content::load`] → [`resolve`] → [`render`] → [`output`], driven by
//! [`build`].

pub mod archive;
pub mod build;
pub mod config;
pub mod content;
pub mod diag;
pub mod format;
pub mod fuzzing;
pub mod output;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod stats;
pub mod trace;
