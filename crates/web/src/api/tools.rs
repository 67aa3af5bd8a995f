//! Stateless tools for anyone signed in: the job-description linter and writer,
//! the built-in code-review exercises, the review grader and the written-answer
//! analyzer. Nothing here is stored.

use super::grade::GradeDto;
use super::openings::Intake;
use super::{Failure, FieldProblem, Outcome, Problem};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use axum::Json;
use axum::extract::State;
use multiplier_core::answers::{Answers, AnswersError};
use multiplier_core::jd::{self, Baseline};
use multiplier_core::review::{BUILTIN, Builtin, Review};
use multiplier_store::OpeningId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lint))
        .routes(routes!(write))
        .routes(routes!(exercises))
        .routes(routes!(review_grade))
        .routes(routes!(answers_analyze))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LintBody {
    /// The job description (Markdown or plain text).
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LintFinding {
    /// The rule id, e.g. `vague-phrase`, `gendered-wording`, `missing-coding-share`.
    pub rule: String,
    /// 1-based; null for a rule about the whole text.
    pub line: Option<usize>,
    /// The matched text (empty when a fact is missing).
    pub text: String,
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LintSummary {
    pub findings: usize,
    pub words: usize,
    pub masculine: usize,
    pub feminine: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LintResult {
    pub findings: Vec<LintFinding>,
    pub summary: LintSummary,
}

fn lint_result(r: jd::LintReport) -> LintResult {
    LintResult {
        findings: r
            .findings
            .into_iter()
            .map(|f| LintFinding {
                rule: f.rule.to_string(),
                line: f.line,
                text: f.text,
                message: f.message,
                hint: f.hint,
            })
            .collect(),
        summary: LintSummary {
            findings: r.summary.findings,
            words: r.summary.words,
            masculine: r.summary.masculine,
            feminine: r.summary.feminine,
        },
    }
}

/// Lint a job description: missing facts, generic phrasing and gender-coded
/// wording, each finding at its line with a fix.
#[utoipa::path(
    post,
    path = "/jd/lint",
    tag = "tools",
    request_body = LintBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The findings, each at its line with a fix", body = LintResult),
        (status = 401, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn lint(
    State(state): State<AppState>,
    _user: CurrentUser,
    Json(body): Json<LintBody>,
) -> Outcome<Json<LintResult>> {
    Ok(Json(lint_result(state.app.lint_jd(body.text).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteBody {
    /// Write for this opening's role, with its saved delivery baseline.
    #[serde(default)]
    pub opening: Option<i64>,
    /// Or write from intake answers given here (no baseline).
    #[serde(default)]
    pub intake: Option<Intake>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JdSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub bullets: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WrittenJd {
    pub title: String,
    pub markdown: String,
    pub sections: Vec<JdSection>,
    /// Facts the description had to leave out, and how to supply them.
    pub gaps: Vec<String>,
    /// The linter's report on the written text.
    pub lint: LintResult,
}

/// Write a job description from a role (an opening's, or intake answers) and its
/// measured baseline, linted.
#[utoipa::path(
    post,
    path = "/jd/write",
    tag = "tools",
    request_body = WriteBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The job description, its gaps and its lint report", body = WrittenJd),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The opening's stored role no longer fits the framework, or a saved metrics snapshot is unreadable", body = Problem),
        (status = 422, description = "Neither or both of opening and intake, or invalid answers", body = Problem),
    )
)]
async fn write(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<WriteBody>,
) -> Outcome<Json<WrittenJd>> {
    let fw = &state.framework;
    let (role, baseline) = match (body.opening, &body.intake) {
        (Some(id), None) => {
            state
                .app
                .opening_role(&user.account(), OpeningId(id))
                .await?
        }
        (None, Some(intake)) => (intake.role(fw)?, Baseline::default()),
        _ => {
            return Err(Failure::invalid(
                "the request",
                vec![FieldProblem::new(
                    "opening",
                    "give either `opening` (an id) or `intake` (the answers), not both",
                )],
            ));
        }
    };
    let d = jd::write(fw, &role, &baseline);
    let markdown = d.to_markdown();
    let lint = lint_result(state.app.lint_jd(markdown.clone()).await?);
    Ok(Json(WrittenJd {
        title: d.title,
        sections: d
            .sections
            .into_iter()
            .map(|s| JdSection {
                heading: s.heading,
                paragraphs: s.paragraphs,
                bullets: s.bullets,
            })
            .collect(),
        gaps: d.gaps,
        markdown,
        lint,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseDto {
    /// Use it as `exercise` in `POST /review/grade`.
    pub slug: String,
    pub title: String,
    pub language: String,
    pub summary: String,
    /// Planted issues, and how many of them matter.
    pub issues: usize,
    pub material: usize,
    /// e.g. `security`, `performance`, `style`.
    pub categories: Vec<String>,
}

/// The built-in code-review exercises.
#[utoipa::path(
    get,
    path = "/exercises",
    tag = "tools",
    security(("session" = [])),
    responses(
        (status = 200, description = "The built-in exercises", body = Vec<ExerciseDto>),
        (status = 401, body = Problem),
    )
)]
async fn exercises(_user: CurrentUser) -> Outcome<Json<Vec<ExerciseDto>>> {
    let mut out = Vec::new();
    for b in BUILTIN {
        let ex = b.load().map_err(|e| {
            WebError::Internal(format!("the built-in exercise {} is invalid: {e}", b.slug))
        })?;
        let mut categories: Vec<String> = ex
            .issues
            .iter()
            .map(|i| i.category.id().to_string())
            .collect();
        categories.sort_unstable();
        categories.dedup();
        out.push(ExerciseDto {
            slug: b.slug.to_string(),
            material: ex
                .issues
                .iter()
                .filter(|i| i.severity.is_material())
                .count(),
            issues: ex.issues.len(),
            title: ex.title,
            language: ex.language,
            summary: ex.summary,
            categories,
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeBody {
    /// A built-in exercise's slug (see `GET /exercises`).
    pub exercise: String,
    /// The review, in multiplier's format or as GitHub's export of pull-request
    /// review comments; core reads either (docs/review-grading.md).
    #[schema(value_type = ReviewInput)]
    pub review: serde_json::Value,
}

/// A review to grade: multiplier's own format, or GitHub's review-comments
/// export (an array).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // describes the JSON that core's review reader accepts
#[serde(untagged)]
pub enum ReviewInput {
    Multiplier(ReviewDocument),
    Github(Vec<GithubReviewComment>),
}

/// A review in multiplier's format.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct ReviewDocument {
    /// The review's overall message.
    #[schema(default = "")]
    pub summary: Option<String>,
    pub comments: Vec<ReviewCommentInput>,
}

/// One line comment of a review.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct ReviewCommentInput {
    /// A file of the exercise's diff.
    pub path: String,
    /// The (last) line commented on, in the new version; leave out for the whole file.
    pub line: Option<u32>,
    /// The first line of a comment on several lines.
    pub start_line: Option<u32>,
    pub body: String,
}

/// One comment of GitHub's export of pull-request review comments.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct GithubReviewComment {
    pub path: String,
    pub line: Option<u32>,
    pub original_line: Option<u32>,
    pub start_line: Option<u32>,
    pub original_start_line: Option<u32>,
    /// `RIGHT` (the new version) or `LEFT` (a removed line).
    pub side: Option<String>,
    pub body: String,
}

/// Grade a review of an exercise: issues found, priority (security >
/// performance > style) and teaching, each point explained. The body is the
/// grade as documented in docs/review-grading.md.
#[utoipa::path(
    post,
    path = "/review/grade",
    tag = "tools",
    request_body = GradeBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The grade, every point explained (docs/review-grading.md)", body = GradeDto),
        (status = 401, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn review_grade(
    State(state): State<AppState>,
    _user: CurrentUser,
    Json(body): Json<GradeBody>,
) -> Outcome<Json<GradeDto>> {
    let Some(builtin) = Builtin::find(body.exercise.trim()) else {
        let slugs: Vec<&str> = BUILTIN.iter().map(|b| b.slug).collect();
        return Err(Failure::field(
            "exercise",
            format!(
                "is not a built-in exercise; choose one of {}",
                slugs.join(", ")
            ),
        ));
    };
    let exercise = builtin.load().map_err(|e| {
        WebError::Internal(format!(
            "the built-in exercise {} is invalid: {e}",
            builtin.slug
        ))
    })?;
    let text = serde_json::to_string(&body.review)
        .map_err(|e| WebError::Internal(format!("cannot re-encode the review: {e}")))?;
    let review = Review::parse("review", &text).map_err(|p| {
        Failure::invalid(
            "the review",
            p.problems
                .into_iter()
                .map(|p| FieldProblem::new(format!("review.{}", p.field), p.message))
                .collect(),
        )
    })?;
    let g = state.app.grade_review(exercise, review).await?;
    Ok(Json(GradeDto::from(&g)))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// A written-assessment question id of the framework.
    pub question: String,
    pub text: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeBody {
    pub answers: Vec<AnswerBody>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerFlag {
    /// e.g. `universal-claim`, `decision-without-process`.
    pub id: String,
    /// The sentence it rests on.
    pub evidence: String,
    /// 1-based line in the answer.
    pub line: usize,
    pub reason: String,
    /// The framework red flag a reader may want to confirm.
    pub red_flag: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerFlags {
    pub question: String,
    pub flags: Vec<AnswerFlag>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnalyzeResult {
    /// In the order given. Flags point at sentences to reread; people judge.
    pub answers: Vec<AnswerFlags>,
}

/// Flag written-assessment answers: claims stated as universal, decisions
/// without their process, missing alternatives or outcome, comments that correct
/// instead of teach.
#[utoipa::path(
    post,
    path = "/answers/analyze",
    tag = "tools",
    request_body = AnalyzeBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The flags per answer, each with the sentence it rests on", body = AnalyzeResult),
        (status = 401, body = Problem),
        (status = 422, description = "An unknown question id", body = Problem),
    )
)]
async fn answers_analyze(
    State(state): State<AppState>,
    _user: CurrentUser,
    Json(body): Json<AnalyzeBody>,
) -> Outcome<Json<AnalyzeResult>> {
    let text = serde_json::to_string(&body)
        .map_err(|e| WebError::Internal(format!("cannot re-encode the answers: {e}")))?;
    let answers = Answers::parse("answers", &text, &state.framework).map_err(|e| match e {
        AnswersError::UnknownQuestion { index, .. } => {
            Failure::field(&format!("answers[{index}].question"), e.to_string())
        }
        AnswersError::Unreadable(p) => Failure::invalid(
            "the answers",
            p.problems
                .into_iter()
                .map(|p| FieldProblem::new(p.field, p.message))
                .collect(),
        ),
    })?;
    let report = state.app.analyze_answers(answers).await?;
    Ok(Json(AnalyzeResult {
        answers: report
            .answers
            .into_iter()
            .map(|a| AnswerFlags {
                question: a.question,
                flags: a
                    .flags
                    .into_iter()
                    .map(|f| AnswerFlag {
                        id: f.id.to_string(),
                        evidence: f.evidence,
                        line: f.line,
                        reason: f.reason,
                        red_flag: f.red_flag.to_string(),
                    })
                    .collect(),
            })
            .collect(),
    }))
}
