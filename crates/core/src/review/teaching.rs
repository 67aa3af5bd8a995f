//! Does a comment teach, or only correct? An explainable model: the teaching
//! signals of `review-signals.toml` are the features (gives a cause, states a
//! consequence with its condition, contrasts what the code does with what it seems
//! to do, states a convention or a general rule, points to a reference, asks a
//! question that leads to the reason, works an example; and against teaching: starts
//! with a bare instruction, is only a verdict, is very short, ...), and the weights of
//! `teaching-model.toml` say how much each moves the verdict. The verdict lists every
//! signal found with its weight, so a reader sees what moved it and by how much.
//!
//! Reading a comment is one pass over its text: code (backticks and fenced blocks) is
//! blanked so words inside it do not count, links are found and blanked, the rest is
//! split into tokens and sentences once, and each signal's word list is matched over
//! the tokens. The code-review grader and the written-answer analyzer use this same
//! classifier.

use super::labels::Label;
use super::signals::{SignalKind, TeachingRules};
use super::teaching_model::probability;
use super::text::{Token, blank_code, excerpt, sentences, tokens};
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::LazyLock;

static URL: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"https?://[^\s)<>\]]+").ok());

/// One teaching signal found in a text, and how much it moved the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalHit {
    /// The signal's id, e.g. `cause`.
    pub kind: String,
    /// Its group, e.g. `why`.
    pub group: String,
    /// The words of the text that matched (a link, "12 words", ...).
    pub text: String,
    /// The list entry they matched (`link`, `number`, `code block`, `≤ 6 words`).
    pub entry: String,
    /// The signal's weight: how much it moved the log-odds of teaching (positive
    /// toward a lesson, negative toward a correction).
    pub weight: f64,
}

/// The classifier's verdict on one text, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Teaching {
    pub teaching: bool,
    /// The model's probability that the text teaches.
    pub probability: f64,
    /// The threshold it was compared with.
    pub threshold: f64,
    /// The log-odds before any signal (the model's bias).
    pub bias: f64,
    /// Every signal found, the ones that moved the verdict most first.
    pub signals: Vec<SignalHit>,
    /// Signals that count toward teaching and were not found, the strongest first.
    pub missing: Vec<String>,
}

impl Teaching {
    /// How many different groups of signals that count toward teaching (positive
    /// weight) the text shows.
    pub fn teaching_groups(&self) -> usize {
        teaching_groups(&self.signals)
    }

    /// One line for people: the verdict, its probability and what moved it.
    pub fn explain(&self) -> String {
        let moved: Vec<String> = self
            .signals
            .iter()
            .map(|s| format!("{} {:+.1} (\"{}\")", s.kind, s.weight, s.text))
            .collect();
        format!(
            "{} ({:.0}% against a threshold of {:.0}%){}",
            if self.teaching { "teaches" } else { "corrects" },
            self.probability * 100.0,
            self.threshold * 100.0,
            if moved.is_empty() {
                "; no signal found".to_string()
            } else {
                format!("; moved by {}", moved.join(", "))
            }
        )
    }
}

/// How many different groups the signals with a positive weight come from.
pub fn teaching_groups(signals: &[SignalHit]) -> usize {
    let mut groups: Vec<&str> = signals
        .iter()
        .filter(|s| s.weight > 0.0)
        .map(|s| s.group.as_str())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    groups.len()
}

/// A word match: its token range, the list entry, and the `with` match beside it.
type WordMatch<'a> = (Range<usize>, &'a str, Option<Range<usize>>);

/// A comment read once: its prose tokens, the sentence of each token, which
/// sentences are questions, where each sentence starts, its links and length.
struct Reading {
    tokens: Vec<Token>,
    sentence_of: Vec<usize>,
    question: Vec<bool>,
    /// Per sentence: the index of its first token (after a Conventional Comments label).
    first_token: Vec<Option<usize>>,
    links: Vec<Range<usize>>,
    code_block: Option<Range<usize>>,
    words: usize,
}

fn read(text: &str) -> Reading {
    let mut prose = blank_code(text);
    let links: Vec<Range<usize>> = URL
        .as_ref()
        .map(|re| re.find_iter(text).map(|m| m.range()).collect())
        .unwrap_or_default();
    for link in &links {
        // Links are ASCII up to their first non-URL character; blank them byte for
        // byte so every offset still points into `text`.
        if let Some(piece) = prose.get(link.clone()) {
            let blank = " ".repeat(piece.len());
            prose.replace_range(link.clone(), &blank);
        }
    }
    let label_end = Label::end(text).unwrap_or(0);
    let tokens: Vec<Token> = tokens(&prose);
    let spans = sentences(&prose);
    let mut sentence_of = Vec::with_capacity(tokens.len());
    let mut k = 0;
    for t in &tokens {
        while k + 1 < spans.len() && spans[k].span.end <= t.span.start {
            k += 1;
        }
        sentence_of.push(k);
    }
    let question: Vec<bool> = spans
        .iter()
        .map(|s| s.text(&prose).trim_end().ends_with('?'))
        .collect();
    let mut first_token: Vec<Option<usize>> = vec![None; spans.len()];
    for (i, t) in tokens.iter().enumerate() {
        if t.span.start < label_end {
            continue;
        }
        if let Some(slot) = first_token.get_mut(sentence_of[i])
            && slot.is_none()
        {
            *slot = Some(i);
        }
    }
    let words = tokens.iter().filter(|t| t.span.start >= label_end).count();
    let code_block = fence(text);
    Reading {
        tokens,
        sentence_of,
        question,
        first_token,
        links,
        code_block,
        words,
    }
}

/// The first fenced code block's opening line.
fn fence(text: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            return Some(offset..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// Whether a token is a number in the prose (not a line number such as "line 40").
fn is_number(tokens: &[Token], i: usize) -> bool {
    let starts_with_digit = tokens[i]
        .text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit());
    let after_line = i > 0 && matches!(tokens[i - 1].text.as_str(), "line" | "lines" | "l");
    starts_with_digit && !after_line
}

impl SignalKind {
    /// The evidence for this signal in a reading, if it is present.
    fn find(&self, text: &str, r: &Reading) -> Option<SignalHit> {
        if self.max_words.is_some_and(|max| r.words > max)
            || self.min_words.is_some_and(|min| r.words < min)
        {
            return None;
        }
        let hit = |shown: String, entry: String| SignalHit {
            kind: self.id.clone(),
            group: self.group.clone(),
            text: shown,
            entry,
            weight: 0.0,
        };
        let mut found: Option<SignalHit> = None;
        if !self.compiled.is_empty() {
            let with_sentences: Option<Vec<Option<Range<usize>>>> = if self.with_compiled.is_empty()
            {
                None
            } else {
                let mut per_sentence: Vec<Option<Range<usize>>> = vec![None; r.question.len()];
                for p in &self.with_compiled {
                    for m in p.find_all_tokens(&r.tokens) {
                        let s = r.sentence_of[m.start];
                        if let Some(slot) = per_sentence.get_mut(s)
                            && slot.is_none()
                        {
                            *slot = Some(m);
                        }
                    }
                }
                Some(per_sentence)
            };
            let mut best: Option<WordMatch> = None;
            for p in &self.compiled {
                for m in p.find_all_tokens(&r.tokens) {
                    let s = r.sentence_of[m.start];
                    if self.questions && !r.question.get(s).copied().unwrap_or(false) {
                        continue;
                    }
                    if self.first_word && r.first_token.get(s).copied().flatten() != Some(m.start) {
                        continue;
                    }
                    let partner = match &with_sentences {
                        None => None,
                        Some(per) => match per.get(s).cloned().flatten() {
                            Some(w) if w.start != m.start => Some(w),
                            _ => continue,
                        },
                    };
                    if best.as_ref().is_none_or(|(b, _, _)| m.start < b.start) {
                        best = Some((m, p.entry.as_str(), partner));
                    }
                    break;
                }
            }
            let (m, entry, partner) = best?;
            let span = r.tokens[m.start].span.start..r.tokens[m.end - 1].span.end;
            let mut shown = excerpt(text, &span);
            if let Some(w) = partner {
                let wspan = r.tokens[w.start].span.start..r.tokens[w.end - 1].span.end;
                shown = format!("{shown} … {}", excerpt(text, &wspan));
            }
            found = Some(hit(shown, entry.to_string()));
        }
        if self.urls {
            let link = r.links.first()?;
            found = found.or_else(|| {
                Some(hit(
                    text.get(link.clone()).unwrap_or_default().to_string(),
                    "link".to_string(),
                ))
            });
        }
        if self.numbers {
            let i = (0..r.tokens.len()).find(|&i| is_number(&r.tokens, i))?;
            found = found.or_else(|| Some(hit(r.tokens[i].text.clone(), "number".to_string())));
        }
        if self.code_block {
            let f = r.code_block.clone()?;
            found = found.or_else(|| Some(hit(excerpt(text, &f), "code block".to_string())));
        }
        found.or_else(|| {
            let entry = match (self.min_words, self.max_words) {
                (Some(min), Some(max)) => format!("{min}–{max} words"),
                (Some(min), None) => format!("≥ {min} words"),
                (None, Some(max)) => format!("≤ {max} words"),
                (None, None) => return None,
            };
            Some(hit(format!("{} words", r.words), entry))
        })
    }
}

impl TeachingRules {
    /// The signals present in a text, in the order of the signals file, with no
    /// weight yet. Words inside code (backticks or fenced blocks) and inside links do
    /// not count.
    pub fn signals_in(&self, text: &str) -> Vec<SignalHit> {
        let reading = read(text);
        self.signals
            .iter()
            .filter_map(|kind| kind.find(text, &reading))
            .collect()
    }

    /// Classify a text with the teaching model. Without a model (signals parsed with
    /// `parse_signals`) every text is a correction with probability 0.
    pub fn classify(&self, text: &str) -> Teaching {
        let mut signals = self.signals_in(text);
        let Some(model) = &self.model else {
            return Teaching {
                teaching: false,
                probability: 0.0,
                threshold: 1.0,
                bias: 0.0,
                missing: Vec::new(),
                signals,
            };
        };
        for s in &mut signals {
            s.weight = model.weight(&s.kind);
        }
        let log_odds = model.bias + signals.iter().map(|s| s.weight).sum::<f64>();
        let p = probability(log_odds);
        signals.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        let mut missing: Vec<(&str, f64)> = self
            .signals
            .iter()
            .map(|k| (k.id.as_str(), model.weight(&k.id)))
            .filter(|(id, w)| *w > 0.0 && !signals.iter().any(|s| s.kind == *id))
            .collect();
        missing.sort_by(|a, b| b.1.total_cmp(&a.1));
        Teaching {
            teaching: p >= model.threshold,
            probability: p,
            threshold: model.threshold,
            bias: model.bias,
            signals,
            missing: missing.into_iter().map(|(id, _)| id.to_string()).collect(),
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

    fn kinds(text: &str) -> Vec<String> {
        ReviewSignals::default_signals()
            .expect("default signals")
            .teaching
            .signals_in(text)
            .into_iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn a_bare_correction_does_not_teach() {
        for text in [
            "This will cause N+1 queries.",
            "Wrong. Use eager loading here instead.",
            "Use prefetch_related.",
        ] {
            let t = classify(text);
            assert!(!t.teaching, "{text}: {}", t.explain());
        }
    }

    #[test]
    fn the_specs_lesson_teaches_and_lists_what_moved_it() {
        let t = classify(
            "Each pass of this loop runs one more query because `order.customer` is loaded \
             lazily, so a page of 200 orders costs 201 round trips; at ten times today's traffic \
             that saturates the pool. The general pattern is eager loading: \
             https://docs.djangoproject.com/en/5.0/ref/models/querysets/#select-related",
        );
        assert!(t.teaching, "{}", t.explain());
        assert!(t.probability >= t.threshold);
        assert!(
            t.signals
                .iter()
                .any(|s| s.kind == "cause" && s.weight > 0.0)
        );
        assert!(
            t.signals
                .iter()
                .any(|s| s.kind == "reference"
                    && s.text.starts_with("https://docs.djangoproject.com"))
        );
        // Sorted by how much each moved the verdict.
        let moved: Vec<f64> = t.signals.iter().map(|s| s.weight.abs()).collect();
        assert!(moved.windows(2).all(|w| w[0] >= w[1]), "{moved:?}");
        assert!(t.explain().starts_with("teaches ("));
    }

    #[test]
    fn words_inside_code_and_links_are_not_prose() {
        let k = kinds("Use `because_of_load()` here:\n```\nlet why = load();\n```");
        assert!(!k.contains(&"cause".to_string()), "{k:?}");
        let k = kinds("See https://example.com/because/docs/pattern");
        assert!(!k.contains(&"cause".to_string()), "{k:?}");
        assert!(k.contains(&"reference".to_string()), "{k:?}");
    }

    #[test]
    fn a_question_that_leads_is_not_a_request() {
        let k = kinds("What happens to this loop when a customer has 300 orders?");
        assert!(k.contains(&"guiding-question".to_string()), "{k:?}");
        let k = kinds("What happens next is up to you.");
        assert!(!k.contains(&"guiding-question".to_string()), "{k:?}");
    }

    #[test]
    fn a_bare_instruction_is_read_after_a_label() {
        let k = kinds("nit: remove the print");
        assert!(k.contains(&"imperative".to_string()), "{k:?}");
        let k = kinds("The print should go.");
        assert!(!k.contains(&"imperative".to_string()), "{k:?}");
    }
}
