//! Does a comment teach, or only correct? The classifier looks for kinds of teaching
//! signal (by default: explains why, names the impact at scale, names the general
//! pattern or principle, points to a reference) and says a text teaches when it
//! shows at least `min_kinds` different kinds. Every signal found is evidence,
//! whatever the verdict. The code-review grader and the written-answer analyzer use
//! this same classifier.

use super::signals::TeachingRules;
use super::text::{blank_code, excerpt, tokens};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

static URL: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"https?://[^\s)<>\]]+").ok());

/// One teaching signal found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalHit {
    /// The signal kind's id, e.g. `why`.
    pub kind: String,
    /// The words of the text that matched.
    pub text: String,
    /// The list entry they matched (`link` for a URL).
    pub entry: String,
}

/// The classifier's verdict on one text, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Teaching {
    pub teaching: bool,
    /// One hit per kind found (the first occurrence), in the order of the kinds.
    pub signals: Vec<SignalHit>,
    /// The kinds not found.
    pub missing: Vec<String>,
}

impl TeachingRules {
    /// Classify a text. Words inside code (backticks or fenced blocks) do not count;
    /// links do.
    pub fn classify(&self, text: &str) -> Teaching {
        let prose = blank_code(text);
        let toks = tokens(&prose);
        let mut signals = Vec::new();
        let mut missing = Vec::new();
        for kind in &self.signals {
            let url = if kind.urls {
                URL.as_ref()
                    .and_then(|re| re.find(text))
                    .map(|m| SignalHit {
                        kind: kind.id.clone(),
                        text: m.as_str().to_string(),
                        entry: "link".to_string(),
                    })
            } else {
                None
            };
            let word = || {
                kind.compiled
                    .iter()
                    .filter_map(|p| p.find(&toks).map(|span| (span, p)))
                    .min_by_key(|(span, _)| span.start)
                    .map(|(span, p)| SignalHit {
                        kind: kind.id.clone(),
                        text: excerpt(text, &span),
                        entry: p.entry.clone(),
                    })
            };
            match url.or_else(word) {
                Some(hit) => signals.push(hit),
                None => missing.push(kind.id.clone()),
            }
        }
        Teaching {
            teaching: signals.len() >= self.min_kinds,
            signals,
            missing,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::review::ReviewSignals;

    fn classify(text: &str) -> super::Teaching {
        ReviewSignals::default_signals()
            .expect("default signals")
            .teaching
            .classify(text)
    }

    #[test]
    fn a_bare_correction_does_not_teach() {
        let t = classify("This will cause N+1 queries.");
        assert!(!t.teaching);
        assert!(t.signals.is_empty());
        let t = classify("Wrong. Use eager loading here instead.");
        assert!(!t.teaching, "{t:?}");
    }

    #[test]
    fn an_explanation_with_impact_pattern_and_link_teaches() {
        let t = classify(
            "Each pass of this loop runs one more query because `order.customer` is loaded \
             lazily, so a page of 200 orders costs 201 round trips; at ten times today's traffic \
             that saturates the pool. The general pattern is eager loading: \
             https://docs.djangoproject.com/en/5.0/ref/models/querysets/#select-related",
        );
        assert!(t.teaching);
        let kinds: Vec<&str> = t.signals.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(kinds, vec!["why", "impact", "pattern", "reference"]);
        assert!(
            t.signals[3]
                .text
                .starts_with("https://docs.djangoproject.com")
        );
        assert!(t.missing.is_empty());
    }

    #[test]
    fn words_inside_code_are_not_explanation() {
        let t = classify("Use `because_of_load()` here:\n```\nlet why = load();\n```");
        assert!(t.signals.is_empty(), "{t:?}");
    }
}
