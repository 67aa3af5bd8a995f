//! The grader's and the analyzer's tunable data: concept-matching thresholds, the
//! teaching signals (the features of the teaching model), the priority words and
//! order, the score thresholds and the answer analyzer's word lists. Shipped as
//! `framework/review-signals.toml`, embedded as [`DEFAULT_SIGNALS_TOML`], loaded and
//! validated with line numbers. The teaching model's weights live beside it in
//! `framework/teaching-model.toml` ([`TeachingModel`]); the two are checked against
//! each other when loaded.

use super::exercise::Category;
use super::teaching_model::{
    DEFAULT_TEACHING_MODEL_SOURCE, DEFAULT_TEACHING_MODEL_TOML, TeachingModel,
};
use super::text::{Pattern, entry_problem, patterns};
use crate::source::{Position, Problem, Problems, toml_problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;

/// The default signals, as shipped.
pub const DEFAULT_SIGNALS_TOML: &str = include_str!("../../../../framework/review-signals.toml");
pub const DEFAULT_SIGNALS_SOURCE: &str = "<embedded default review signals>";

#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct SignalsError(pub Problems);

/// Where a comment must be, and what it must say, to count for a planted issue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matching {
    /// A comment counts at a place when its line is within this many lines of the
    /// place's first to last line.
    pub line_tolerance: u32,
    /// Concept words at least this long also match longer words ("eager load" →
    /// "eager loading"); shorter ones match whole words only.
    pub concept_prefix_from: usize,
    /// Distinct concepts of an issue a comment at its place must mention.
    pub comment_min_concepts: usize,
    /// Distinct concepts of an issue one summary sentence must mention to name it.
    pub summary_min_concepts: usize,
}

/// One teaching signal: a feature of the teaching model, such as "gives a cause" or
/// "starts with a bare instruction". It is present in a comment when every condition
/// it sets holds: one of `words` (restricted by `with`, `questions`, `first_word`), a
/// link (`urls`), a number (`numbers`), a code block (`code_block`), and the comment's
/// length within `min_words`..=`max_words`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalKind {
    pub id: String,
    pub name: String,
    /// The group it belongs to (`why`, `impact`, `pattern`, `reference`, `question`,
    /// `form`, or one of your own); `min_kinds` counts groups.
    pub group: String,
    #[serde(default)]
    pub words: Vec<String>,
    /// Another list, one of which must appear in the same sentence as the word.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    /// Only words in a sentence that ends with a question mark count.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub questions: bool,
    /// Only words that start a sentence (after a Conventional Comments label) count.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_word: bool,
    /// Whether a link (http:// or https://) is this signal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub urls: bool,
    /// Whether a number in the prose (not in code) is this signal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub numbers: bool,
    /// Whether a fenced code block (a suggestion block) is this signal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub code_block: bool,
    /// The comment has at most this many words of prose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_words: Option<usize>,
    /// The comment has at least this many words of prose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_words: Option<usize>,
    #[serde(skip)]
    pub(crate) compiled: Vec<Pattern>,
    #[serde(skip)]
    pub(crate) with_compiled: Vec<Pattern>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeachingRules {
    /// For the top teaching score, a comment that teaches on a material issue shows
    /// signals that count toward teaching (positive weight) from at least this many
    /// different groups.
    pub min_kinds: usize,
    #[serde(rename = "signal")]
    pub signals: Vec<SignalKind>,
    /// The weights (from `framework/teaching-model.toml`).
    #[serde(skip)]
    pub model: Option<TeachingModel>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityRules {
    /// Categories from most to least important; categories in one group rank equal.
    pub order: Vec<Vec<Category>>,
    /// Words that mark a point as must-fix.
    pub high: Vec<String>,
    /// Words that mark a point as optional or minor. A high word inside a low phrase
    /// ("non-blocking") does not count.
    pub low: Vec<String>,
    /// Conventional Comments labels that mark a point as must-fix unless its words
    /// say otherwise (`issue:`).
    #[serde(default = "default_high_labels")]
    pub high_labels: Vec<String>,
    /// Labels that mark a point as minor (`nit:`, `typo:`).
    #[serde(default = "default_low_labels")]
    pub low_labels: Vec<String>,
    #[serde(skip)]
    pub(crate) high_compiled: Vec<Pattern>,
    #[serde(skip)]
    pub(crate) low_compiled: Vec<Pattern>,
}

impl PriorityRules {
    /// 0 is most important. Every category is ranked (checked on load).
    pub fn rank(&self, category: Category) -> usize {
        self.order
            .iter()
            .position(|group| group.contains(&category))
            .unwrap_or(self.order.len())
    }
}

fn default_high_labels() -> Vec<String> {
    vec!["issue".to_string(), "todo".to_string()]
}

fn default_low_labels() -> Vec<String> {
    ["nitpick", "nit", "typo", "polish", "quibble"]
        .map(String::from)
        .to_vec()
}

/// How much each part of prioritisation weighs in its 1–4 score.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityWeights {
    /// The share of material issues found.
    pub coverage: f64,
    /// Issues raised in order of importance.
    pub order: f64,
    /// Priorities (labels, words) that match each issue's severity.
    pub labels: f64,
    /// Words spent in proportion to severity.
    pub proportion: f64,
}

fn default_priority_weights() -> PriorityWeights {
    PriorityWeights {
        coverage: 0.3,
        order: 0.25,
        labels: 0.25,
        proportion: 0.2,
    }
}

fn default_proportion_target() -> f64 {
    0.6
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRules {
    /// Share of material issues found for a 3 on "issues".
    pub issues_share_for_3: f64,
    /// Share of the other (minor) issues also found, with every material one, for a 4.
    pub issues_minor_share_for_4: f64,
    /// Share of comments that teach for a 3 on "teaching".
    pub teaching_share_for_3: f64,
    /// Share for a 4 (and at least one comment on a material issue teaches).
    pub teaching_share_for_4: f64,
    /// The weight of each part of the prioritisation score.
    #[serde(default = "default_priority_weights")]
    pub prioritization: PriorityWeights,
    /// The share of the words spent on issues that should go to the material ones
    /// for full marks on proportion.
    #[serde(default = "default_proportion_target")]
    pub proportion_target_share: f64,
}

/// A word list with its compiled patterns.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordList {
    pub words: Vec<String>,
    #[serde(skip)]
    pub(crate) compiled: Vec<Pattern>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsoluteRules {
    /// Words that state a universal rule ("always", "never", "simply better").
    pub markers: WordList,
    /// Architecture topics an absolute must be about to be flagged.
    pub topics: WordList,
    /// Words that give a condition, a trade-off or a context; one in the same
    /// sentence clears the flag.
    pub conditions: WordList,
    /// Words that qualify the claim from the next sentence ("But ...", "It depends
    /// ..."); a context word there ("for our ledger") does not.
    pub qualifiers: WordList,
}

/// `takes-over`: the lead doing the team's work personally.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TakeOverRules {
    /// What taking over looks like ("take the keyboard", "take over", "myself").
    pub actions: WordList,
    /// The candidate as the one acting; one must be in the same sentence.
    pub first_person: WordList,
    /// Before the action in the same sentence, these say the candidate would not.
    pub negations: WordList,
    /// In the same sentence, these make stepping in a stated last resort.
    pub last_resort: WordList,
    /// The lead's own work during an incident (communication, status updates); a
    /// sentence about these is not taking over.
    pub own_work: WordList,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessRules {
    /// How the decision was reached.
    pub reached: WordList,
    /// How it was told to the people involved.
    pub communicated: WordList,
    /// How it was written down.
    pub documented: WordList,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerRules {
    pub absolute: AbsoluteRules,
    /// Sentences that state a decision (the evidence for the flags about decisions).
    pub decision: WordList,
    pub alternatives: WordList,
    pub outcome: WordList,
    pub hindsight: WordList,
    pub process: ProcessRules,
    pub take_over: TakeOverRules,
}

/// Validated signals.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewSignals {
    pub matching: Matching,
    pub teaching: TeachingRules,
    pub priority: PriorityRules,
    pub scores: ScoreRules,
    pub answers: AnswerRules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    matching: Spanned<Matching>,
    teaching: RawTeaching,
    priority: Spanned<PriorityRules>,
    scores: Spanned<ScoreRules>,
    answers: Spanned<AnswerRules>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTeaching {
    min_kinds: Spanned<usize>,
    signal: Vec<Spanned<SignalKind>>,
}

struct Check<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Check<'_> {
    fn fail(&mut self, span: &Range<usize>, field: impl Into<String>, message: impl Into<String>) {
        let line = Position::at(self.text, span.start).line;
        self.problems.push(Problem::new(Some(line), field, message));
    }
    fn words(&mut self, span: &Range<usize>, field: &str, words: &[String], required: bool) {
        if required && words.is_empty() {
            self.fail(span, field, "must list at least one word or phrase");
        }
        for w in words {
            if let Some(message) = entry_problem(w) {
                self.fail(span, field, message);
            }
        }
    }
    fn share(&mut self, span: &Range<usize>, field: &str, value: f64) {
        if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
            self.fail(span, field, "must be a share from 0.0 to 1.0");
        }
    }
}

impl ReviewSignals {
    pub fn default_signals() -> Result<ReviewSignals, SignalsError> {
        ReviewSignals::parse(DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML)
    }

    /// Parse a signals file, with the embedded default teaching model.
    pub fn parse(source: &str, text: &str) -> Result<ReviewSignals, SignalsError> {
        ReviewSignals::parse_with_model(
            source,
            text,
            DEFAULT_TEACHING_MODEL_SOURCE,
            DEFAULT_TEACHING_MODEL_TOML,
        )
    }

    /// Parse a signals file and a teaching model, and check that the model weighs
    /// exactly the signals the file defines.
    pub fn parse_with_model(
        source: &str,
        text: &str,
        model_source: &str,
        model_text: &str,
    ) -> Result<ReviewSignals, SignalsError> {
        let mut signals = ReviewSignals::parse_signals(source, text)?;
        let model = TeachingModel::parse(model_source, model_text)?;
        let ids: Vec<String> = signals
            .teaching
            .signals
            .iter()
            .map(|k| k.id.clone())
            .collect();
        let problems = model.check_signals(model_source, model_text, &ids);
        if !problems.is_empty() {
            return Err(SignalsError(Problems {
                source: model_source.to_string(),
                problems,
            }));
        }
        signals.teaching.model = Some(model);
        Ok(signals)
    }

    /// Parse and validate a signals file alone, without a teaching model: the
    /// training command uses it to compute the signals before any weight exists.
    /// [`TeachingRules::classify`] on such signals calls every comment a correction.
    pub fn parse_signals(source: &str, text: &str) -> Result<ReviewSignals, SignalsError> {
        let fail = |problems| {
            SignalsError(Problems {
                source: source.to_string(),
                problems,
            })
        };
        let raw: Raw = toml::from_str(text).map_err(|e| fail(vec![toml_problem(text, &e)]))?;
        let mut c = Check {
            text,
            problems: Vec::new(),
        };

        let m = raw.matching.get_ref();
        let span = raw.matching.span();
        if m.concept_prefix_from < 2 {
            c.fail(
                &span,
                "matching.concept_prefix_from",
                "must be at least 2 (one-letter prefixes match almost anything)",
            );
        }
        for (name, value) in [
            ("comment_min_concepts", m.comment_min_concepts),
            ("summary_min_concepts", m.summary_min_concepts),
        ] {
            if value == 0 {
                c.fail(&span, format!("matching.{name}"), "must be at least 1");
            }
        }

        let kinds = &raw.teaching.signal;
        let mut ids = BTreeSet::new();
        for kind in kinds {
            let k = kind.get_ref();
            let field = format!("teaching.signal[{}]", k.id);
            if k.id.trim().is_empty()
                || !k.id.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-')
            {
                c.fail(
                    &kind.span(),
                    format!("{field}.id"),
                    "must be a lower-case id (letters and -)",
                );
            }
            if !ids.insert(k.id.clone()) {
                c.fail(&kind.span(), field.clone(), "this id is used twice");
            }
            if k.name.trim().is_empty() {
                c.fail(&kind.span(), format!("{field}.name"), "must not be empty");
            }
            if k.group.trim().is_empty()
                || !k
                    .group
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-')
            {
                c.fail(
                    &kind.span(),
                    format!("{field}.group"),
                    "must be a lower-case id (letters and -)",
                );
            }
            let has_condition = !k.words.is_empty()
                || k.urls
                || k.numbers
                || k.code_block
                || k.max_words.is_some()
                || k.min_words.is_some();
            if !has_condition {
                c.fail(
                    &kind.span(),
                    format!("{field}.words"),
                    "needs words, or one of urls, numbers, code_block, min_words, max_words",
                );
            }
            if k.words.is_empty() && (!k.with.is_empty() || k.questions || k.first_word) {
                c.fail(
                    &kind.span(),
                    format!("{field}.words"),
                    "`with`, `questions` and `first_word` restrict words: give words",
                );
            }
            if k.max_words == Some(0) || k.min_words == Some(0) {
                c.fail(
                    &kind.span(),
                    format!("{field}.max_words"),
                    "word bounds must be at least 1",
                );
            }
            if let (Some(min), Some(max)) = (k.min_words, k.max_words)
                && min > max
            {
                c.fail(
                    &kind.span(),
                    format!("{field}.min_words"),
                    "must not exceed max_words",
                );
            }
            c.words(&kind.span(), &format!("{field}.words"), &k.words, false);
            c.words(&kind.span(), &format!("{field}.with"), &k.with, false);
        }
        let groups: BTreeSet<&str> = kinds.iter().map(|k| k.get_ref().group.as_str()).collect();
        let min = &raw.teaching.min_kinds;
        if *min.get_ref() == 0 || *min.get_ref() > groups.len() {
            c.fail(
                &min.span(),
                "teaching.min_kinds",
                format!(
                    "must be from 1 to the number of signal groups ({})",
                    groups.len()
                ),
            );
        }

        let p = raw.priority.get_ref();
        let span = raw.priority.span();
        let mut seen = BTreeSet::new();
        for group in &p.order {
            if group.is_empty() {
                c.fail(
                    &span,
                    "priority.order",
                    "a group must name at least one category",
                );
            }
            for cat in group {
                if !seen.insert(*cat) {
                    c.fail(
                        &span,
                        "priority.order",
                        format!("`{}` is ranked twice", cat.id()),
                    );
                }
            }
        }
        for cat in Category::ALL {
            if !seen.contains(&cat) {
                c.fail(
                    &span,
                    "priority.order",
                    format!("`{}` is not ranked", cat.id()),
                );
            }
        }
        c.words(&span, "priority.high", &p.high, true);
        c.words(&span, "priority.low", &p.low, true);
        for label in p.high_labels.iter().chain(&p.low_labels) {
            if !super::labels::LABELS.contains(&label.as_str()) {
                c.fail(
                    &span,
                    "priority.high_labels",
                    format!(
                        "`{label}` is not a Conventional Comments label ({})",
                        super::labels::LABELS.join(", ")
                    ),
                );
            }
        }

        let s = raw.scores.get_ref();
        let span = raw.scores.span();
        c.share(&span, "scores.issues_share_for_3", s.issues_share_for_3);
        c.share(
            &span,
            "scores.issues_minor_share_for_4",
            s.issues_minor_share_for_4,
        );
        c.share(&span, "scores.teaching_share_for_3", s.teaching_share_for_3);
        c.share(&span, "scores.teaching_share_for_4", s.teaching_share_for_4);
        c.share(
            &span,
            "scores.proportion_target_share",
            s.proportion_target_share,
        );
        let w = &s.prioritization;
        let parts = [w.coverage, w.order, w.labels, w.proportion];
        if parts.iter().any(|x| !(x.is_finite() && *x >= 0.0)) || parts.iter().sum::<f64>() <= 0.0 {
            c.fail(
                &span,
                "scores.prioritization",
                "weights must be 0 or more, and not all 0",
            );
        }
        if s.teaching_share_for_3 > s.teaching_share_for_4 {
            c.fail(
                &span,
                "scores.teaching_share_for_3",
                "must not exceed teaching_share_for_4",
            );
        }

        let a = raw.answers.get_ref();
        let span = raw.answers.span();
        for (field, list) in [
            ("answers.absolute.markers", &a.absolute.markers),
            ("answers.absolute.topics", &a.absolute.topics),
            ("answers.absolute.conditions", &a.absolute.conditions),
            ("answers.absolute.qualifiers", &a.absolute.qualifiers),
            ("answers.take_over.actions", &a.take_over.actions),
            ("answers.take_over.first_person", &a.take_over.first_person),
            ("answers.take_over.negations", &a.take_over.negations),
            ("answers.take_over.last_resort", &a.take_over.last_resort),
            ("answers.take_over.own_work", &a.take_over.own_work),
            ("answers.decision", &a.decision),
            ("answers.alternatives", &a.alternatives),
            ("answers.outcome", &a.outcome),
            ("answers.hindsight", &a.hindsight),
            ("answers.process.reached", &a.process.reached),
            ("answers.process.communicated", &a.process.communicated),
            ("answers.process.documented", &a.process.documented),
        ] {
            c.words(&span, field, &list.words, true);
        }

        if !c.problems.is_empty() {
            return Err(fail(c.problems));
        }
        Ok(raw.into_signals())
    }
}

fn compile(list: &mut WordList) {
    list.compiled = patterns(&list.words, None);
}

impl Raw {
    fn into_signals(self) -> ReviewSignals {
        let mut teaching = TeachingRules {
            min_kinds: self.teaching.min_kinds.into_inner(),
            signals: self
                .teaching
                .signal
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            model: None,
        };
        for kind in &mut teaching.signals {
            kind.compiled = patterns(&kind.words, None);
            kind.with_compiled = patterns(&kind.with, None);
        }
        let mut priority = self.priority.into_inner();
        priority.high_compiled = patterns(&priority.high, None);
        priority.low_compiled = patterns(&priority.low, None);
        let mut answers = self.answers.into_inner();
        for list in [
            &mut answers.absolute.markers,
            &mut answers.absolute.topics,
            &mut answers.absolute.conditions,
            &mut answers.absolute.qualifiers,
            &mut answers.take_over.actions,
            &mut answers.take_over.first_person,
            &mut answers.take_over.negations,
            &mut answers.take_over.last_resort,
            &mut answers.take_over.own_work,
            &mut answers.decision,
            &mut answers.alternatives,
            &mut answers.outcome,
            &mut answers.hindsight,
            &mut answers.process.reached,
            &mut answers.process.communicated,
            &mut answers.process.documented,
        ] {
            compile(list);
        }
        ReviewSignals {
            matching: self.matching.into_inner(),
            teaching,
            priority,
            scores: self.scores.into_inner(),
            answers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_signals_load() {
        let s = ReviewSignals::default_signals();
        assert!(
            s.is_ok(),
            "{}",
            s.err().map(|e| e.to_string()).unwrap_or_default()
        );
        let s = s.unwrap();
        assert!(s.teaching.signals.iter().any(|k| k.id == "cause"));
        assert!(s.teaching.model.is_some());
        assert_eq!(s.priority.rank(Category::Security), 0);
        assert!(s.priority.rank(Category::Performance) < s.priority.rank(Category::Testing));
        assert!(s.priority.rank(Category::Testing) < s.priority.rank(Category::Style));
    }

    #[test]
    fn a_bad_word_is_reported_with_its_line_and_field() {
        let text = DEFAULT_SIGNALS_TOML.replacen("\"because\"", "\"Because!\"", 1);
        let err = ReviewSignals::parse("s.toml", &text).expect_err("invalid");
        let p = &err.0.problems[0];
        assert_eq!(p.field, "teaching.signal[cause].words");
        assert!(p.line.is_some());
    }

    #[test]
    fn an_unranked_category_is_reported() {
        let text = DEFAULT_SIGNALS_TOML.replacen("[\"style\"]", "[]", 1);
        let err = ReviewSignals::parse("s.toml", &text).expect_err("invalid");
        assert!(
            err.0
                .problems
                .iter()
                .any(|p| p.field == "priority.order" && p.message.contains("style")),
            "{err}"
        );
    }

    #[test]
    fn a_signal_the_model_does_not_weigh_is_refused_naming_the_model() {
        let text = format!(
            "{DEFAULT_SIGNALS_TOML}\n[[teaching.signal]]\nid = \"brand-new\"\nname = \"x\"\ngroup = \"why\"\nwords = [\"zebra\"]\n"
        );
        let err = ReviewSignals::parse("s.toml", &text).expect_err("no weight");
        assert_eq!(err.0.source, DEFAULT_TEACHING_MODEL_SOURCE);
        assert!(
            err.0
                .problems
                .iter()
                .any(|p| p.field == "weights.brand-new"),
            "{err}"
        );
        // Without a model the signals still load (the training command needs that).
        assert!(ReviewSignals::parse_signals("s.toml", &text).is_ok());
    }

    #[test]
    fn a_restriction_without_words_is_refused() {
        let text = format!(
            "{DEFAULT_SIGNALS_TOML}\n[[teaching.signal]]\nid = \"odd\"\nname = \"x\"\ngroup = \"form\"\nurls = true\nquestions = true\n"
        );
        let err = ReviewSignals::parse_signals("s.toml", &text).expect_err("invalid");
        assert!(
            err.0
                .problems
                .iter()
                .any(|p| p.field == "teaching.signal[odd].words"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_field_names_its_line() {
        let text = DEFAULT_SIGNALS_TOML.replacen("[matching]", "[matching]\nbogus = 1", 1);
        let err = ReviewSignals::parse("s.toml", &text).expect_err("invalid");
        assert!(err.0.problems[0].message.contains("bogus"));
        assert!(err.0.problems[0].line.is_some());
    }
}
