//! Job descriptions: a writer grounded in the role's intake and the team's measured
//! baseline, and a linter that explains every finding with its line, the matched
//! text, a reason and a fix hint.
//!
//! The linter's word and phrase lists are data (`framework/jd-lint.toml`, embedded
//! as [`DEFAULT_WORDS_TOML`]); the recognisers for the required facts are code.

mod lint;
mod markdown;
mod text;
mod words;
mod writer;

pub use crate::delivery::{Baseline, Stat};
pub use lint::{CodedWord, Coding, Finding, LintReport, RULES, Summary, lint};
pub use words::{DEFAULT_WORDS_SOURCE, DEFAULT_WORDS_TOML, LintWords, LintWordsError};
pub use writer::{JobDescription, Section, write};
