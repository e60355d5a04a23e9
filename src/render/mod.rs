//! The render stage: Markdown bodies, glossary links, charts, pages and feeds.

pub mod chart;
pub mod glossary;
pub mod markdown;
pub mod pages;
pub mod phrases;
pub mod search;
pub mod theme;
pub mod typeset;
pub mod views;
