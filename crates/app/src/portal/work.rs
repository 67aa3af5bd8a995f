//! The candidate's two tasks behind a live link: the written assessment and the
//! code-review exercise. Drafts are kept as the candidate works, each checked
//! against the same limits as what is sent; a task is sent once, and sending it
//! attaches the candidate's words with their automatic reading (the answer
//! analyzer's flags, the review grader's explained result) as evidence for
//! staff, in the same store transaction that freezes the task. The candidate
//! never sees that reading.

use crate::App;
use crate::actor::Visit;
use crate::error::{AppError, AppResult, FieldProblem};
use jiff::Timestamp;
use multiplier_core::answers::{Answer, Answers};
use multiplier_core::review::diff_rows::{FileRows, rows};
use multiplier_core::review::submission::Side;
use multiplier_core::review::{Builtin, Exercise, Review, ReviewComment, SubmissionFormat};
use multiplier_store::{PortalStore, SubmittedEvidence, Task, Work};
use serde::{Deserialize, Serialize};
use serde_json::json;

impl App {
    /// The longest written answer accepted, in characters.
    pub const MAX_ANSWER_CHARS: usize = crate::limits::MAX_TEXT_CHARS;
    /// The most line comments a review may hold.
    pub const MAX_COMMENTS: usize = 100;
    /// The longest review comment accepted, in characters.
    pub const MAX_COMMENT_CHARS: usize = 5_000;
    /// The longest review summary accepted, in characters.
    pub const MAX_SUMMARY_CHARS: usize = 10_000;
    /// The evidence kind staff find the sent answers and their analysis under.
    pub const ASSESSMENT_EVIDENCE: &str = "written-assessment";
    /// The evidence kind staff find the sent review and its grade under.
    pub const REVIEW_EVIDENCE: &str = "code-review";
    /// Where evidence from the portal says it came from.
    pub const PORTAL_SOURCE: &str = "candidate portal";
}

/// A review as kept in a draft and as sent: what the portal stores, exports and
/// attaches as evidence (`{"summary", "comments": [{"path", "line", "side",
/// "body"}]}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredReview {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    comments: Vec<StoredComment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredComment {
    path: String,
    line: u32,
    #[serde(default)]
    side: StoredSide,
    body: String,
}

/// Which version of the file a comment's line number refers to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StoredSide {
    #[default]
    New,
    Old,
}

impl StoredReview {
    fn review(&self) -> Review {
        Review {
            format: SubmissionFormat::Multiplier,
            summary: self.summary.clone(),
            comments: self
                .comments
                .iter()
                .map(|c| ReviewComment {
                    path: c.path.clone(),
                    line: Some(c.line),
                    start_line: None,
                    side: match c.side {
                        StoredSide::New => Side::New,
                        StoredSide::Old => Side::Old,
                    },
                    body: c.body.clone(),
                })
                .collect(),
        }
    }
}

/// Line breaks as `\n`, whatever the browser sent.
fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// The answers checked against the framework's questions: one per question, in
/// the framework's order (empty where none was given), or every problem. An id
/// that is not a question, or an answer over the limit, is refused by its field
/// (`answers.{question}`).
fn checked_answers(app: &App, answers: &Answers) -> AppResult<Answers> {
    let questions = &app.framework.assessment.questions;
    let mut problems = Vec::new();
    for a in &answers.answers {
        if !questions.iter().any(|q| q.id == a.question) {
            problems.push(FieldProblem::new(
                format!("answers.{}", a.question),
                format!("`{}` is not one of the questions", a.question),
            ));
        }
    }
    let mut out = Vec::new();
    for q in questions {
        let text = answers
            .answers
            .iter()
            .find(|a| a.question == q.id)
            .map(|a| unix_lines(&a.text))
            .unwrap_or_default();
        if text.chars().count() > App::MAX_ANSWER_CHARS {
            problems.push(FieldProblem::new(
                format!("answers.{}", q.id),
                format!(
                    "the answer to “{}” is longer than {} characters; please shorten it",
                    q.title,
                    App::MAX_ANSWER_CHARS
                ),
            ));
        }
        out.push(Answer {
            question: q.id.clone(),
            text,
        });
    }
    AppError::check("the answers", problems)?;
    Ok(Answers { answers: out })
}

/// The review checked against the exercise's diff, or every problem: the
/// limits, a file of the pull request and a line the diff shows for each
/// comment (comments are on one line each).
fn checked_review(review: &Review, files: &[FileRows]) -> AppResult<StoredReview> {
    let mut problems = Vec::new();
    let summary = unix_lines(&review.summary);
    if summary.chars().count() > App::MAX_SUMMARY_CHARS {
        problems.push(FieldProblem::new(
            "summary",
            format!(
                "the summary is longer than {} characters; please shorten it",
                App::MAX_SUMMARY_CHARS
            ),
        ));
    }
    if review.comments.len() > App::MAX_COMMENTS {
        problems.push(FieldProblem::new(
            "comments",
            format!(
                "a review holds at most {} comments; remove some first",
                App::MAX_COMMENTS
            ),
        ));
    }
    let mut comments = Vec::new();
    for (i, c) in review.comments.iter().enumerate() {
        let field = |part: &str| format!("comments.{i}.{part}");
        let body = unix_lines(&c.body);
        if body.trim().is_empty() {
            problems.push(FieldProblem::new(
                field("body"),
                "a comment needs some text",
            ));
        } else if body.chars().count() > App::MAX_COMMENT_CHARS {
            problems.push(FieldProblem::new(
                field("body"),
                format!(
                    "a comment is longer than {} characters; please shorten it",
                    App::MAX_COMMENT_CHARS
                ),
            ));
        }
        let old = c.side == Side::Old;
        let line = match (c.line, c.start_line) {
            (Some(line), None) => line,
            (Some(line), Some(start)) if start == line => line,
            _ => {
                problems.push(FieldProblem::new(
                    field("line"),
                    "a comment belongs to one line of the diff; give its number",
                ));
                continue;
            }
        };
        match files.iter().find(|f| f.path == c.path) {
            None => problems.push(FieldProblem::new(
                field("path"),
                format!(
                    "`{}` is not a file of this pull request; choose one from the list",
                    c.path
                ),
            )),
            Some(file) if !file.has_line(line, old) => problems.push(FieldProblem::new(
                field("line"),
                format!(
                    "line {line} of {} ({} version) is not shown in the change; pick a line number from the diff",
                    c.path,
                    if old { "old" } else { "new" }
                ),
            )),
            Some(_) => {}
        }
        comments.push(StoredComment {
            path: c.path.clone(),
            line,
            side: if old {
                StoredSide::Old
            } else {
                StoredSide::New
            },
            body,
        });
    }
    AppError::check("the review", problems)?;
    Ok(StoredReview { summary, comments })
}

fn encoded<T: Serialize>(what: &str, value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value)
        .map_err(|e| AppError::Internal(format!("cannot encode {what}: {e}")))
}

/// The built-in exercise `slug` and its diff as rows.
pub(crate) fn exercise(slug: &str) -> AppResult<(Exercise, Vec<FileRows>)> {
    let builtin = Builtin::find(slug).ok_or_else(|| {
        AppError::Internal(format!(
            "the link's exercise `{slug}` is not built into this version"
        ))
    })?;
    let ex = builtin
        .load()
        .map_err(|e| AppError::Internal(format!("the built-in exercise `{slug}`: {e}")))?;
    let files = rows(&ex.diff_text)
        .map_err(|e| AppError::Internal(format!("the diff of exercise `{slug}`: {e}")))?;
    Ok((ex, files))
}

impl App {
    /// The candidate's work on a task through this link, draft or submitted.
    pub async fn work(&self, visit: &Visit, task: Task) -> AppResult<Option<Work>> {
        Ok(self.store.work(visit.link.id, task).await?)
    }

    /// Refused as a conflict when the task was already sent through this link.
    async fn not_sent(&self, visit: &Visit, task: Task, message: &str) -> AppResult<()> {
        match self.work(visit, task).await? {
            Some(w) if w.submitted_at.is_some() => Err(AppError::Conflict(message.to_string())),
            _ => Ok(()),
        }
    }

    /// Save a draft given as the JSON the portal keeps for `task` (answers as
    /// `{"answers": [{"question", "text"}]}`, a review as `{"summary",
    /// "comments": [{"path", "line", "side", "body"}]}`), checked like
    /// [`App::save_answers`] and [`App::save_review`]; refused once the task is
    /// submitted.
    pub async fn save_draft(
        &self,
        visit: &Visit,
        task: Task,
        body: &serde_json::Value,
    ) -> AppResult<Timestamp> {
        let unreadable = |e: serde_json::Error| {
            AppError::field("the draft", "body", format!("is not a {task} draft: {e}"))
        };
        let work = match task {
            Task::Assessment => {
                let answers: Answers = serde_json::from_value(body.clone()).map_err(unreadable)?;
                self.save_answers(visit, &answers).await?
            }
            Task::Review => {
                let review: StoredReview =
                    serde_json::from_value(body.clone()).map_err(unreadable)?;
                self.save_review(visit, &review.review()).await?
            }
        };
        Ok(work.saved_at)
    }

    /// The written answers kept through this link, one per question in the
    /// framework's order (empty where none is saved yet), and the work they come
    /// from (`None` before the first save).
    pub async fn written_answers(&self, visit: &Visit) -> AppResult<(Answers, Option<Work>)> {
        let work = self.work(visit, Task::Assessment).await?;
        let stored: Answers = work
            .as_ref()
            .and_then(|w| serde_json::from_value(w.body.clone()).ok())
            .unwrap_or(Answers {
                answers: Vec::new(),
            });
        let answers = self
            .framework
            .assessment
            .questions
            .iter()
            .map(|q| Answer {
                question: q.id.clone(),
                text: stored
                    .answers
                    .iter()
                    .find(|a| a.question == q.id)
                    .map(|a| a.text.clone())
                    .unwrap_or_default(),
            })
            .collect();
        Ok((Answers { answers }, work))
    }

    /// Save the written answers as a draft: one per question, each within
    /// [`App::MAX_ANSWER_CHARS`]; an id that is not a question is refused.
    /// Refused as a conflict once the answers are sent. Answers with the draft
    /// as stored.
    pub async fn save_answers(&self, visit: &Visit, answers: &Answers) -> AppResult<Work> {
        let answers = checked_answers(self, answers)?;
        let body = encoded("the answers", &answers)?;
        let saved_at = self
            .store
            .save_work(visit.link.id, Task::Assessment, &body)
            .await?;
        Ok(Work {
            task: Task::Assessment,
            body,
            saved_at,
            submitted_at: None,
        })
    }

    /// Send the written answers, once. They are checked like a draft, at least
    /// one must say something, and a second sending is a conflict that stores
    /// nothing. The answers are frozen and, in the same transaction, attached to
    /// the candidate as `written-assessment` evidence with the answer analyzer's
    /// flags on the non-empty ones. Answers with when they were sent.
    pub async fn submit_assessment(
        &self,
        visit: &Visit,
        answers: &Answers,
    ) -> AppResult<Timestamp> {
        self.not_sent(
            visit,
            Task::Assessment,
            "your answers were already sent; they cannot be sent twice",
        )
        .await?;
        let answers = checked_answers(self, answers)?;
        let answered = Answers {
            answers: answers
                .answers
                .iter()
                .filter(|a| !a.text.trim().is_empty())
                .cloned()
                .collect(),
        };
        if answered.answers.is_empty() {
            return Err(AppError::field(
                "the answers",
                "answers",
                "there is nothing to send yet: write at least one answer, save it, then send",
            ));
        }
        let analysis = self.analyze_answers(answered).await?;
        let evidence = SubmittedEvidence {
            kind: App::ASSESSMENT_EVIDENCE.to_string(),
            source: App::PORTAL_SOURCE.to_string(),
            body: json!({ "answers": answers.answers, "analysis": analysis }),
        };
        let body = encoded("the answers", &answers)?;
        Ok(self
            .store
            .submit_work(visit.link.id, Task::Assessment, &body, &evidence)
            .await?)
    }

    /// The link's code-review exercise and its diff as rows, for showing it.
    pub fn review_exercise(&self, visit: &Visit) -> AppResult<(Exercise, Vec<FileRows>)> {
        exercise(&visit.link.exercise)
    }

    /// The review kept through this link (empty before the first save) and the
    /// work it comes from.
    pub async fn review_draft(&self, visit: &Visit) -> AppResult<(Review, Option<Work>)> {
        let work = self.work(visit, Task::Review).await?;
        let stored: StoredReview = work
            .as_ref()
            .and_then(|w| serde_json::from_value(w.body.clone()).ok())
            .unwrap_or_default();
        Ok((stored.review(), work))
    }

    /// Save the review as a draft, checked against the link's exercise: within
    /// the limits, each comment on one line the diff shows of one of its files.
    /// Refused as a conflict once the review is sent. Answers with the draft as
    /// stored.
    pub async fn save_review(&self, visit: &Visit, review: &Review) -> AppResult<Work> {
        let (_, files) = self.review_exercise(visit)?;
        let stored = checked_review(review, &files)?;
        let body = encoded("the review", &stored)?;
        let saved_at = self
            .store
            .save_work(visit.link.id, Task::Review, &body)
            .await?;
        Ok(Work {
            task: Task::Review,
            body,
            saved_at,
            submitted_at: None,
        })
    }

    /// Send the review, once. It is checked like a draft, it must hold a comment
    /// or a summary, and a second sending is a conflict that stores nothing. The
    /// review is frozen and, in the same transaction, attached to the candidate
    /// as `code-review` evidence with the grader's explained result. Answers with
    /// when it was sent.
    pub async fn submit_review(&self, visit: &Visit, review: &Review) -> AppResult<Timestamp> {
        self.not_sent(
            visit,
            Task::Review,
            "your review was already sent; it cannot be changed or sent twice",
        )
        .await?;
        let (ex, files) = self.review_exercise(visit)?;
        let stored = checked_review(review, &files)?;
        if stored.comments.is_empty() && stored.summary.trim().is_empty() {
            return Err(AppError::field(
                "the review",
                "review",
                "there is nothing to send yet: add a comment or a summary, then send",
            ));
        }
        let result = self.grade_review(ex.clone(), stored.review()).await?;
        let evidence = SubmittedEvidence {
            kind: App::REVIEW_EVIDENCE.to_string(),
            source: App::PORTAL_SOURCE.to_string(),
            body: json!({ "exercise": ex.slug, "review": stored, "grade": result }),
        };
        let body = encoded("the review", &stored)?;
        Ok(self
            .store
            .submit_work(visit.link.id, Task::Review, &body, &evidence)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(path: &str, line: Option<u32>, side: Side, body: &str) -> ReviewComment {
        ReviewComment {
            path: path.into(),
            line,
            start_line: None,
            side,
            body: body.into(),
        }
    }

    #[test]
    fn a_review_is_checked_against_the_diff_with_a_problem_per_comment() {
        let (_, files) = exercise("orders-n-plus-one").unwrap_or_else(|e| panic!("{e}"));
        let f = &files[0];
        let line = f
            .hunks
            .iter()
            .flat_map(|h| &h.rows)
            .find_map(|r| r.new)
            .unwrap_or_default();
        let review = Review {
            format: SubmissionFormat::Multiplier,
            summary: "Fix it.\r\nThen merge.".into(),
            comments: vec![
                comment(&f.path, Some(line), Side::New, "why\r\nthis"),
                comment(&f.path, Some(99_999), Side::New, "x"),
                comment("nope.py", Some(1), Side::New, "x"),
                comment(&f.path, None, Side::New, "x"),
                comment(&f.path, Some(line), Side::New, "  "),
            ],
        };
        let e = checked_review(&review, &files).expect_err("four bad comments");
        let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "comments.1.line",
                "comments.2.path",
                "comments.3.line",
                "comments.4.body"
            ]
        );
        let good = Review {
            comments: review.comments[..1].to_vec(),
            ..review
        };
        let stored = checked_review(&good, &files).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stored.summary, "Fix it.\nThen merge.");
        assert_eq!(stored.comments[0].body, "why\nthis");
        assert_eq!(stored.review().comments[0].line, Some(line));
    }

    #[test]
    fn the_stored_review_keeps_its_json_shape() {
        let stored = StoredReview {
            summary: "s".into(),
            comments: vec![StoredComment {
                path: "a.py".into(),
                line: 3,
                side: StoredSide::Old,
                body: "b".into(),
            }],
        };
        assert_eq!(
            serde_json::to_value(&stored).unwrap_or_default(),
            json!({"summary": "s", "comments": [{"path": "a.py", "line": 3, "side": "old", "body": "b"}]})
        );
        let read: StoredReview =
            serde_json::from_value(json!({"comments": [{"path": "a.py", "line": 3, "body": "b"}]}))
                .unwrap_or_default();
        assert_eq!(read.comments[0].side, StoredSide::New);
    }
}
