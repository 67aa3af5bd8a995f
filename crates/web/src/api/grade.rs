//! The code-review grade as the API declares it: the same JSON as core's
//! [`multiplier_core::review::Grade`] (documented in docs/review-grading.md),
//! with every field and closed set typed in the OpenAPI document. The types
//! also read a grade back from stored evidence.

use multiplier_core::Signal;
use multiplier_core::review::grader::{
    CommentResult, DimensionScore, FlagHint, IssueResult, Location,
};
use multiplier_core::review::{Category, Expressed, Grade, Severity, SubmissionFormat};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which format the review came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewFormat {
    /// `{"summary", "comments": [...]}`.
    Multiplier,
    /// GitHub's export of pull-request review comments.
    Github,
}

/// What kind of problem a planted issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IssueCategory {
    Security,
    Correctness,
    Performance,
    Reliability,
    Testing,
    Maintainability,
    Style,
}

/// How much a planted issue matters (blockers and majors are material).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IssueSeverity {
    Blocker,
    Major,
    Minor,
    Nit,
}

/// The priority a reviewer gave a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    Low,
    Unstated,
    High,
}

/// Where a comment sits relative to the diff (only `in-diff` can find an issue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CommentLocation {
    InDiff,
    FileNotInDiff,
    LineOutsideDiff,
    OldSide,
    NoLine,
}

/// One of the two signals a hire needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SignalId {
    TechnicalDepth,
    TeamMultiplier,
}

impl From<SubmissionFormat> for ReviewFormat {
    fn from(f: SubmissionFormat) -> Self {
        match f {
            SubmissionFormat::Multiplier => ReviewFormat::Multiplier,
            SubmissionFormat::Github => ReviewFormat::Github,
        }
    }
}

impl From<Category> for IssueCategory {
    fn from(c: Category) -> Self {
        match c {
            Category::Security => IssueCategory::Security,
            Category::Correctness => IssueCategory::Correctness,
            Category::Performance => IssueCategory::Performance,
            Category::Reliability => IssueCategory::Reliability,
            Category::Testing => IssueCategory::Testing,
            Category::Maintainability => IssueCategory::Maintainability,
            Category::Style => IssueCategory::Style,
        }
    }
}

impl From<Severity> for IssueSeverity {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Blocker => IssueSeverity::Blocker,
            Severity::Major => IssueSeverity::Major,
            Severity::Minor => IssueSeverity::Minor,
            Severity::Nit => IssueSeverity::Nit,
        }
    }
}

impl From<Expressed> for Priority {
    fn from(e: Expressed) -> Self {
        match e {
            Expressed::Low => Priority::Low,
            Expressed::Unstated => Priority::Unstated,
            Expressed::High => Priority::High,
        }
    }
}

impl From<Location> for CommentLocation {
    fn from(l: Location) -> Self {
        match l {
            Location::InDiff => CommentLocation::InDiff,
            Location::FileNotInDiff => CommentLocation::FileNotInDiff,
            Location::LineOutsideDiff => CommentLocation::LineOutsideDiff,
            Location::OldSide => CommentLocation::OldSide,
            Location::NoLine => CommentLocation::NoLine,
        }
    }
}

impl From<Signal> for SignalId {
    fn from(s: Signal) -> Self {
        match s {
            Signal::TechnicalDepth => SignalId::TechnicalDepth,
            Signal::TeamMultiplier => SignalId::TeamMultiplier,
        }
    }
}

/// One planted issue and whether the review found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IssueResultDto {
    pub id: String,
    pub title: String,
    pub category: IssueCategory,
    pub severity: IssueSeverity,
    pub material: bool,
    pub found: bool,
    /// Indexes of the comments that found it.
    pub by: Vec<usize>,
    /// Found by a sentence of the summary.
    pub via_summary: bool,
    /// The summary sentence that names it, when `via_summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_sentence: Option<String>,
    /// The priority the reviewer gave it (when found).
    pub expressed: Priority,
    /// Where it lives, e.g. `app/orders/views.py:40–44`.
    pub places: Vec<String>,
    pub explain: String,
}

/// A Conventional Comments label at the start of a comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CommentLabel {
    /// Lower-case, e.g. `issue`, `nitpick`.
    pub label: String,
    /// Lower-case decorations, e.g. `blocking`, `non-blocking`.
    pub decorations: Vec<String>,
}

/// One teaching signal found in a comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeachingSignal {
    /// The signal's id, e.g. `cause`, `so-clause`, `reference`, `imperative`.
    pub kind: String,
    /// Its group: `why`, `impact`, `pattern`, `reference`, `question`, `form`…
    pub group: String,
    /// The words of the comment that matched.
    pub text: String,
    /// The list entry they matched (`link` for a URL).
    pub entry: String,
    /// How much the signal moved the log-odds of teaching (positive toward a
    /// lesson, negative toward a correction), from `framework/teaching-model.toml`.
    pub weight: f64,
}

/// One review comment, as the grader read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CommentResultDto {
    pub index: usize,
    pub path: String,
    pub line: Option<u32>,
    pub location: CommentLocation,
    /// What the reviewer wrote.
    pub body: String,
    /// The code line commented on, when the diff shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub label: Option<CommentLabel>,
    pub priority: Priority,
    /// The words the priority was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_evidence: Option<String>,
    /// The planted issue it found, by id.
    pub matched_issue: Option<String>,
    /// The concepts of the matched issue the comment mentions.
    pub concepts: Vec<String>,
    /// Why the comment matched an issue, or why not.
    pub match_note: String,
    /// Teaches (explains) rather than merely corrects.
    pub teaching: bool,
    /// The teaching model's probability that the comment teaches.
    pub teaching_probability: f64,
    /// The threshold the probability was compared with.
    pub teaching_threshold: f64,
    /// Every teaching signal found, the one that moved the verdict most first.
    pub signals: Vec<TeachingSignal>,
    /// Teaching-signal kinds the comment does not show.
    pub missing_signals: Vec<String>,
}

/// A reason behind the prioritisation verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PriorityReason {
    /// e.g. `material-marked-blocking`, `missed-while-nitpicking`.
    pub rule: String,
    /// `true` for a point in the reviewer's favour, `false` for a problem.
    pub ok: bool,
    pub message: String,
    /// The comments the reason rests on (left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<usize>,
    /// The issues it is about (left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<String>,
}

/// Whether the review put first things first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PrioritizationDto {
    pub ok: bool,
    pub reasons: Vec<PriorityReason>,
    /// The measured parts the score is built from.
    pub parts: Vec<PriorityPartDto>,
}

/// One measured part of prioritisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PriorityPartDto {
    /// `coverage`, `order`, `labels` or `proportion`.
    pub id: String,
    /// How much of the part the review earned, from 0 to 100.
    pub percent: u32,
    /// The part's weight in the score, in percent of all the weights.
    pub weight_percent: u32,
    /// How it was measured, in one sentence.
    pub detail: String,
}

/// A 1–4 score for one dimension, with its reason and the rubric anchor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DimensionScoreDto {
    #[schema(minimum = 1, maximum = 4)]
    pub score: u8,
    /// The signal this dimension is evidence for.
    pub signal: SignalId,
    pub reason: String,
    /// The code-review stage's rubric anchor for this score.
    pub anchor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradeScores {
    /// Material issues found (technical depth).
    pub issues: DimensionScoreDto,
    /// First things first (team multiplier).
    pub prioritization: DimensionScoreDto,
    /// Comments that teach (team multiplier).
    pub teaching: DimensionScoreDto,
}

/// A framework red flag the interviewer may want to confirm, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FlagHintDto {
    pub id: String,
    pub title: String,
    pub evidence: String,
}

/// The grade of a review: issues found, priority, teaching, each point
/// explained (docs/review-grading.md). Evidence for the interviewers, never a
/// score of the candidate on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradeDto {
    /// The exercise's slug.
    pub exercise: String,
    pub title: String,
    pub format: ReviewFormat,
    pub issues: Vec<IssueResultDto>,
    pub comments: Vec<CommentResultDto>,
    pub prioritization: PrioritizationDto,
    pub scores: GradeScores,
    pub red_flags: Vec<FlagHintDto>,
}

fn dimension(d: &DimensionScore) -> DimensionScoreDto {
    DimensionScoreDto {
        score: d.score.get(),
        signal: d.signal.into(),
        reason: d.reason.clone(),
        anchor: d.anchor.clone(),
    }
}

fn issue(i: &IssueResult) -> IssueResultDto {
    IssueResultDto {
        id: i.id.clone(),
        title: i.title.clone(),
        category: i.category.into(),
        severity: i.severity.into(),
        material: i.material,
        found: i.found,
        by: i.by.clone(),
        via_summary: i.via_summary,
        summary_sentence: i.summary_sentence.clone(),
        expressed: i.expressed.into(),
        places: i.places.clone(),
        explain: i.explain.clone(),
    }
}

fn comment(c: &CommentResult) -> CommentResultDto {
    CommentResultDto {
        index: c.index,
        path: c.path.clone(),
        line: c.line,
        location: c.location.into(),
        body: c.body.clone(),
        code: c.code.clone(),
        label: c.label.as_ref().map(|l| CommentLabel {
            label: l.label.clone(),
            decorations: l.decorations.clone(),
        }),
        priority: c.priority.into(),
        priority_evidence: c.priority_evidence.clone(),
        matched_issue: c.matched_issue.clone(),
        concepts: c.concepts.clone(),
        match_note: c.match_note.clone(),
        teaching: c.teaching,
        teaching_probability: c.teaching_probability,
        teaching_threshold: c.teaching_threshold,
        signals: c
            .signals
            .iter()
            .map(|s| TeachingSignal {
                kind: s.kind.clone(),
                group: s.group.clone(),
                text: s.text.clone(),
                entry: s.entry.clone(),
                weight: s.weight,
            })
            .collect(),
        missing_signals: c.missing_signals.clone(),
    }
}

fn hint(f: &FlagHint) -> FlagHintDto {
    FlagHintDto {
        id: f.id.clone(),
        title: f.title.clone(),
        evidence: f.evidence.clone(),
    }
}

impl From<&Grade> for GradeDto {
    fn from(g: &Grade) -> Self {
        GradeDto {
            exercise: g.exercise.clone(),
            title: g.title.clone(),
            format: g.format.into(),
            issues: g.issues.iter().map(issue).collect(),
            comments: g.comments.iter().map(comment).collect(),
            prioritization: PrioritizationDto {
                ok: g.prioritization.ok,
                reasons: g
                    .prioritization
                    .reasons
                    .iter()
                    .map(|r| PriorityReason {
                        rule: r.rule.to_string(),
                        ok: r.ok,
                        message: r.message.clone(),
                        comments: r.comments.clone(),
                        issues: r.issues.clone(),
                    })
                    .collect(),
                parts: g
                    .prioritization
                    .parts
                    .iter()
                    .map(|p| PriorityPartDto {
                        id: p.id.to_string(),
                        percent: p.percent,
                        weight_percent: p.weight_percent,
                        detail: p.detail.clone(),
                    })
                    .collect(),
            },
            scores: GradeScores {
                issues: dimension(&g.scores.issues),
                prioritization: dimension(&g.scores.prioritization),
                teaching: dimension(&g.scores.teaching),
            },
            red_flags: g.red_flags.iter().map(hint).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use multiplier_core::Framework;
    use multiplier_core::review::{BUILTIN, Review, ReviewSignals, grade};

    /// The typed grade is the JSON core writes (docs/review-grading.md), field for
    /// field, for every built-in exercise and a review that exercises most of it.
    #[test]
    fn the_typed_grade_is_the_same_json_as_cores_and_reads_back() {
        let framework = Framework::default_framework().unwrap_or_else(|e| panic!("{e}"));
        let signals = ReviewSignals::default_signals().unwrap_or_else(|e| panic!("{e}"));
        for builtin in BUILTIN {
            let exercise = builtin.load().unwrap_or_else(|e| panic!("{e}"));
            let place = &exercise.issues[0].at[0];
            let review = Review::parse(
                "test",
                &serde_json::json!({
                    "summary": "Must fix before merge: this one. Nit: naming.",
                    "comments": [
                        {"path": place.file, "line": place.lines[0], "body": "issue (blocking): this breaks because the loop runs per row; at scale it saturates the database, see https://docs.example/pattern"},
                        {"path": "nowhere.py", "line": 1, "body": "nit: rename this"},
                        {"path": place.file, "body": "praise: tidy file"}
                    ]
                })
                .to_string(),
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
            let g = grade(&exercise, &review, &signals, &framework);
            let core = serde_json::to_value(&g).unwrap_or_default();
            let dto = serde_json::to_value(GradeDto::from(&g)).unwrap_or_default();
            assert_eq!(dto, core, "{}", builtin.slug);
            let back: GradeDto = serde_json::from_value(core).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(back, GradeDto::from(&g));
        }
    }
}
