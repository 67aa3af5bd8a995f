//! Grade a review against an exercise's key, explaining every point.
//!
//! 1. **Issues found.** A comment counts for a planted issue when it sits at one of
//!    the issue's places (within `line_tolerance` lines of the listed lines, same
//!    file, new side) *and* mentions at least `comment_min_concepts` of the issue's
//!    concepts. A comment on the right line about something else does not count. An
//!    issue also counts as found when one sentence of the summary mentions at least
//!    `summary_min_concepts` of its concepts (`via_summary`).
//! 2. **Prioritisation.** The priority the reviewer expressed for each issue found
//!    (Conventional Comments labels and decorations, priority words, lead-ins in the
//!    summary such as "Must fix:") is compared with the expected order: material
//!    before minor, then the category order (security, performance, correctness and
//!    testing, maintainability, style). Missed material issues while nits were
//!    raised, material issues played down, inversions, a summary that leads with the
//!    lesser issue and a review that never says what blocks are problems.
//! 3. **Teaching.** Each comment is classified by the teaching model; the verdict
//!    keeps its probability and the signals that moved it, with their weights.
//!
//! Each dimension gets a 1–4 score with its reason and the code-review stage's
//! rubric anchor for that score. The grade explains; people decide.

use super::exercise::{Category, Exercise, Issue, Severity};
use super::labels::{Expressed, Label, priority_of};
use super::naming::{IssueConcepts, ProseSentence, issue_concepts, naming, read_prose};
use super::signals::ReviewSignals;
use super::submission::{Review, ReviewComment, Side, SubmissionFormat};
use super::teaching::{SignalHit, teaching_groups};
use crate::framework::{Framework, Signal};
use crate::score::Score;
use serde::Serialize;
use std::collections::BTreeSet;

/// Where a comment sits relative to the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Location {
    /// On a new-side line the diff shows.
    InDiff,
    /// The path is not a file of the diff.
    FileNotInDiff,
    /// The file is in the diff but the line is not one the diff shows.
    LineOutsideDiff,
    /// On the old side (a removed line).
    OldSide,
    /// No line: a comment on the whole file.
    NoLine,
}

/// One planted issue and whether the review found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueResult {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    pub material: bool,
    pub found: bool,
    /// Indexes of the comments that found it.
    pub by: Vec<usize>,
    pub via_summary: bool,
    /// The summary sentence that names it, when `via_summary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary_sentence: Option<String>,
    /// The priority the reviewer gave it (when found).
    pub expressed: Expressed,
    /// Where it lives, e.g. `app/orders/views.py:40–44`.
    pub places: Vec<String>,
    pub explain: String,
}

/// One review comment, as the grader read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommentResult {
    pub index: usize,
    pub path: String,
    pub line: Option<u32>,
    pub location: Location,
    /// What the reviewer wrote.
    pub body: String,
    /// The code line commented on, when the diff shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub label: Option<Label>,
    pub priority: Expressed,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_evidence: Option<String>,
    pub matched_issue: Option<String>,
    /// The concepts of the matched issue the comment mentions.
    pub concepts: Vec<String>,
    /// Why the comment matched an issue, or why not.
    pub match_note: String,
    pub teaching: bool,
    /// The teaching model's probability that the comment teaches, and the threshold
    /// it was compared with.
    pub teaching_probability: f64,
    pub teaching_threshold: f64,
    /// Every teaching signal found, with the weight by which it moved the verdict
    /// (the strongest first).
    pub signals: Vec<SignalHit>,
    /// Signals that count toward teaching and that the comment does not show.
    pub missing_signals: Vec<String>,
}

/// A reason behind the prioritisation verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub rule: &'static str,
    /// `true` for a point in the reviewer's favour, `false` for a problem.
    pub ok: bool,
    pub message: String,
    /// The comments the reason rests on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<usize>,
    /// The issues it is about.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prioritization {
    /// No reason is a problem.
    pub ok: bool,
    pub reasons: Vec<Reason>,
    /// The measured parts the score is built from, each with how it was measured.
    pub parts: Vec<PriorityPart>,
}

/// One measured part of prioritisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityPart {
    /// `coverage`, `order`, `labels` or `proportion`.
    pub id: &'static str,
    /// How much of the part the review earned, from 0 to 100.
    pub percent: u32,
    /// The part's weight in the score, in percent of all the weights.
    pub weight_percent: u32,
    /// How it was measured, in one sentence.
    pub detail: String,
}

/// A 1–4 score for one dimension, with its reason and the rubric anchor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionScore {
    pub score: Score,
    /// The signal this dimension is evidence for.
    pub signal: Signal,
    pub reason: String,
    /// The code-review stage's rubric anchor for this score.
    pub anchor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub issues: DimensionScore,
    pub prioritization: DimensionScore,
    pub teaching: DimensionScore,
}

/// A framework red flag the interviewer may want to confirm, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagHint {
    pub id: String,
    pub title: String,
    pub evidence: String,
}

/// The whole grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    pub exercise: String,
    pub title: String,
    pub format: SubmissionFormat,
    pub issues: Vec<IssueResult>,
    pub comments: Vec<CommentResult>,
    pub prioritization: Prioritization,
    pub scores: Scores,
    pub red_flags: Vec<FlagHint>,
}

pub const STAGE: &str = "code-review";

/// Lower is more important: material first, then the category order.
fn importance(issue: &Issue, signals: &ReviewSignals) -> (bool, usize) {
    (
        !issue.severity.is_material(),
        signals.priority.rank(issue.category),
    )
}

fn place_label(file: &str, (a, b): (u32, u32)) -> String {
    if a == b {
        format!("{file}:{a}")
    } else {
        format!("{file}:{a}–{b}")
    }
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn indexes(items: &[usize]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Grade `review` against `exercise`.
pub fn grade(
    exercise: &Exercise,
    review: &Review,
    signals: &ReviewSignals,
    framework: &Framework,
) -> Grade {
    let concepts = issue_concepts(&exercise.issues, signals.matching.concept_prefix_from);

    let comments: Vec<CommentResult> = review
        .comments
        .iter()
        .enumerate()
        .map(|(index, c)| read_comment(index, c, exercise, &concepts, signals))
        .collect();

    let mut prose = read_prose(&review.summary, &concepts);
    let summary = read_summary(&prose, &concepts, signals);
    for (p, s) in prose.iter_mut().zip(&summary) {
        p.ranks = s.priority != Expressed::Unstated;
    }

    let mut issues: Vec<IssueResult> = concepts
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let issue = c.issue;
            let by: Vec<usize> = comments
                .iter()
                .filter(|r| r.matched_issue.as_deref() == Some(issue.id.as_str()))
                .map(|r| r.index)
                .collect();
            let naming = naming(&prose, k, signals.matching.summary_min_concepts);
            IssueResult {
                id: issue.id.clone(),
                title: issue.title.clone(),
                category: issue.category,
                severity: issue.severity,
                material: issue.severity.is_material(),
                found: !by.is_empty() || naming.is_some(),
                via_summary: naming.is_some(),
                summary_sentence: naming.map(|n| n.text),
                by,
                expressed: Expressed::Unstated,
                places: issue
                    .at
                    .iter()
                    .filter_map(|p| p.span().map(|span| place_label(&p.file, span)))
                    .collect(),
                explain: issue.explain.clone(),
            }
        })
        .collect();

    // The priority the reviewer gave each issue found: the highest of its comments
    // and of the summary sentences that mention it.
    for result in &mut issues {
        if !result.found {
            continue;
        }
        let from_comments = result
            .by
            .iter()
            .filter_map(|&i| comments.get(i))
            .map(|c| c.priority);
        let from_summary = summary
            .iter()
            .filter(|s| s.named.iter().any(|(id, _)| *id == result.id))
            .map(|s| s.priority);
        result.expressed = from_comments
            .chain(from_summary)
            .max()
            .unwrap_or(Expressed::Unstated);
    }

    let prioritization = prioritize(exercise, &issues, &comments, &summary, signals);
    let scores = score(&issues, &comments, &prioritization, signals, framework);
    let red_flags = red_flags(&issues, &comments, &prioritization, &scores, framework);
    Grade {
        exercise: exercise.slug.clone(),
        title: exercise.title.clone(),
        format: review.format,
        issues,
        comments,
        prioritization,
        scores,
        red_flags,
    }
}

fn read_comment(
    index: usize,
    c: &ReviewComment,
    exercise: &Exercise,
    concepts: &[IssueConcepts],
    signals: &ReviewSignals,
) -> CommentResult {
    let label = Label::parse(&c.body);
    let reading = priority_of(&c.body, label.as_ref(), &signals.priority);
    let teaching = signals.teaching.classify(&c.body);
    let file = exercise.diff.file(&c.path);
    let (location, code) = match (file, c.lines(), c.side) {
        (None, _, _) => (Location::FileNotInDiff, None),
        (Some(_), None, _) => (Location::NoLine, None),
        (Some(_), Some(_), Side::Old) => (Location::OldSide, None),
        (Some(f), Some((_, last)), Side::New) => match f.lines.get(&last) {
            Some(line) => (Location::InDiff, Some(line.text.clone())),
            None => (Location::LineOutsideDiff, None),
        },
    };

    let tolerance = signals.matching.line_tolerance;
    let mut matched: Option<(&Issue, Vec<String>)> = None;
    let mut at_place_without_concepts: Vec<String> = Vec::new();
    let mut concepts_elsewhere: Vec<(String, Vec<String>)> = Vec::new();
    for cs in concepts {
        let issue = cs.issue;
        let found = cs.found(&c.body);
        let at_place = location == Location::InDiff
            && c.lines().is_some_and(|(first, last)| {
                issue.at.iter().any(|p| {
                    p.file == c.path
                        && p.span().is_some_and(|(a, b)| {
                            first <= b.saturating_add(tolerance)
                                && last.saturating_add(tolerance) >= a
                        })
                })
            });
        if !at_place {
            if !found.is_empty() {
                concepts_elsewhere.push((issue.id.clone(), found));
            }
            continue;
        }
        if found.len() < signals.matching.comment_min_concepts {
            at_place_without_concepts.push(issue.id.clone());
            continue;
        }
        let better = match &matched {
            None => true,
            Some((best, best_found)) => {
                (found.len(), std::cmp::Reverse(importance(issue, signals)))
                    > (
                        best_found.len(),
                        std::cmp::Reverse(importance(best, signals)),
                    )
            }
        };
        if better {
            matched = Some((issue, found));
        }
    }

    let match_note = match (&matched, location) {
        (Some((issue, found)), _) => format!(
            "at the place of `{}` and mentions {}",
            issue.id,
            list(found)
        ),
        (None, Location::FileNotInDiff) => format!(
            "`{}` is not a file of this diff, so the comment cannot be placed",
            c.path
        ),
        (None, Location::LineOutsideDiff) => format!(
            "line {} of `{}` is not shown by the diff, so the comment cannot be placed",
            c.line.unwrap_or_default(),
            c.path
        ),
        (None, Location::OldSide) => {
            "on the old side of the diff (a removed line); planted issues live on the new side"
                .to_string()
        }
        (None, Location::NoLine) => "a comment on the whole file, not on a line".to_string(),
        (None, Location::InDiff) if !at_place_without_concepts.is_empty() => {
            let ids = at_place_without_concepts;
            let words: Vec<String> = concepts
                .iter()
                .filter(|cs| ids.contains(&cs.issue.id))
                .flat_map(|cs| cs.issue.concepts.iter().cloned())
                .collect();
            format!(
                "at the place of {} but talks about something else: none of its concepts ({}) appear",
                list(&ids),
                words.join(", ")
            )
        }
        (None, Location::InDiff) => match concepts_elsewhere.first() {
            Some((id, found)) => {
                format!("mentions {} of `{id}` but is not at its place", list(found))
            }
            None => "not at the place of any planted issue".to_string(),
        },
    };

    let (matched_issue, concepts) = match matched {
        Some((issue, found)) => (Some(issue.id.clone()), found),
        None => (None, Vec::new()),
    };
    CommentResult {
        index,
        path: c.path.clone(),
        line: c.line,
        location,
        body: c.body.clone(),
        code,
        label,
        priority: reading.priority,
        priority_evidence: reading.evidence,
        matched_issue,
        concepts,
        match_note,
        teaching: teaching.teaching,
        teaching_probability: teaching.probability,
        teaching_threshold: teaching.threshold,
        signals: teaching.signals,
        missing_signals: teaching.missing,
    }
}

/// One summary sentence: the issues it mentions (with how many of their concepts)
/// and the priority it expresses (its own words, or the lead-in above it).
struct SummarySentence {
    position: usize,
    named: Vec<(String, usize)>,
    priority: Expressed,
    words: usize,
}

fn read_summary(
    prose: &[ProseSentence],
    concepts: &[IssueConcepts],
    signals: &ReviewSignals,
) -> Vec<SummarySentence> {
    let mut out = Vec::new();
    let mut section = Expressed::Unstated;
    for (position, s) in prose.iter().enumerate() {
        let text = s.text.as_str();
        let named: Vec<(String, usize)> = s
            .found
            .iter()
            .enumerate()
            .filter(|(_, found)| !found.is_empty())
            .filter_map(|(k, found)| Some((concepts.get(k)?.issue.id.clone(), found.len())))
            .collect();
        let own = priority_of(text, Label::parse(text).as_ref(), &signals.priority).priority;
        if named.is_empty() && text.trim_end().ends_with(':') {
            section = own;
        }
        let priority = if own == Expressed::Unstated {
            section
        } else {
            own
        };
        out.push(SummarySentence {
            position,
            named,
            priority,
            words: text.split_whitespace().count(),
        });
    }
    out
}

fn problem(
    rule: &'static str,
    message: String,
    comments: Vec<usize>,
    issues: Vec<String>,
) -> Reason {
    Reason {
        rule,
        ok: false,
        message,
        comments,
        issues,
    }
}

fn good(rule: &'static str, message: String, issues: Vec<String>) -> Reason {
    Reason {
        rule,
        ok: true,
        message,
        comments: Vec::new(),
        issues,
    }
}

fn prioritize(
    exercise: &Exercise,
    issues: &[IssueResult],
    comments: &[CommentResult],
    summary: &[SummarySentence],
    signals: &ReviewSignals,
) -> Prioritization {
    let mut reasons = Vec::new();
    let issue_of = |id: &str| exercise.issue(id);
    let found: Vec<&IssueResult> = issues.iter().filter(|i| i.found).collect();
    if found.is_empty() {
        reasons.push(problem(
            "nothing-found",
            "no planted issue was found, so there is no priority to credit".to_string(),
            Vec::new(),
            Vec::new(),
        ));
        let parts = priority_parts(issues, comments, summary, signals);
        return Prioritization {
            ok: false,
            reasons,
            parts,
        };
    }

    // Minor points raised: comments marked low, or on a nit-level issue.
    let nits: Vec<usize> = comments
        .iter()
        .filter(|c| {
            c.priority == Expressed::Low
                || c.matched_issue
                    .as_deref()
                    .and_then(issue_of)
                    .is_some_and(|i| i.severity == Severity::Nit)
        })
        .map(|c| c.index)
        .collect();
    let missed: Vec<&IssueResult> = issues.iter().filter(|i| i.material && !i.found).collect();
    if !missed.is_empty() && !nits.is_empty() {
        let names: Vec<String> = missed
            .iter()
            .map(|i| format!("`{}` ({} {})", i.id, i.severity, i.category))
            .collect();
        reasons.push(problem(
            "missed-while-nitpicking",
            format!(
                "{} went unmentioned while comment{} {} raised minor points",
                names.join(", "),
                if nits.len() == 1 { "" } else { "s" },
                indexes(&nits)
            ),
            nits.clone(),
            missed.iter().map(|i| i.id.clone()).collect(),
        ));
    }

    let played_down: Vec<&&IssueResult> = found
        .iter()
        .filter(|i| i.material && i.expressed == Expressed::Low)
        .collect();
    for i in &played_down {
        reasons.push(problem(
            "material-marked-minor",
            format!(
                "`{}` is a {} {} issue but was raised as optional or minor",
                i.id, i.severity, i.category
            ),
            i.by.clone(),
            vec![i.id.clone()],
        ));
    }

    // Inversions: a more important issue given a lower priority than a lesser one.
    for a in &found {
        for b in &found {
            let (Some(ia), Some(ib)) = (issue_of(&a.id), issue_of(&b.id)) else {
                continue;
            };
            let more_important = importance(ia, signals) < importance(ib, signals);
            let already = a.material && a.expressed == Expressed::Low;
            if more_important && a.expressed < b.expressed && !already {
                reasons.push(problem(
                    "inversion",
                    format!(
                        "`{}` ({} {}) was marked {} while the lesser `{}` ({} {}) was marked {}",
                        a.id,
                        a.severity,
                        a.category,
                        a.expressed.id(),
                        b.id,
                        b.severity,
                        b.category,
                        b.expressed.id()
                    ),
                    a.by.iter().chain(&b.by).copied().collect(),
                    vec![a.id.clone(), b.id.clone()],
                ));
            }
        }
    }

    // The summary's order: the first sentence mentioning each issue found.
    let first_mention = |id: &str| {
        summary
            .iter()
            .find(|s| s.named.iter().any(|(n, _)| n == id))
            .map(|s| s.position)
    };
    let mut mentioned: Vec<(usize, &IssueResult)> = found
        .iter()
        .filter_map(|i| first_mention(&i.id).map(|p| (p, *i)))
        .collect();
    mentioned.sort_by_key(|(p, _)| *p);
    if mentioned.len() >= 2 {
        let mut out_of_order = None;
        'outer: for (k, (pb, b)) in mentioned.iter().enumerate() {
            for (pa, a) in &mentioned[k + 1..] {
                let (Some(ia), Some(ib)) = (issue_of(&a.id), issue_of(&b.id)) else {
                    continue;
                };
                if pa > pb && importance(ia, signals) < importance(ib, signals) {
                    out_of_order = Some((*b, *a));
                    break 'outer;
                }
            }
        }
        match out_of_order {
            Some((first, later)) => reasons.push(problem(
                "summary-order",
                format!(
                    "the summary raises `{}` ({} {}) before the more important `{}` ({} {})",
                    first.id,
                    first.severity,
                    first.category,
                    later.id,
                    later.severity,
                    later.category
                ),
                Vec::new(),
                vec![first.id.clone(), later.id.clone()],
            )),
            None => {
                if let Some((_, lead)) = mentioned.first() {
                    reasons.push(good(
                        "summary-leads-with-most-important",
                        format!(
                            "the summary raises the issues it names in order of importance, starting with `{}`",
                            lead.id
                        ),
                        vec![lead.id.clone()],
                    ));
                }
            }
        }
    }

    let any_stated = comments.iter().any(|c| c.priority != Expressed::Unstated)
        || summary.iter().any(|s| s.priority != Expressed::Unstated);
    if !any_stated {
        reasons.push(problem(
            "no-priority-expressed",
            "no comment and no summary sentence says what must be fixed before merging and what can wait"
                .to_string(),
            Vec::new(),
            Vec::new(),
        ));
    }

    let material_found: Vec<&&IssueResult> = found.iter().filter(|i| i.material).collect();
    if !material_found.is_empty()
        && material_found
            .iter()
            .all(|i| i.expressed == Expressed::High)
    {
        reasons.push(good(
            "material-marked-blocking",
            format!(
                "every material issue found ({}) was marked as must-fix",
                list(
                    &material_found
                        .iter()
                        .map(|i| i.id.clone())
                        .collect::<Vec<_>>()
                )
            ),
            material_found.iter().map(|i| i.id.clone()).collect(),
        ));
    }
    let minor_found: Vec<&&IssueResult> = found.iter().filter(|i| !i.material).collect();
    if !minor_found.is_empty() && minor_found.iter().all(|i| i.expressed == Expressed::Low) {
        reasons.push(good(
            "minor-marked-minor",
            format!(
                "the minor issues raised ({}) were marked as optional",
                list(&minor_found.iter().map(|i| i.id.clone()).collect::<Vec<_>>())
            ),
            minor_found.iter().map(|i| i.id.clone()).collect(),
        ));
    }

    let ok = reasons.iter().all(|r| r.ok);
    let parts = priority_parts(issues, comments, summary, signals);
    Prioritization { ok, reasons, parts }
}

fn percent(x: f64) -> u32 {
    (x.clamp(0.0, 1.0) * 100.0).round() as u32
}

/// The four measured parts of prioritisation: coverage, order, labels, proportion.
fn priority_parts(
    issues: &[IssueResult],
    comments: &[CommentResult],
    summary: &[SummarySentence],
    signals: &ReviewSignals,
) -> Vec<PriorityPart> {
    let w = &signals.scores.prioritization;
    let total_weight = w.coverage + w.order + w.labels + w.proportion;
    let weight_percent = |x: f64| {
        percent(if total_weight > 0.0 {
            x / total_weight
        } else {
            0.0
        })
    };
    let found: Vec<&IssueResult> = issues.iter().filter(|i| i.found).collect();
    let rank = |i: &IssueResult| (!i.material, signals.priority.rank(i.category));

    // Coverage: the material issues found (every issue, when none is material).
    let any_material = issues.iter().any(|i| i.material);
    let counted: Vec<&IssueResult> = issues
        .iter()
        .filter(|i| i.material || !any_material)
        .collect();
    let covered = counted.iter().filter(|i| i.found).count();
    let coverage = share(covered, counted.len());

    // Order: the order the review raises what it found — the summary's order when
    // it names two or more, else the order of the comments.
    let first_in_summary = |id: &str| {
        summary
            .iter()
            .find(|s| s.named.iter().any(|(n, _)| n == id))
            .map(|s| s.position)
    };
    let in_summary = found
        .iter()
        .filter(|i| first_in_summary(&i.id).is_some())
        .count();
    let mut raised: Vec<(usize, usize, &IssueResult)> = found
        .iter()
        .map(|i| {
            let by_comment = i.by.iter().min().copied().unwrap_or(usize::MAX);
            let by_summary = if in_summary >= 2 {
                first_in_summary(&i.id).unwrap_or(usize::MAX)
            } else {
                usize::MAX
            };
            (by_summary, by_comment, *i)
        })
        .collect();
    raised.sort_by_key(|(s, c, _)| (*s, *c));
    let (mut right, mut pairs) = (0, 0);
    for (k, (_, _, a)) in raised.iter().enumerate() {
        for (_, _, b) in &raised[k + 1..] {
            if rank(a) != rank(b) {
                pairs += 1;
                if rank(a) < rank(b) {
                    right += 1;
                }
            }
        }
    }
    let order = share(right, pairs);
    let source = if in_summary >= 2 {
        "summary"
    } else {
        "comments"
    };
    let order_detail = if pairs == 0 {
        "fewer than two issues of different importance raised: nothing to order".to_string()
    } else {
        format!(
            "{right} of {pairs} pairs of issues raised more important first (in the order of the {source}: {})",
            raised
                .iter()
                .map(|(_, _, i)| format!("`{}`", i.id))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };

    // Labels: the priority each issue found was given against its severity.
    let fits: Vec<f64> = found
        .iter()
        .map(|i| match (i.material, i.expressed) {
            (true, Expressed::High) | (false, Expressed::Low) => 1.0,
            (false, Expressed::Unstated) => 0.5,
            _ => 0.0,
        })
        .collect();
    let labels = if fits.is_empty() {
        0.0
    } else {
        fits.iter().sum::<f64>() / fits.len() as f64
    };
    let matched = fits.iter().filter(|f| **f >= 1.0).count();

    // Proportion: the words spent on material issues, of the words spent on issues
    // (comments that found them, summary sentences that name them, and comments
    // marked minor that match no issue).
    let (mut major_words, mut minor_words) = (0usize, 0usize);
    for c in comments {
        let words = c.body.split_whitespace().count();
        match c.matched_issue.as_deref() {
            Some(id) => {
                if issues.iter().any(|i| i.id == id && i.material) {
                    major_words += words;
                } else {
                    minor_words += words;
                }
            }
            None if c.priority == Expressed::Low => minor_words += words,
            None => {}
        }
    }
    for sentence in summary {
        for (id, _) in &sentence.named {
            if !found.iter().any(|i| &i.id == id) {
                continue;
            }
            if issues.iter().any(|i| &i.id == id && i.material) {
                major_words += sentence.words;
            } else {
                minor_words += sentence.words;
            }
        }
    }
    let spent = share(major_words, major_words + minor_words);
    let target = signals.scores.proportion_target_share;
    let (proportion, proportion_detail) = if found.len() < 2 {
        (
            0.0,
            "fewer than two issues raised: no proportion to judge".to_string(),
        )
    } else {
        (
            if target > 0.0 {
                (spent / target).min(1.0)
            } else {
                1.0
            },
            format!(
                "{major_words} of {} words on issues go to material ones ({}%; full marks from {}%)",
                major_words + minor_words,
                percent(spent),
                percent(target)
            ),
        )
    };

    vec![
        PriorityPart {
            id: "coverage",
            percent: percent(coverage),
            weight_percent: weight_percent(w.coverage),
            detail: format!(
                "{covered} of {} {} found",
                counted.len(),
                if any_material {
                    "material issues"
                } else {
                    "issues"
                }
            ),
        },
        PriorityPart {
            id: "order",
            percent: percent(order),
            weight_percent: weight_percent(w.order),
            detail: order_detail,
        },
        PriorityPart {
            id: "labels",
            percent: percent(labels),
            weight_percent: weight_percent(w.labels),
            detail: if found.is_empty() {
                "no issue found: no priority to compare".to_string()
            } else {
                format!(
                    "{matched} of {} issues found were given the priority their severity calls for (must-fix for material ones, minor for the rest; unstated counts half for a minor issue)",
                    found.len()
                )
            },
        },
        PriorityPart {
            id: "proportion",
            percent: percent(proportion),
            weight_percent: weight_percent(w.proportion),
            detail: proportion_detail,
        },
    ]
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn score_of(n: u8) -> Score {
    Score::new(i64::from(n.clamp(1, 4))).unwrap_or(Score::ALL[0])
}

fn score(
    issues: &[IssueResult],
    comments: &[CommentResult],
    prioritization: &Prioritization,
    signals: &ReviewSignals,
    framework: &Framework,
) -> Scores {
    let rules = &signals.scores;
    let stage = framework.stage(STAGE);
    let anchor = |s: Score| stage.and_then(|st| st.anchor(s)).map(str::to_string);
    let dimension = |n: u8, signal: Signal, reason: String| {
        let score = score_of(n);
        DimensionScore {
            score,
            signal,
            reason,
            anchor: anchor(score),
        }
    };

    // Issues found.
    let any_material = issues.iter().any(|i| i.material);
    let (material, minor): (Vec<&IssueResult>, Vec<&IssueResult>) =
        issues.iter().partition(|i| i.material || !any_material);
    let material_found = material.iter().filter(|i| i.found).count();
    let minor_found = minor.iter().filter(|i| i.found).count();
    let m_share = share(material_found, material.len());
    let n = if material_found == 0 {
        1
    } else if material_found == material.len()
        && (minor.is_empty() || share(minor_found, minor.len()) >= rules.issues_minor_share_for_4)
    {
        4
    } else if m_share >= rules.issues_share_for_3 {
        3
    } else {
        2
    };
    let missed: Vec<String> = material
        .iter()
        .filter(|i| !i.found)
        .map(|i| i.id.clone())
        .collect();
    let mut reason = format!(
        "found {material_found} of {} material issue{} and {minor_found} of {} other{}",
        material.len(),
        if material.len() == 1 { "" } else { "s" },
        minor.len(),
        if minor.len() == 1 { "" } else { "s" }
    );
    if !missed.is_empty() {
        reason.push_str(&format!("; missed {}", list(&missed)));
    }
    let issues_score = dimension(n, Signal::TechnicalDepth, reason);

    // Prioritisation: 1 + 3 × the weighted mean of its parts, capped by the
    // problems that sink it whatever else is right.
    let problems: Vec<&str> = prioritization
        .reasons
        .iter()
        .filter(|r| !r.ok)
        .map(|r| r.rule)
        .collect();
    let weights = &rules.prioritization;
    let weight_of = |id: &str| match id {
        "coverage" => weights.coverage,
        "order" => weights.order,
        "labels" => weights.labels,
        _ => weights.proportion,
    };
    let total: f64 = prioritization.parts.iter().map(|p| weight_of(p.id)).sum();
    let mean = if total > 0.0 {
        prioritization
            .parts
            .iter()
            .map(|p| weight_of(p.id) * f64::from(p.percent) / 100.0)
            .sum::<f64>()
            / total
    } else {
        0.0
    };
    let raw = 1.0 + 3.0 * mean;
    let mut n = raw.round().clamp(1.0, 4.0) as u8;
    let mut capped = Vec::new();
    if problems.contains(&"nothing-found") || problems.contains(&"missed-while-nitpicking") {
        n = 1;
        capped.push(
            "1: a material issue was missed while minor points were raised, or nothing was found",
        );
    } else if problems.contains(&"material-marked-minor") && n > 2 {
        n = 2;
        capped.push("2: a material issue was played down as minor");
    }
    let parts: Vec<String> = prioritization
        .parts
        .iter()
        .map(|p| format!("{} {}%", p.id, p.percent))
        .collect();
    let mut reason = format!("{} → {raw:.1}", parts.join(", "));
    if !capped.is_empty() {
        reason.push_str(&format!("; capped at {}", capped.join("; ")));
    }
    if !problems.is_empty() {
        reason.push_str(&format!("; priority problems: {}", problems.join(", ")));
    }
    let prioritization_score = dimension(n, Signal::TeamMultiplier, reason);

    // Teaching.
    let considered: Vec<&CommentResult> = comments
        .iter()
        .filter(|c| c.label.as_ref().is_none_or(|l| l.label != "praise"))
        .collect();
    let teaching = considered.iter().filter(|c| c.teaching).count();
    let t_share = share(teaching, considered.len());
    let material_ids: BTreeSet<&str> = issues
        .iter()
        .filter(|i| i.material)
        .map(|i| i.id.as_str())
        .collect();
    // A lesson on a material issue that shows at least `min_kinds` different
    // signals toward teaching: the rubric's "teaches the principle".
    let teaches_on_material = considered.iter().any(|c| {
        c.teaching
            && teaching_groups(&c.signals) >= signals.teaching.min_kinds
            && c.matched_issue
                .as_deref()
                .is_some_and(|id| material_ids.contains(id))
    });
    let n = if teaching == 0 {
        1
    } else if t_share >= rules.teaching_share_for_4 && teaches_on_material {
        4
    } else if t_share >= rules.teaching_share_for_3 {
        3
    } else {
        2
    };
    let mut reason = format!(
        "{teaching} of {} comment{} teach{}",
        considered.len(),
        if considered.len() == 1 { "" } else { "s" },
        if teaching == 1 { "es" } else { "" }
    );
    if teaching > 0 {
        reason.push_str(&if teaches_on_material {
            format!(
                ", including one on a material issue with at least {} kinds of explanation (why, impact, pattern, reference, question)",
                signals.teaching.min_kinds
            )
        } else {
            format!(
                ", none of them on a material issue with at least {} kinds of explanation (why, impact, pattern, reference, question)",
                signals.teaching.min_kinds
            )
        });
    }
    let teaching_score = dimension(n, Signal::TeamMultiplier, reason);

    Scores {
        issues: issues_score,
        prioritization: prioritization_score,
        teaching: teaching_score,
    }
}

fn red_flags(
    issues: &[IssueResult],
    comments: &[CommentResult],
    prioritization: &Prioritization,
    scores: &Scores,
    framework: &Framework,
) -> Vec<FlagHint> {
    let mut out = Vec::new();
    let mut hint = |id: &str, evidence: String| {
        if let Some(flag) = framework.red_flag(id) {
            out.push(FlagHint {
                id: flag.id.clone(),
                title: flag.title.clone(),
                evidence,
            });
        }
    };
    let missed: Vec<String> = issues
        .iter()
        .filter(|i| i.material && !i.found)
        .map(|i| i.id.clone())
        .collect();
    if !missed.is_empty() {
        hint(
            "misses-material-issues",
            format!("material issues not found: {}", list(&missed)),
        );
    }
    if let Some(r) = prioritization
        .reasons
        .iter()
        .find(|r| r.rule == "missed-while-nitpicking")
    {
        hint("nitpicks-over-substance", r.message.clone());
    }
    if scores.teaching.score.get() <= 2 && !comments.is_empty() {
        hint("corrects-without-teaching", scores.teaching.reason.clone());
    }
    out
}
