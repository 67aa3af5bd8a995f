//! `/candidates/{id}/scorecards` under the blind rule, and
//! `/candidates/{id}/references`.

use super::{ErrorBody, Failure, FieldProblem, Outcome, at, check, created};
use crate::AppState;
use crate::access::{self, CandidateContext};
use crate::auth::CurrentUser;
use crate::error::WebError;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use multiplier_core::Signal;
use multiplier_core::pipeline::{RaisedFlag, Recommendation, Reference, ReferenceKind, Scorecard};
use multiplier_core::score::Score;
use multiplier_store::{CandidateId, HiringStore, ReferenceRecord, ScorecardRecord};
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

/// Read every scorecard on the candidate, when the blind rule allows: you must
/// have submitted your own first (403 says why otherwise).
#[utoipa::path(
    get,
    path = "/candidates/{id}/scorecards",
    tag = "interviews",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, body = Vec<ScorecardDto>),
        (status = 401, body = ErrorBody),
        (status = 403, description = "The blind rule: the reason is in the message", body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn list_scorecards(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<Vec<ScorecardDto>>> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    if let Err(reason) = access::may_read_scorecards(&state, &user, &ctx).await? {
        return Err(Failure::Web(WebError::Forbidden(format!(
            "other scorecards on this candidate stay hidden: {reason}; submit yours first"
        ))));
    }
    let cards = state.store.scorecards(ctx.candidate.id).await?;
    Ok(Json(cards.iter().map(ScorecardDto::new).collect()))
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
        (status = 201, body = ScorecardDto),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not assigned to the stage, or no CSRF token", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already submitted (amend with a reason), or nothing to amend", body = ErrorBody),
        (status = 422, description = "The scorecard breaks the stage's rules", body = ErrorBody),
    )
)]
async fn submit_scorecard(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<ScorecardBody>,
) -> Outcome<Response> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    let stage = body.stage.trim().to_string();
    access::require_scorer(&user, &ctx, &stage)?;
    let mut problems = Vec::new();
    let scores = scores(&body.scores, "scores", &mut problems);
    let mut notes = BTreeMap::new();
    for (k, text) in &body.notes {
        match signal(k) {
            Some(s) => {
                notes.insert(s, text.trim().to_string());
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
    let reason = body
        .amendment_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let previous = state
        .store
        .scorecards(ctx.candidate.id)
        .await?
        .into_iter()
        .filter(|r| r.card.stage == stage && r.card.interviewer == user.name)
        .map(|r| r.card.version)
        .max();
    let version = match (&reason, previous) {
        (None, None) => 1,
        (None, Some(_)) => {
            return Err(Failure::Web(WebError::Conflict(format!(
                "you already submitted a scorecard for the {stage} stage; a submitted scorecard does not change: send it again with an amendment_reason"
            ))));
        }
        (Some(_), None) => {
            return Err(Failure::Web(WebError::Conflict(format!(
                "there is no scorecard of yours for the {stage} stage to amend; leave amendment_reason out"
            ))));
        }
        (Some(_), Some(v)) => v + 1,
    };
    let card = Scorecard {
        stage,
        interviewer: user.name.clone(),
        scores,
        notes,
        red_flags: body
            .red_flags
            .iter()
            .map(|f| RaisedFlag {
                id: f.id.trim().to_string(),
                note: f.note.trim().to_string(),
            })
            .collect(),
        recommendation: recommendation.unwrap_or(Recommendation::No),
        version,
        amendment_reason: reason,
    };
    let problems: Vec<FieldProblem> = card
        .problems(&state.framework)
        .into_iter()
        .map(|p| FieldProblem::new(p.field, p.message))
        .collect();
    check("the scorecard", problems)?;
    let submission = if card.version == 1 {
        multiplier_store::Submission::First
    } else {
        multiplier_store::Submission::Amendment
    };
    let stored = state
        .store
        .submit_scorecard(&user.name, ctx.candidate.id, &card, submission)
        .await?;
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

/// Whether `user` may read the candidate's references: hiring managers and the
/// interviewer who takes them, or anyone once the blind rule lets them read the
/// scorecards (references carry scores too).
pub fn references_visible(user: &CurrentUser, ctx: &CandidateContext, open: bool) -> bool {
    open || user.is_admin() || ctx.is_assigned(&user.name, REFERENCES)
}

const REFERENCES: &str = "references";

/// The candidate's references.
#[utoipa::path(
    get,
    path = "/candidates/{id}/references",
    tag = "interviews",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, body = Vec<ReferenceDto>),
        (status = 401, body = ErrorBody),
        (status = 403, description = "The blind rule: the reason is in the message", body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn list_references(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<Vec<ReferenceDto>>> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    let open = access::may_read_scorecards(&state, &user, &ctx).await?;
    if !references_visible(&user, &ctx, open.is_ok()) {
        let reason = open.err().unwrap_or_default();
        return Err(Failure::Web(WebError::Forbidden(format!(
            "references carry scores and stay hidden like scorecards: {reason}"
        ))));
    }
    let refs = state.store.references(ctx.candidate.id).await?;
    Ok(Json(refs.iter().map(ReferenceDto::new).collect()))
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
        (status = 201, body = ReferenceDto),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn add_reference(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<ReferenceBody>,
) -> Outcome<Response> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    access::require_scorer(&user, &ctx, REFERENCES)?;
    let mut problems = Vec::new();
    let kind = match body.kind.trim() {
        "engineer" => Some(ReferenceKind::Engineer),
        "manager" => Some(ReferenceKind::Manager),
        _ => {
            problems.push(FieldProblem::new("kind", "use engineer or manager"));
            None
        }
    };
    for (field, v) in [
        ("name", &body.name),
        ("relationship", &body.relationship),
        ("answer", &body.answer),
    ] {
        if v.trim().is_empty() {
            problems.push(FieldProblem::new(field, "must not be empty"));
        }
    }
    let scores = scores(&body.scores, "scores", &mut problems);
    let feeds = state
        .framework
        .stage(REFERENCES)
        .map(|s| s.signals.clone())
        .unwrap_or_default();
    for s in scores.keys().filter(|s| !feeds.contains(s)) {
        problems.push(FieldProblem::new(
            format!("scores.{}", s.id()),
            "the references stage does not feed this signal",
        ));
    }
    check("the reference", problems)?;
    let reference = Reference {
        kind: kind.unwrap_or(ReferenceKind::Manager),
        name: body.name.trim().to_string(),
        relationship: body.relationship.trim().to_string(),
        answer: body.answer.trim().to_string(),
        example: body.example.trim().to_string(),
        scores,
    };
    let rid = state
        .store
        .add_reference(&user.name, ctx.candidate.id, &reference)
        .await?;
    let stored = state
        .store
        .references(ctx.candidate.id)
        .await?
        .into_iter()
        .find(|r| r.id == rid)
        .ok_or_else(|| WebError::Internal("the stored reference cannot be read back".into()))?;
    Ok(created(ReferenceDto::new(&stored)))
}
