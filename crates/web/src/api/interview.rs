//! `/candidates/{id}/scorecards` and `/candidates/{id}/references`: what the
//! blind rule lets you read, and submitting your own. Each handler parses the
//! body into core's types and calls one use case of [`multiplier_app::App`].

use super::paging::{PageQuery, next_link};
use super::{FieldProblem, Outcome, Problem, at, check, created};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::response::Response;
use multiplier_app::{AppError, ScorecardDraft, ScorecardListing};
use multiplier_core::Signal;
use multiplier_core::pipeline::{RaisedFlag, Recommendation, Reference, ReferenceKind};
use multiplier_core::score::Score;
use multiplier_store::{CandidateId, ReferenceRecord, ScorecardRecord};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_scorecards, submit_scorecard))
        .routes(routes!(list_references, add_reference))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagDto {
    /// A red flag id of the framework.
    pub id: String,
    /// What was seen.
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScorecardDto {
    pub id: i64,
    pub stage: String,
    pub interviewer: String,
    /// 1–4 per signal (`technical-depth`, `team-multiplier`) the stage feeds.
    pub scores: BTreeMap<String, u8>,
    /// The evidence behind each score.
    pub notes: BTreeMap<String, String>,
    pub red_flags: Vec<FlagDto>,
    /// `strong-no`, `no`, `yes` or `strong-yes`.
    pub recommendation: String,
    pub version: u32,
    pub amendment_reason: Option<String>,
    pub submitted_at: String,
}

fn id_of<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl ScorecardDto {
    pub fn new(r: &ScorecardRecord) -> Self {
        let c = &r.card;
        ScorecardDto {
            id: r.id,
            stage: c.stage.clone(),
            interviewer: c.interviewer.clone(),
            scores: c
                .scores
                .iter()
                .map(|(s, n)| (s.id().to_string(), n.get()))
                .collect(),
            notes: c
                .notes
                .iter()
                .map(|(s, t)| (s.id().to_string(), t.clone()))
                .collect(),
            red_flags: c
                .red_flags
                .iter()
                .map(|f| FlagDto {
                    id: f.id.clone(),
                    note: f.note.clone(),
                })
                .collect(),
            recommendation: id_of(c.recommendation),
            version: c.version,
            amendment_reason: c.amendment_reason.clone(),
            submitted_at: at(r.submitted_at),
        }
    }
}

/// The scorecards you may read on a candidate, and how many the blind rule
/// withholds.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScorecardList {
    /// One page of every version you may read, oldest first: your own always,
    /// the others' once you have submitted all of yours for the candidate.
    pub scorecards: Vec<ScorecardDto>,
    /// Versions by others withheld under the blind rule (the same on every page).
    pub hidden_scorecards: usize,
    /// Why they are withheld, while they are.
    pub blind: Option<String>,
    /// The link to the next page, or null on the last.
    pub next: Option<String>,
}

/// The scorecards on the candidate that you may read, one page at a time.
/// While you still owe a scorecard on the candidate that is your own only, with
/// `hidden_scorecards` and `blind` saying how many others are withheld and why;
/// a hiring manager who does not interview the candidate reads them all. The
/// blind rule is applied before the paging, so no page reaches a withheld card.
#[utoipa::path(
    get,
    path = "/candidates/{id}/scorecards",
    tag = "interviews",
    params(("id" = i64, Path, description = "The candidate"), PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "One page of the scorecards you may read, and how many the blind rule withholds", body = ScorecardList),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "A page size outside 1–200 (`limit`), or a cursor that is not one of this candidate's list (`cursor`)", body = Problem),
    )
)]
async fn list_scorecards(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(page): Query<PageQuery>,
    RawQuery(raw): RawQuery,
) -> Outcome<Json<ScorecardList>> {
    let list = state
        .app
        .scorecard_page(
            &user.account(),
            CandidateId(id),
            ScorecardListing::EveryVersion,
            &page.request(),
        )
        .await?;
    Ok(Json(ScorecardList {
        scorecards: list.rows.iter().map(ScorecardDto::new).collect(),
        hidden_scorecards: list.hidden,
        blind: list.blind,
        next: next_link(
            &format!("/candidates/{id}/scorecards"),
            raw.as_deref(),
            list.next,
        ),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardBody {
    /// The stage id you interviewed for (you must be assigned to it).
    pub stage: String,
    /// 1–4 for each signal the stage feeds, and no other.
    pub scores: BTreeMap<String, i64>,
    /// The evidence behind each score; required for a 1 or a 4.
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
    #[serde(default)]
    pub red_flags: Vec<FlagDto>,
    /// `strong-no`, `no`, `yes` or `strong-yes`.
    pub recommendation: String,
    /// To amend your submitted scorecard: why (the amendment is a new version).
    #[serde(default)]
    pub amendment_reason: Option<String>,
}

fn signal(id: &str) -> Option<Signal> {
    Signal::ALL.into_iter().find(|s| s.id() == id.trim())
}

const SIGNALS: &str = "technical-depth or team-multiplier";

/// Per-signal scores, each problem named by its field.
fn scores(
    given: &BTreeMap<String, i64>,
    field: &str,
    problems: &mut Vec<FieldProblem>,
) -> BTreeMap<Signal, Score> {
    let mut out = BTreeMap::new();
    for (k, n) in given {
        let f = format!("{field}.{k}");
        match (signal(k), Score::new(*n)) {
            (None, _) => problems.push(FieldProblem::new(
                f,
                format!("is not a signal; use {SIGNALS}"),
            )),
            (_, Err(e)) => problems.push(FieldProblem::new(f, e)),
            (Some(s), Ok(score)) => {
                out.insert(s, score);
            }
        }
    }
    out
}

/// Submit your scorecard for a stage you are assigned to (or amend it with a
/// reason). Checked against the framework's rules; each problem comes back.
#[utoipa::path(
    post,
    path = "/candidates/{id}/scorecards",
    tag = "interviews",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = ScorecardBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The scorecard as stored, with its version", body = ScorecardDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not assigned to the stage, or no CSRF token", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already submitted (amend with a reason), or nothing to amend", body = Problem),
        (status = 422, description = "The scorecard breaks the stage's rules", body = Problem),
    )
)]
async fn submit_scorecard(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<ScorecardBody>,
) -> Outcome<Response> {
    let mut problems = Vec::new();
    let scores = scores(&body.scores, "scores", &mut problems);
    let mut notes = BTreeMap::new();
    for (k, text) in &body.notes {
        match signal(k) {
            Some(s) => {
                notes.insert(s, text.clone());
            }
            None => problems.push(FieldProblem::new(
                format!("notes.{k}"),
                format!("is not a signal; use {SIGNALS}"),
            )),
        }
    }
    let recommendation: Option<Recommendation> =
        serde_json::from_value(serde_json::Value::String(body.recommendation.trim().into())).ok();
    if recommendation.is_none() {
        problems.push(FieldProblem::new(
            "recommendation",
            "use strong-no, no, yes or strong-yes",
        ));
    }
    check("the scorecard", problems)?;
    let draft = ScorecardDraft {
        stage: body.stage,
        scores,
        notes,
        red_flags: body
            .red_flags
            .into_iter()
            .map(|f| RaisedFlag {
                id: f.id,
                note: f.note,
            })
            .collect(),
        recommendation: recommendation.unwrap_or(Recommendation::No),
    };
    let stored = state
        .app
        .submit_scorecard(
            &user.account(),
            CandidateId(id),
            &draft,
            body.amendment_reason.as_deref(),
        )
        .await
        .map_err(|e| match e {
            // Say how this door amends: the reason goes in its own field.
            AppError::Conflict(m) => AppError::Conflict(format!(
                "{m} (in the API, an amendment is the scorecard sent again with its `amendment_reason`)"
            )),
            other => other,
        })?;
    Ok(created(ScorecardDto::new(&stored)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceDto {
    pub id: i64,
    /// `engineer` (a former report or peer; weighs most) or `manager`.
    pub kind: String,
    pub name: String,
    pub relationship: String,
    /// Did their code get better under the candidate's reviews? In their words.
    pub answer: String,
    /// The concrete example they gave (empty when none).
    pub example: String,
    pub scores: BTreeMap<String, u8>,
    pub created_at: String,
}

impl ReferenceDto {
    pub fn new(r: &ReferenceRecord) -> Self {
        let x = &r.reference;
        ReferenceDto {
            id: r.id,
            kind: x.kind.id().to_string(),
            name: x.name.clone(),
            relationship: x.relationship.clone(),
            answer: x.answer.clone(),
            example: x.example.clone(),
            scores: x
                .scores
                .iter()
                .map(|(s, n)| (s.id().to_string(), n.get()))
                .collect(),
            created_at: at(r.created_at),
        }
    }
}

/// The references you may read on a candidate, and how many the blind rule
/// withholds.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceList {
    /// All of them once you may read others' judgements on the candidate;
    /// before that, the ones you recorded yourself.
    pub references: Vec<ReferenceDto>,
    /// References withheld under the blind rule.
    pub hidden_references: usize,
    /// Why they are withheld, while they are.
    pub blind: Option<String>,
}

/// The candidate's references that you may read. References carry scores, so
/// while you still owe a scorecard on the candidate you read only the ones you
/// recorded, with `hidden_references` and `blind` saying how many others are
/// withheld and why.
#[utoipa::path(
    get,
    path = "/candidates/{id}/references",
    tag = "interviews",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The references you may read, and how many the blind rule withholds", body = ReferenceList),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
    )
)]
async fn list_references(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<ReferenceList>> {
    let list = state
        .app
        .references(&user.account(), CandidateId(id))
        .await?;
    Ok(Json(ReferenceList {
        references: list.items.iter().map(ReferenceDto::new).collect(),
        hidden_references: list.hidden,
        blind: list.blind,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceBody {
    /// `engineer` or `manager`.
    pub kind: String,
    pub name: String,
    pub relationship: String,
    /// Did their code get better under the candidate's reviews? Their answer.
    pub answer: String,
    /// The concrete example they gave (leave empty if they could not give one).
    #[serde(default)]
    pub example: String,
    /// Your 1–4 reading per signal the references stage feeds.
    #[serde(default)]
    pub scores: BTreeMap<String, i64>,
}

/// Record a structured reference (the interviewer assigned to the references
/// stage, or a hiring manager).
#[utoipa::path(
    post,
    path = "/candidates/{id}/references",
    tag = "interviews",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = ReferenceBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The reference as stored", body = ReferenceDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn add_reference(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<ReferenceBody>,
) -> Outcome<Response> {
    let mut problems = Vec::new();
    let kind: Option<ReferenceKind> =
        serde_json::from_value(serde_json::Value::String(body.kind.trim().into())).ok();
    if kind.is_none() {
        problems.push(FieldProblem::new("kind", "use engineer or manager"));
    }
    let scores = scores(&body.scores, "scores", &mut problems);
    check("the reference", problems)?;
    let reference = Reference {
        kind: kind.unwrap_or(ReferenceKind::Manager),
        name: body.name,
        relationship: body.relationship,
        answer: body.answer,
        example: body.example,
        scores,
    };
    let stored = state
        .app
        .add_reference(&user.account(), CandidateId(id), &reference)
        .await?;
    Ok(created(ReferenceDto::new(&stored)))
}
