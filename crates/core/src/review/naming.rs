//! Which planted issues a piece of prose names, by their concepts: the rule the
//! grader uses for a review's summary, and the one `exercise check` uses to warn when
//! a written-assessment question gives an exercise away.
//!
//! Prose has no line to sit on, so it must say more than a comment: an issue is named
//! when one sentence mentions at least `matching.summary_min_concepts` of its
//! concepts, or when a sentence mentions one and the next sentence of the same
//! paragraph (not the next list item) mentions another — then both sentences must be
//! about that issue at least as much as about any other (a sentence on the SQL
//! injection followed by one on the PDF endpoint does not name the PDF tests, though
//! "injection" and "pdf" are both their concepts). "The order loop hits the
//! database once per order. Prefetch the lines." names the N+1 across two sentences;
//! "We should join the team lunch." (one concept, nothing after it) does not.

use super::exercise::{Exercise, Issue};
use super::signals::Matching;
use super::text::{Pattern, Sentence, sentences, tokens};
use crate::framework::AssessmentQuestion;
use serde::Serialize;

/// An issue's concepts, compiled.
pub(crate) struct IssueConcepts<'a> {
    pub issue: &'a Issue,
    patterns: Vec<Pattern>,
    /// The concepts no other issue of the exercise lists.
    distinctive: Vec<String>,
}

impl IssueConcepts<'_> {
    /// The distinct concepts found in a text.
    pub fn found(&self, text: &str) -> Vec<String> {
        let toks = tokens(text);
        self.patterns
            .iter()
            .filter(|p| p.find(&toks).is_some())
            .map(|p| p.entry.clone())
            .collect()
    }
}

/// Compile every issue's concepts (words from `prefix_from` letters match as prefixes).
pub(crate) fn issue_concepts(issues: &[Issue], prefix_from: usize) -> Vec<IssueConcepts<'_>> {
    issues
        .iter()
        .map(|issue| IssueConcepts {
            issue,
            patterns: issue
                .concepts
                .iter()
                .map(|c| Pattern::new(c, Some(prefix_from)))
                .collect(),
            distinctive: issue
                .concepts
                .iter()
                .filter(|c| {
                    !issues
                        .iter()
                        .any(|other| other.id != issue.id && other.concepts.contains(c))
                })
                .cloned()
                .collect(),
        })
        .collect()
}

/// One sentence of prose: its text, line, the concepts of each issue it mentions
/// (in the order of the issues), and whether the next sentence continues its
/// paragraph.
pub(crate) struct ProseSentence {
    pub text: String,
    pub line: usize,
    pub found: Vec<Vec<String>>,
    /// Per issue: whether one of the concepts found is distinctive to it.
    pub distinctive: Vec<bool>,
    pub joins_next: bool,
    /// Whether the sentence ranks what it lists (a priority word, a label, or the
    /// lead-in above it), set by the reader that knows the priority rules.
    pub ranks: bool,
}

/// Read prose into sentences with the concepts each mentions.
pub(crate) fn read_prose(text: &str, concepts: &[IssueConcepts]) -> Vec<ProseSentence> {
    let all: Vec<Sentence> = sentences(text);
    all.iter()
        .enumerate()
        .map(|(k, s)| {
            let body = s.text(text);
            let joins_next = all.get(k + 1).is_some_and(|next| {
                let gap = text.get(s.span.end..next.span.start).unwrap_or_default();
                let next_text = next.text(text);
                gap.matches('\n').count() < 2
                    && !(next_text.starts_with("- ")
                        || next_text.starts_with("* ")
                        || next_text
                            .split_once(". ")
                            .is_some_and(|(n, _)| n.chars().all(|d| d.is_ascii_digit())))
            });
            let found: Vec<Vec<String>> = concepts.iter().map(|c| c.found(body)).collect();
            let distinctive = concepts
                .iter()
                .zip(&found)
                .map(|(c, f)| f.iter().any(|x| c.distinctive.contains(x)))
                .collect();
            ProseSentence {
                text: body.to_string(),
                line: s.line,
                found,
                distinctive,
                joins_next,
                ranks: false,
            }
        })
        .collect()
}

/// Where prose names an issue: the sentence (with the next one when the naming
/// spans two) and the concepts mentioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Naming {
    /// Index of the first sentence.
    pub sentence: usize,
    /// The sentence, or the two sentences, that name the issue.
    pub text: String,
    pub line: usize,
    pub concepts: Vec<String>,
}

/// Whether issue number `issue` is (one of) the issues sentence `s` mentions most.
/// A sentence about the SQL injection that also says "PDF" is not about the PDF
/// tests, though "pdf" is one of their concepts.
fn leads(s: &ProseSentence, issue: usize) -> bool {
    let mine = s.found.get(issue).map_or(0, Vec::len);
    mine > 0 && s.found.iter().all(|other| other.len() <= mine)
}

/// Whether the sentence mentions issue number `issue` more than any other issue:
/// more of its concepts, or as many but in more words ("account id" says more than
/// "pdf").
fn strictly_leads(s: &ProseSentence, issue: usize) -> bool {
    let weight = |found: &Vec<String>| {
        (
            found.len(),
            found
                .iter()
                .map(|c| c.split_whitespace().count())
                .sum::<usize>(),
        )
    };
    let Some(mine) = s.found.get(issue).map(weight) else {
        return false;
    };
    mine.0 > 0
        && s.found
            .iter()
            .enumerate()
            .all(|(k, other)| k == issue || weight(other) < mine)
}

/// The first place the prose names issue number `issue`: a sentence with at least
/// `min_concepts` of its concepts, or two sentences of one paragraph that together
/// have them, each mentioning this issue at least as much as any other (a sentence
/// listing several issues names each that it gives enough concepts; a naming across
/// two sentences must be what both are about).
pub(crate) fn naming(prose: &[ProseSentence], issue: usize, min_concepts: usize) -> Option<Naming> {
    for (k, s) in prose.iter().enumerate() {
        let here = s.found.get(issue).map(Vec::as_slice).unwrap_or_default();
        if here.is_empty() {
            continue;
        }
        let ranked_mention = s.ranks
            && s.distinctive.get(issue).copied().unwrap_or(false)
            && strictly_leads(s, issue);
        if here.len() >= min_concepts || ranked_mention {
            return Some(Naming {
                sentence: k,
                text: s.text.clone(),
                line: s.line,
                concepts: here.to_vec(),
            });
        }
        if s.joins_next
            && leads(s, issue)
            && let Some(next) = prose.get(k + 1)
            && leads(next, issue)
        {
            let mut both: Vec<String> = here.to_vec();
            for c in next.found.get(issue).into_iter().flatten() {
                if !both.contains(c) {
                    both.push(c.clone());
                }
            }
            if both.len() >= min_concepts {
                return Some(Naming {
                    sentence: k,
                    text: format!("{} {}", s.text, next.text),
                    line: s.line,
                    concepts: both,
                });
            }
        }
    }
    None
}

/// A planted issue of an exercise that a written-assessment question names: a
/// candidate who answered that question knows what to look for in the exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionOverlap {
    /// The written-assessment question's id.
    pub question: String,
    /// The planted issue's id and title.
    pub issue: String,
    pub title: String,
    /// The sentence of the question's prompt that names it, and its line in the prompt.
    pub sentence: String,
    pub line: usize,
    pub concepts: Vec<String>,
}

impl QuestionOverlap {
    /// One sentence for a person.
    pub fn message(&self) -> String {
        format!(
            "the written question `{}` names the planted issue `{}` ({}) in \"{}\" (concepts: {}); a candidate who answered it knows what to look for",
            self.question,
            self.issue,
            self.title,
            self.sentence,
            self.concepts.join(", ")
        )
    }
}

/// Every planted issue of `exercise` that a written question names, by the same rule
/// as a review's summary (each question's title and prompt are read as prose).
pub fn questions_naming(
    exercise: &Exercise,
    questions: &[AssessmentQuestion],
    matching: &Matching,
) -> Vec<QuestionOverlap> {
    let concepts = issue_concepts(&exercise.issues, matching.concept_prefix_from);
    let mut out = Vec::new();
    for q in questions {
        let text = format!("{}\n\n{}", q.title.trim(), q.prompt.trim());
        let prose = read_prose(&text, &concepts);
        for (i, c) in concepts.iter().enumerate() {
            if let Some(n) = naming(&prose, i, matching.summary_min_concepts) {
                out.push(QuestionOverlap {
                    question: q.id.clone(),
                    issue: c.issue.id.clone(),
                    title: c.issue.title.clone(),
                    sentence: n.text,
                    // Line 1 is the title; the prompt starts on line 3.
                    line: n.line.saturating_sub(2).max(1),
                    concepts: n.concepts,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Framework;
    use crate::review::{BUILTIN, ReviewSignals};

    fn matching() -> Matching {
        ReviewSignals::default_signals()
            .map(|s| s.matching)
            .expect("default signals")
    }

    fn question(prompt: &str) -> AssessmentQuestion {
        AssessmentQuestion {
            id: "teaching-review".into(),
            title: "A review".into(),
            prompt: prompt.into(),
            signals: Vec::new(),
            strong_answer: Vec::new(),
        }
    }

    #[test]
    fn the_default_questions_name_no_planted_issue_of_any_builtin_exercise() {
        let framework = Framework::default_framework().expect("framework");
        for b in BUILTIN {
            let ex = b.load().expect("builtin loads");
            let overlaps = questions_naming(&ex, &framework.assessment.questions, &matching());
            assert!(
                overlaps.is_empty(),
                "{}: {:#?}",
                b.slug,
                overlaps
                    .iter()
                    .map(QuestionOverlap::message)
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn a_question_that_describes_the_planted_issues_is_caught_with_its_sentence() {
        let ex = BUILTIN[0].load().expect("orders");
        let q = question(
            "The pull request works.\nIt has an N+1 query on a hot path, one query per order.\n\
             It also has a configuration value hard-coded instead of read from the environment.",
        );
        let overlaps = questions_naming(&ex, &[q], &matching());
        let ids: Vec<&str> = overlaps.iter().map(|o| o.issue.as_str()).collect();
        assert_eq!(ids, vec!["n-plus-one", "hard-coded-config"]);
        assert_eq!(overlaps[0].line, 2);
        assert!(overlaps[0].sentence.contains("N+1"));
        assert!(overlaps[0].message().contains("`teaching-review`"));
    }

    #[test]
    fn a_naming_may_span_two_sentences_of_a_paragraph_but_not_two_list_items() {
        let ex = BUILTIN[0].load().expect("orders");
        let concepts = issue_concepts(&ex.issues, 4);
        let prose = read_prose(
            "The loop runs once per order. Prefetch the lines.",
            &concepts,
        );
        let n = naming(&prose, 0, 2).expect("named across two sentences");
        assert_eq!(n.concepts, vec!["per order", "prefetch"]);
        let prose = read_prose("- loop per order\n- prefetch later", &concepts);
        assert!(naming(&prose, 0, 2).is_none());
        let prose = read_prose("We should join the team lunch.", &concepts);
        assert!(naming(&prose, 0, 2).is_none());
    }
}
