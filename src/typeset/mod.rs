//! Japanese typography: phrase boundaries (BudouX's model, [`budoux`]) and the `<wbr>` line
//! break opportunities placed at them ([`wbr`]), so that with `word-break: keep-all` text
//! wraps between phrases, never inside a word; dates in running text as `<time>` ([`time`]).

pub mod budoux;
pub mod time;
pub mod wbr;
