//! The linter's word lists, loaded from TOML and validated with line numbers.

use crate::source::{Position, Problem, Problems, toml_problem};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The default lists, as shipped.
pub const DEFAULT_WORDS_TOML: &str = include_str!("../../../../framework/jd-lint.toml");
pub const DEFAULT_WORDS_SOURCE: &str = "<embedded default jd-lint word lists>";

#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct LintWordsError(pub Problems);

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vague {
    pub source: String,
    pub hint: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gendered {
    pub source: String,
    pub hint: String,
    pub min_difference: u32,
    pub min_difference_per_1000_words: f64,
    pub masculine: Vec<String>,
    pub feminine: Vec<String>,
    /// Phrases removed before counting: domain terms and non-agentic senses of a
    /// coded word ("monthly active users", "determinism", "a competitive salary").
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Words that name the role itself and are never counted ("lead", "leadership",
    /// "decisions" in a Tech Lead posting); the words of the posting's own title are
    /// added to them.
    #[serde(default)]
    pub role_words: Vec<String>,
    /// The finding needs at least this many masculine-coded words, whatever the
    /// balance.
    #[serde(default = "default_min_masculine")]
    pub min_masculine: u32,
}

fn default_min_masculine() -> u32 {
    3
}

/// Validated word lists.
#[derive(Debug, Clone, Serialize)]
pub struct LintWords {
    pub vague: Vague,
    pub gendered: Gendered,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    vague: Spanned<Vague>,
    gendered: Spanned<Gendered>,
}

impl LintWords {
    pub fn default_words() -> Result<LintWords, LintWordsError> {
        LintWords::parse(DEFAULT_WORDS_SOURCE, DEFAULT_WORDS_TOML)
    }

    pub fn parse(source: &str, text: &str) -> Result<LintWords, LintWordsError> {
        let fail = |problems| {
            LintWordsError(Problems {
                source: source.to_string(),
                problems,
            })
        };
        let raw: Raw = toml::from_str(text).map_err(|e| fail(vec![toml_problem(text, &e)]))?;
        let mut problems = Vec::new();
        let line = |span: std::ops::Range<usize>| Some(Position::at(text, span.start).line);
        let v = raw.vague.get_ref();
        if v.source.trim().is_empty() {
            problems.push(Problem::new(
                line(raw.vague.span()),
                "vague.source",
                "name where the list comes from",
            ));
        }
        for p in &v.phrases {
            if words_of(p).is_empty() {
                problems.push(Problem::new(
                    line(raw.vague.span()),
                    "vague.phrases",
                    format!("\"{p}\" has no words"),
                ));
            }
        }
        let g = raw.gendered.get_ref();
        if g.source.trim().is_empty() {
            problems.push(Problem::new(
                line(raw.gendered.span()),
                "gendered.source",
                "name where the lists come from",
            ));
        }
        for (name, list) in [("masculine", &g.masculine), ("feminine", &g.feminine)] {
            if list.is_empty() {
                problems.push(Problem::new(
                    line(raw.gendered.span()),
                    format!("gendered.{name}"),
                    "must list at least one word",
                ));
            }
            for entry in list {
                let stem = entry.trim_end_matches('*');
                if stem.is_empty()
                    || !stem
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                    || stem.chars().any(char::is_uppercase)
                {
                    problems.push(Problem::new(
                        line(raw.gendered.span()),
                        format!("gendered.{name}"),
                        format!("\"{entry}\" must be a lower-case word, optionally ending in * for a stem"),
                    ));
                }
            }
        }
        for w in &g.role_words {
            if w.is_empty()
                || !w
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                || w.chars().any(char::is_uppercase)
            {
                problems.push(Problem::new(
                    line(raw.gendered.span()),
                    "gendered.role_words",
                    format!("\"{w}\" must be a lower-case word"),
                ));
            }
        }
        if !(g.min_difference_per_1000_words.is_finite() && g.min_difference_per_1000_words >= 0.0)
        {
            problems.push(Problem::new(
                line(raw.gendered.span()),
                "gendered.min_difference_per_1000_words",
                "must be a number of 0 or more",
            ));
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        Ok(LintWords {
            vague: raw.vague.into_inner(),
            gendered: raw.gendered.into_inner(),
        })
    }
}

/// The lower-case words of a phrase, split on spaces, hyphens and punctuation.
pub(crate) fn words_of(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_lists_load_and_name_their_sources() {
        let w = LintWords::default_words().expect("loads");
        assert!(w.gendered.source.contains("Gaucher"));
        assert!(w.gendered.masculine.iter().any(|m| m == "lead*"));
        assert!(w.gendered.feminine.iter().any(|m| m == "support*"));
        assert!(!w.vague.phrases.is_empty());
    }

    #[test]
    fn a_bad_entry_is_reported_with_its_line() {
        let text = DEFAULT_WORDS_TOML.replacen("\"active\"", "\"Active!\"", 1);
        let err = LintWords::parse("w.toml", &text).expect_err("invalid");
        assert_eq!(err.0.problems[0].field, "gendered.masculine");
        assert!(err.0.problems[0].line.is_some());
    }
}
