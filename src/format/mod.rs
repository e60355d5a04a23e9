//! Japanese formats: era dates and fiscal years, amounts, numbers, slugs, text normalisation.
//! One module used by pages, charts, tables and CSV alike.

pub mod amount;
pub mod date;
pub mod hash;
pub mod number;
pub mod slug;

use unicode_normalization::UnicodeNormalization;

/// NFKC-normalised text, used wherever text is compared (glossary, search, ids).
pub fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}
