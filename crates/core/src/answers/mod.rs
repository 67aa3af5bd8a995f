//! The written-assessment analyzer: automatic, explainable flags on a candidate's
//! written answers, each resting on one sentence of the answer.
//!
//! - `context-free-absolute` (any question): a sentence states an architecture
//!   opinion as a universal rule (a marker such as "always" or "simply better" and an
//!   architecture topic) and neither it nor the next sentence gives a condition, a
//!   trade-off or a context.
//! - `architecture-decision`: `no-alternatives`, `no-outcome`, `no-hindsight` when
//!   no sentence of the answer names the options weighed, what happened afterwards,
//!   or what the candidate would now change.
//! - `technical-disagreement`: `decision-without-process` when the answer does not
//!   say how the decision was reached, how it was told to the two engineers, or how
//!   it was written down (the flag names the parts missing).
//! - `teaching-review`: `correction-not-lesson` when the review comment the answer
//!   contains (its quoted part, or the whole answer) does not teach, by the same
//!   teaching model the code-review grader uses.
//! - `takes-over` (any question): the candidate's plan is to do the team's work
//!   personally — take the keyboard, fix it themselves, take the incident, the
//!   junior's pull request or the risky ticket over — in a sentence with a
//!   first-person word, no negation before the action ("I'd resist taking the
//!   keyboard") and no stated last resort ("only if customers are still harmed").
//!
//! The word lists are data (`[answers]` in `framework/review-signals.toml`). The
//! question ids are the framework's written-assessment questions; an unknown id is
//! an error that names it. Flags point a reader at a sentence; the reader decides.

use crate::framework::Framework;
use crate::review::signals::{ReviewSignals, WordList};
use crate::review::text::{Pattern, Sentence, excerpt, sentences, tokens};
use crate::source::{Problem, Problems};
use serde::{Deserialize, Serialize};

/// The flags the analyzer can raise.
pub const FLAGS: [&str; 7] = [
    "context-free-absolute",
    "no-alternatives",
    "no-outcome",
    "no-hindsight",
    "decision-without-process",
    "correction-not-lesson",
    "takes-over",
];

/// One answer: a written-assessment question id and the candidate's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub question: String,
    pub text: String,
}

/// A candidate's answers: `{"answers": [{"question", "text"}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    pub answers: Vec<Answer>,
}

/// Why a file of answers cannot be analyzed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswersError {
    #[error("{0}")]
    Unreadable(Problems),
    #[error(
        "answer {index} is for the question `{question}`, which is not a written-assessment question of the framework (its questions: {})",
        known.join(", ")
    )]
    UnknownQuestion {
        index: usize,
        question: String,
        known: Vec<String>,
    },
}

impl Answers {
    /// Parse the JSON file and check every question id against the framework.
    pub fn parse(source: &str, text: &str, framework: &Framework) -> Result<Answers, AnswersError> {
        let text = text.trim_start_matches('\u{feff}');
        let answers: Answers = serde_json::from_str(text).map_err(|e| {
            AnswersError::Unreadable(Problems {
                source: source.to_string(),
                problems: vec![Problem::new(
                    Some(e.line()).filter(|l| *l > 0),
                    "answers",
                    format!("{e} (expected {{\"answers\": [{{\"question\", \"text\"}}]}})"),
                )],
            })
        })?;
        let known: Vec<String> = framework
            .assessment
            .questions
            .iter()
            .map(|q| q.id.clone())
            .collect();
        for (index, a) in answers.answers.iter().enumerate() {
            if !known.contains(&a.question) {
                return Err(AnswersError::UnknownQuestion {
                    index,
                    question: a.question.clone(),
                    known,
                });
            }
        }
        Ok(answers)
    }
}

/// One flag and the sentence it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// One of [`FLAGS`].
    pub id: &'static str,
    /// The sentence of the answer the flag rests on.
    pub evidence: String,
    /// Its 1-based line in the answer's text.
    pub line: usize,
    /// Why the flag was raised, in one sentence.
    pub reason: String,
    /// The framework red flag a reader may want to confirm.
    pub red_flag: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerResult {
    pub question: String,
    pub flags: Vec<Flag>,
}

/// The analysis of every answer, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerReport {
    pub answers: Vec<AnswerResult>,
}

struct Read<'a> {
    text: &'a str,
    sentences: Vec<Sentence>,
}

impl<'a> Read<'a> {
    fn new(text: &'a str) -> Self {
        Read {
            text,
            sentences: sentences(text),
        }
    }

    fn sentence(&self, k: usize) -> &'a str {
        self.sentences.get(k).map_or("", |s| s.text(self.text))
    }

    /// The first sentence containing one of the list's words, with its index.
    fn first_with(&self, list: &WordList) -> Option<usize> {
        (0..self.sentences.len()).find(|&k| has(self.sentence(k), &list.compiled))
    }

    /// The sentence a whole-answer flag rests on: the first one stating a decision,
    /// else the first sentence.
    fn decision_or_first(&self, decision: &WordList) -> usize {
        self.first_with(decision).unwrap_or(0)
    }

    fn flag(&self, id: &'static str, k: usize, reason: String, red_flag: &'static str) -> Flag {
        Flag {
            id,
            evidence: self.sentence(k).to_string(),
            line: self.sentences.get(k).map_or(1, |s| s.line),
            reason,
            red_flag,
        }
    }
}

fn has(text: &str, patterns: &[Pattern]) -> bool {
    let toks = tokens(text);
    patterns.iter().any(|p| p.find(&toks).is_some())
}

fn first_match(text: &str, patterns: &[Pattern]) -> Option<String> {
    let toks = tokens(text);
    patterns
        .iter()
        .filter_map(|p| p.find(&toks))
        .min_by_key(|span| span.start)
        .map(|span| excerpt(text, &span))
}

/// Analyze every answer.
pub fn analyze(answers: &Answers, signals: &ReviewSignals) -> AnswerReport {
    AnswerReport {
        answers: answers
            .answers
            .iter()
            .map(|a| AnswerResult {
                question: a.question.clone(),
                flags: analyze_one(&a.question, &a.text, signals),
            })
            .collect(),
    }
}

/// The flags for one answer to the question `question`.
pub fn analyze_one(question: &str, text: &str, signals: &ReviewSignals) -> Vec<Flag> {
    let rules = &signals.answers;
    let read = Read::new(text);
    let mut flags = absolutes(&read, signals);
    if read.sentences.is_empty() {
        return flags;
    }
    if let Some(flag) = takes_over(&read, question, signals) {
        flags.push(flag);
    }
    match question {
        "architecture-decision" => {
            let at = read.decision_or_first(&rules.decision);
            for (id, list, missing) in [
                (
                    "no-alternatives",
                    &rules.alternatives,
                    "no sentence names an option that was weighed and set aside",
                ),
                (
                    "no-outcome",
                    &rules.outcome,
                    "no sentence says what happened after the decision",
                ),
                (
                    "no-hindsight",
                    &rules.hindsight,
                    "no sentence says what the candidate would now do differently",
                ),
            ] {
                if read.first_with(list).is_none() {
                    flags.push(read.flag(id, at, missing.to_string(), "decision-without-process"));
                }
            }
        }
        "technical-disagreement" => {
            let p = &rules.process;
            let missing: Vec<&str> = [
                ("how it was reached", &p.reached),
                ("how it was told to the engineers", &p.communicated),
                ("how it was written down", &p.documented),
            ]
            .into_iter()
            .filter(|(_, list)| read.first_with(list).is_none())
            .map(|(what, _)| what)
            .collect();
            if !missing.is_empty() {
                let at = read.decision_or_first(&rules.decision);
                flags.push(read.flag(
                    "decision-without-process",
                    at,
                    format!("the answer does not say {}", missing.join(", nor ")),
                    "decision-without-process",
                ));
            }
        }
        "teaching-review" => {
            let comment = quoted_comment(text);
            let body = comment.as_deref().unwrap_or(text);
            let verdict = signals.teaching.classify(body);
            if !verdict.teaching {
                let reason = format!(
                    "the {} reads as a correction: {}",
                    if comment.is_some() {
                        "quoted review comment"
                    } else {
                        "answer"
                    },
                    verdict.explain()
                );
                // The first sentence that starts on or after the first quoted line.
                let evidence_at = comment
                    .as_ref()
                    .and_then(|_| {
                        let quoted_line =
                            text.lines().position(|l| l.trim_start().starts_with('>'))? + 1;
                        read.sentences.iter().position(|s| s.line >= quoted_line)
                    })
                    .unwrap_or(0);
                flags.push(read.flag(
                    "correction-not-lesson",
                    evidence_at,
                    reason,
                    "corrects-without-teaching",
                ));
            }
        }
        _ => {}
    }
    flags
}

/// `context-free-absolute`: a marker and a topic in one sentence, and no condition
/// in it or in the next sentence.
fn absolutes(read: &Read<'_>, signals: &ReviewSignals) -> Vec<Flag> {
    let rules = &signals.answers.absolute;
    let mut out = Vec::new();
    for k in 0..read.sentences.len() {
        let s = read.sentence(k);
        let Some(marker) = first_match(s, &rules.markers.compiled) else {
            continue;
        };
        let Some(topic) = first_match(s, &rules.topics.compiled) else {
            continue;
        };
        let conditioned = has(s, &rules.conditions.compiled)
            || has(read.sentence(k + 1), &rules.qualifiers.compiled);
        if !conditioned {
            out.push(read.flag(
                "context-free-absolute",
                k,
                format!(
                    "\"{marker}\" about {topic} with no condition, trade-off or context in this sentence or the next"
                ),
                "context-free-absolutes",
            ));
        }
    }
    out
}

/// `takes-over`: the first sentence in which the candidate does the team's work
/// personally, with the action it rests on.
fn takes_over(read: &Read<'_>, question: &str, signals: &ReviewSignals) -> Option<Flag> {
    let rules = &signals.answers.take_over;
    for k in 0..read.sentences.len() {
        let sentence = read.sentence(k);
        let toks = tokens(sentence);
        let Some(action) = rules
            .actions
            .compiled
            .iter()
            .filter_map(|p| p.find(&toks).map(|span| (span, p)))
            .min_by_key(|(span, _)| span.start)
        else {
            continue;
        };
        let first_person = has(sentence, &rules.first_person.compiled);
        let negated = rules
            .negations
            .compiled
            .iter()
            .flat_map(|p| p.find_all(&toks))
            .any(|n| n.start < action.0.start);
        let last_resort = has(sentence, &rules.last_resort.compiled);
        let own_work = has(sentence, &rules.own_work.compiled);
        if !first_person || negated || last_resort || own_work {
            continue;
        }
        let red_flag = if question == "incident-guidance" {
            "takes-over-incidents"
        } else {
            "hoards-context"
        };
        return Some(read.flag(
            "takes-over",
            k,
            format!(
                "\"{}\": the candidate would do the work personally instead of guiding the engineer whose work it is",
                excerpt(sentence, &action.0)
            ),
            red_flag,
        ));
    }
    None
}

/// The review comment inside a `teaching-review` answer: its block-quoted lines
/// (`> ...`) or a fenced block, when the answer quotes the comment it would write.
fn quoted_comment(text: &str) -> Option<String> {
    let quoted: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix('>'))
        .map(str::trim)
        .collect();
    let joined = quoted.join("\n");
    if joined.split_whitespace().count() >= 5 {
        return Some(joined);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals() -> ReviewSignals {
        ReviewSignals::default_signals().expect("default signals")
    }

    fn ids(question: &str, text: &str) -> Vec<&'static str> {
        analyze_one(question, text, &signals())
            .iter()
            .map(|f| f.id)
            .collect()
    }

    #[test]
    fn a_universal_architecture_rule_is_flagged_with_its_sentence() {
        let flags = analyze_one(
            "sprint-risk",
            "We met on Monday.\nMicroservices are always the right call. Then we planned.",
            &signals(),
        );
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].id, "context-free-absolute");
        assert_eq!(
            flags[0].evidence,
            "Microservices are always the right call."
        );
        assert_eq!(flags[0].line, 2);
    }

    #[test]
    fn a_conditioned_opinion_is_not_flagged() {
        assert!(
            ids(
                "sprint-risk",
                "I always start with a monolith when the team is small."
            )
            .is_empty()
        );
        assert!(
            ids(
                "sprint-risk",
                "I would never split the monolith. At our scale the cost of operating services outweighs it."
            )
            .is_empty()
        );
        // an absolute about something that is not architecture is not an opinion on it
        assert!(ids("sprint-risk", "I always read the incident log first.").is_empty());
    }

    #[test]
    fn an_architecture_decision_without_alternatives_outcome_or_hindsight_is_flagged() {
        let got = ids(
            "architecture-decision",
            "We decided to move billing to its own service. The team built it in a quarter.",
        );
        assert_eq!(got, vec!["no-alternatives", "no-outcome", "no-hindsight"]);
        let full = ids(
            "architecture-decision",
            "We weighed three options and rejected a rewrite because of the deadline. \
             We decided on a module boundary. Six months later deploys were twice as frequent. \
             In hindsight I would have involved the data team earlier.",
        );
        assert!(full.is_empty(), "{full:?}");
    }

    #[test]
    fn a_disagreement_settled_by_verdict_names_the_missing_process() {
        let flags = analyze_one(
            "technical-disagreement",
            "I would pick the monolith module. It is simpler, so I'd tell them that is final.",
            &signals(),
        );
        let f = flags
            .iter()
            .find(|f| f.id == "decision-without-process")
            .expect("flag");
        assert!(f.reason.contains("reached"), "{}", f.reason);
        assert!(f.reason.contains("written down"), "{}", f.reason);
        assert!(f.evidence.starts_with("I would pick"), "{}", f.evidence);
    }

    #[test]
    fn a_quoted_comment_that_only_corrects_is_not_a_lesson() {
        let text = "I'd keep it short and friendly:\n\n> This is an N+1, switch to select_related.\n> Thanks!";
        let flags = analyze_one("teaching-review", text, &signals());
        let f = flags
            .iter()
            .find(|f| f.id == "correction-not-lesson")
            .expect("flag");
        assert!(f.evidence.contains("N+1"), "{}", f.evidence);
        assert!(f.reason.contains("quoted review comment"), "{}", f.reason);
    }

    #[test]
    fn unknown_question_ids_are_named() {
        let fw = Framework::default_framework().expect("framework");
        let err = Answers::parse(
            "a.json",
            r#"{"answers": [{"question": "architecture-decision", "text": "x"}, {"question": "favourite-colour", "text": "blue"}]}"#,
            &fw,
        )
        .expect_err("unknown id");
        let message = err.to_string();
        assert!(message.contains("favourite-colour"), "{message}");
        assert!(message.contains("teaching-review"), "{message}");
        let err = Answers::parse("a.json", "{\"answers\": [\n{\"q\": 1}]}", &fw).expect_err("bad");
        assert!(matches!(err, AnswersError::Unreadable(ref p) if p.problems[0].line == Some(2)));
    }
}
