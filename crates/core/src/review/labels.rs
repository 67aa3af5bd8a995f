//! Conventional Comments labels (`issue (blocking): ...`, `nitpick: ...`) and the
//! priority a reviewer gave a point, read from its label, its decorations, or words
//! such as "must" and "nit".

use super::signals::PriorityRules;
use super::text::{Token, excerpt, tokens};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// The labels of the Conventional Comments specification, with the short forms
/// reviewers use (`nit`).
pub const LABELS: [&str; 13] = [
    "praise",
    "nitpick",
    "nit",
    "suggestion",
    "issue",
    "todo",
    "question",
    "thought",
    "chore",
    "note",
    "typo",
    "polish",
    "quibble",
];

static LABEL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:\*\*|__)?\s*([a-z]+)\s*(?:\(([^)]*)\))?\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?",
    )
    .ok()
});

/// A Conventional Comments label at the start of a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Lower-case, e.g. `issue`, `nitpick`.
    pub label: String,
    /// Lower-case decorations, e.g. `blocking`, `non-blocking`, `security`.
    pub decorations: Vec<String>,
}

impl Label {
    /// The label at the start of `body`, if it is one of [`LABELS`].
    pub fn parse(body: &str) -> Option<Label> {
        let caps = LABEL.as_ref()?.captures(body)?;
        let label = caps.get(1)?.as_str().to_lowercase();
        if !LABELS.contains(&label.as_str()) {
            return None;
        }
        let decorations = caps
            .get(2)
            .map(|d| {
                d.as_str()
                    .split(',')
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Some(Label { label, decorations })
    }

    /// The byte offset where the label (with its decorations and colon) ends, when
    /// `body` starts with one of [`LABELS`].
    pub fn end(body: &str) -> Option<usize> {
        let caps = LABEL.as_ref()?.captures(body)?;
        let label = caps.get(1)?.as_str().to_lowercase();
        if !LABELS.contains(&label.as_str()) {
            return None;
        }
        Some(caps.get(0)?.end())
    }

    /// Whether the label says the comment is not a finding at all.
    pub fn is_remark(&self) -> bool {
        matches!(
            self.label.as_str(),
            "praise" | "question" | "thought" | "note"
        )
    }
}

/// The priority a reviewer gave a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expressed {
    /// Marked as optional or minor.
    Low,
    /// No priority stated.
    Unstated,
    /// Marked as must-fix or blocking.
    High,
}

impl Expressed {
    pub fn id(self) -> &'static str {
        match self {
            Expressed::Low => "low",
            Expressed::Unstated => "unstated",
            Expressed::High => "high",
        }
    }
}

/// The priority read from a text, and the words it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityReading {
    pub priority: Expressed,
    /// What it was read from: `label: issue (blocking)` or `word: "must"`.
    pub evidence: Option<String>,
}

/// Read the priority of a comment (or a summary sentence): decorations first, then
/// the label, then the priority words (a high word inside a low phrase such as
/// "non-blocking" does not count; a high word outweighs a low one).
pub fn priority_of(text: &str, label: Option<&Label>, rules: &PriorityRules) -> PriorityReading {
    if let Some(l) = label {
        let shown = if l.decorations.is_empty() {
            l.label.clone()
        } else {
            format!("{} ({})", l.label, l.decorations.join(", "))
        };
        let reading = |priority| PriorityReading {
            priority,
            evidence: Some(format!("label: {shown}")),
        };
        if l.decorations.iter().any(|d| d == "blocking") {
            return reading(Expressed::High);
        }
        if l.decorations
            .iter()
            .any(|d| d == "non-blocking" || d == "if-minor")
        {
            return reading(Expressed::Low);
        }
        if rules.low_labels.contains(&l.label) {
            return reading(Expressed::Low);
        }
        if rules.high_labels.contains(&l.label) {
            // A must-fix word in the text still wins over the label's default, and
            // so does a minor word: "issue: minor, ..." is not a blocker.
            let own = priority_of(text, None, rules);
            if own.priority != Expressed::Unstated {
                return own;
            }
            return reading(Expressed::High);
        }
    }
    let toks: Vec<Token> = tokens(text);
    let low: Vec<_> = rules
        .low_compiled
        .iter()
        .flat_map(|p| p.find_all(&toks))
        .collect();
    let high = rules
        .high_compiled
        .iter()
        .flat_map(|p| p.find_all(&toks))
        .find(|h| !low.iter().any(|l| l.start <= h.start && h.end <= l.end));
    if let Some(span) = high {
        return PriorityReading {
            priority: Expressed::High,
            evidence: Some(format!("word: \"{}\"", excerpt(text, &span))),
        };
    }
    if let Some(span) = low.first() {
        return PriorityReading {
            priority: Expressed::Low,
            evidence: Some(format!("word: \"{}\"", excerpt(text, span))),
        };
    }
    PriorityReading {
        priority: Expressed::Unstated,
        evidence: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::ReviewSignals;

    fn rules() -> PriorityRules {
        ReviewSignals::default_signals()
            .expect("default signals")
            .priority
    }

    fn read(body: &str) -> Expressed {
        priority_of(body, Label::parse(body).as_ref(), &rules()).priority
    }

    #[test]
    fn labels_and_decorations_are_parsed() {
        let l = Label::parse("**issue (blocking, security):** SQL built by hand").expect("label");
        assert_eq!(l.label, "issue");
        assert_eq!(l.decorations, vec!["blocking", "security"]);
        assert_eq!(
            Label::parse("Nit: spacing").map(|l| l.label),
            Some("nit".into())
        );
        assert!(Label::parse("Note that this loops").is_none());
        assert!(Label::parse("Warning: x").is_none());
    }

    #[test]
    fn priority_comes_from_decorations_labels_then_words() {
        assert_eq!(read("suggestion (blocking): use a join"), Expressed::High);
        assert_eq!(read("issue (non-blocking): must rename"), Expressed::Low);
        assert_eq!(read("nitpick: trailing space"), Expressed::Low);
        assert_eq!(read("This must be fixed before merging."), Expressed::High);
        assert_eq!(
            read("Non-blocking, but consider a constant."),
            Expressed::Low
        );
        assert_eq!(
            read("Minor thing, but it has to change before we merge"),
            Expressed::High
        );
        assert_eq!(read("Why not a join here?"), Expressed::Unstated);
        // `issue:` is a problem to fix; its own words may still say it is minor.
        assert_eq!(read("issue: SQL built by hand"), Expressed::High);
        assert_eq!(read("issue: minor, but the name is off"), Expressed::Low);
        assert_eq!(read("suggestion: a constant"), Expressed::Unstated);
        let r = priority_of("This must change", None, &rules());
        assert_eq!(r.evidence.as_deref(), Some("word: \"must\""));
    }
}
