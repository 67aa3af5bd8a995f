//! Hiring managers' writes after the loop: the decision, the offer (a calculator
//! and the recorded offer), its acceptance, and the 90-day onboarding plan.

use super::{ErrorBody, Failure, FieldProblem, Outcome, at, check, created};
use crate::AppState;
use crate::access;
use crate::auth::CurrentUser;
use crate::error::WebError;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::civil::Date;
use multiplier_core::pipeline::{Offer, OfferRequest, Outcome as Verdict, offer, plan};
use multiplier_core::role::parse_split;
use multiplier_store::{
    CandidateId, DecisionRecord, HiringStore, OfferRecord, onboarding_progress, onboarding_start,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(decide))
        .routes(routes!(quote))
        .routes(routes!(record_offer))
        .routes(routes!(accept))
        .routes(routes!(onboarding))
        .routes(routes!(step_done))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionDto {
    pub id: i64,
    pub decided_by: String,
    /// `hire`, `no-hire` or `hold`.
    pub outcome: String,
    pub rationale: String,
    /// What the decision policy said at the time (it explains; people decide).
    pub meets_bar: bool,
    pub created_at: String,
}

impl DecisionDto {
    pub fn new(d: &DecisionRecord) -> Self {
        DecisionDto {
            id: d.id,
            decided_by: d.decided_by.clone(),
            outcome: d.outcome.id().to_string(),
            rationale: d.rationale.clone(),
            meets_bar: d.meets_bar,
            created_at: at(d.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// `hire`, `no-hire` or `hold`.
    pub outcome: String,
    /// Why, in your words; it goes on record with the policy's verdict.
    pub rationale: String,
}

/// Record the hiring decision (hiring managers). The debrief's verdict is stored
/// beside it; a hire against the policy is allowed and on record.
#[utoipa::path(
    post,
    path = "/candidates/{id}/decision",
    tag = "decisions",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = DecisionBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, body = DecisionDto),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a hiring manager, or the blind rule (your own scorecard is pending)", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<DecisionBody>,
) -> Outcome<Response> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    user.require_admin("record a decision")?;
    let mut problems = Vec::new();
    let outcome = Verdict::parse(body.outcome.trim());
    if outcome.is_none() {
        problems.push(FieldProblem::new("outcome", "use hire, no-hire or hold"));
    }
    if body.rationale.trim().is_empty() {
        problems.push(FieldProblem::new(
            "rationale",
            "a decision needs its rationale",
        ));
    }
    check("the decision", problems)?;
    if let Err(reason) = access::may_read_scorecards(&state, &user, &ctx).await? {
        return Err(Failure::Web(WebError::Forbidden(format!(
            "{reason}; the decision rests on every scorecard"
        ))));
    }
    let d = super::openings::load_debrief(&state, &ctx.candidate).await?;
    let outcome = outcome.unwrap_or(Verdict::Hold);
    let did = state
        .store
        .record_decision(
            &user.name,
            ctx.candidate.id,
            outcome,
            body.rationale.trim(),
            d.meets_bar,
        )
        .await?;
    let stored = state
        .store
        .decisions(ctx.candidate.id)
        .await?
        .into_iter()
        .find(|r| r.id == did)
        .ok_or_else(|| WebError::Internal("the stored decision cannot be read back".into()))?;
    Ok(created(DecisionDto::new(&stored)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteBody {
    /// A level id of the framework, e.g. `tech-lead`.
    pub level: String,
    /// A region id, e.g. `us`, `western-europe`, `remote`.
    pub region: String,
    /// The coding/leading split: `70/30`, `60` or `60%` (coding first).
    pub split: String,
    /// The company stage for equity, e.g. `series-a`.
    #[serde(default)]
    pub stage: Option<String>,
}

/// A recommended offer, every step explained.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferQuote {
    pub level: String,
    pub level_name: String,
    pub region: String,
    pub region_name: String,
    pub currency: String,
    pub band_min: u32,
    pub band_max: u32,
    /// Where in the band the split places the offer.
    pub suggested_min: u32,
    pub suggested_max: u32,
    pub coding_share: u8,
    pub equity_stage: Option<String>,
    pub equity_min_percent: Option<f64>,
    pub equity_max_percent: Option<f64>,
    pub explanation: Vec<String>,
}

impl OfferQuote {
    fn new(o: Offer) -> Self {
        OfferQuote {
            level: o.level,
            level_name: o.level_name,
            region: o.region,
            region_name: o.region_name,
            currency: o.currency,
            band_min: o.band_min,
            band_max: o.band_max,
            suggested_min: o.suggested_min,
            suggested_max: o.suggested_max,
            coding_share: o.coding_share,
            equity_stage: o.equity_stage,
            equity_min_percent: o.equity_min_percent,
            equity_max_percent: o.equity_max_percent,
            explanation: o.explanation,
        }
    }
}

fn compute(state: &AppState, body: &QuoteBody) -> Outcome<Offer> {
    let coding = parse_split(&body.split).map_err(|e| Failure::field("split", e))?;
    let request = OfferRequest {
        level: body.level.trim().to_string(),
        region: body.region.trim().to_string(),
        coding,
        stage: body
            .stage
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    };
    offer(&state.framework, &request).map_err(|e| {
        use multiplier_core::pipeline::OfferError as E;
        let field = match &e {
            E::Level { .. } => "level",
            E::Region { .. } => "region",
            E::Stage { .. } => "stage",
            E::NoBand { .. } => "region",
        };
        Failure::field(field, e.to_string())
    })
}

/// The offer calculator: a band from level × region, placed by the split, and
/// equity by company stage (any signed-in staff member, as on the `/offer`
/// page; nothing is stored).
#[utoipa::path(
    post,
    path = "/offer/quote",
    tag = "decisions",
    request_body = QuoteBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, body = OfferQuote),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn quote(
    State(state): State<AppState>,
    _signed_in: CurrentUser,
    Json(body): Json<QuoteBody>,
) -> Outcome<Json<OfferQuote>> {
    // Any signed-in staff member may price an offer, as on the calculator page;
    // recording one for a candidate is the hiring manager's.
    Ok(Json(OfferQuote::new(compute(&state, &body)?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferDto {
    pub id: i64,
    /// The offer as computed when it was made.
    pub offer: serde_json::Value,
    /// `made` or `accepted`.
    pub status: String,
    /// YYYY-MM-DD, once accepted.
    pub start_date: Option<String>,
    pub created_at: String,
}

impl OfferDto {
    pub fn new(o: &OfferRecord) -> Self {
        OfferDto {
            id: o.id,
            offer: o.offer.clone(),
            status: o.status.clone(),
            start_date: o.start_date.map(|d| d.to_string()),
            created_at: at(o.created_at),
        }
    }
}

async fn latest_offer(state: &AppState, id: CandidateId) -> Outcome<OfferDto> {
    state
        .store
        .offers(id)
        .await?
        .last()
        .map(OfferDto::new)
        .ok_or_else(|| {
            Failure::Web(WebError::Internal(
                "the stored offer cannot be read back".into(),
            ))
        })
}

/// Compute and record an offer for the candidate (hiring managers).
#[utoipa::path(
    post,
    path = "/candidates/{id}/offer",
    tag = "decisions",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = QuoteBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, body = OfferDto),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn record_offer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<QuoteBody>,
) -> Outcome<Response> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    user.require_admin("make offers")?;
    let o = compute(&state, &body)?;
    let value = serde_json::to_value(&o)
        .map_err(|e| WebError::Internal(format!("cannot encode the offer: {e}")))?;
    state
        .store
        .record_offer(&user.name, ctx.candidate.id, &value)
        .await?;
    Ok(created(latest_offer(&state, ctx.candidate.id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The first day, YYYY-MM-DD; the onboarding plan is dated from it.
    pub start: String,
}

/// Mark the latest offer accepted with a start date (hiring managers).
#[utoipa::path(
    post,
    path = "/candidates/{id}/offer/accept",
    tag = "decisions",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = AcceptBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, body = OfferDto),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "No offer to accept", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<AcceptBody>,
) -> Outcome<Json<OfferDto>> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    user.require_admin("accept offers")?;
    let start: Date = body
        .start
        .trim()
        .parse()
        .map_err(|_| Failure::field("start", "write the start date as YYYY-MM-DD"))?;
    if state.store.offers(ctx.candidate.id).await?.is_empty() {
        return Err(Failure::Web(WebError::Conflict(
            "there is no offer to accept; record one with POST /candidates/{id}/offer first".into(),
        )));
    }
    state
        .store
        .accept_offer(&user.name, ctx.candidate.id, start)
        .await?;
    Ok(Json(latest_offer(&state, ctx.candidate.id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepDoneDto {
    pub by: String,
    pub note: String,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanStepDto {
    pub id: String,
    pub phase: String,
    pub title: String,
    /// YYYY-MM-DD.
    pub starts: String,
    pub due: String,
    pub tasks: Vec<String>,
    pub milestone: String,
    pub done: Option<StepDoneDto>,
    /// Past its due date and not done.
    pub overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingDto {
    pub candidate: i64,
    /// The first day (from the accepted offer).
    pub start: String,
    pub steps: Vec<PlanStepDto>,
}

async fn plan_of(state: &AppState, id: CandidateId) -> Outcome<OnboardingDto> {
    let start = onboarding_start(&state.store.offers(id).await?).ok_or_else(|| {
        Failure::Web(WebError::Conflict(format!(
            "candidate {id} has no accepted offer yet; accept one with POST /candidates/{id}/offer/accept"
        )))
    })?;
    let done = state.store.steps_done(id).await?;
    let today = jiff::ZonedDateTime::now().date();
    let steps = onboarding_progress(plan(&state.framework, start), &done, today)
        .into_iter()
        .map(|p| PlanStepDto {
            overdue: p.overdue,
            done: p.done.map(|d| StepDoneDto {
                by: d.done_by,
                note: d.note,
                at: at(d.at),
            }),
            id: p.step.id,
            phase: p.step.phase,
            title: p.step.title,
            starts: p.step.starts.to_string(),
            due: p.step.due.to_string(),
            tasks: p.step.tasks,
            milestone: p.step.milestone,
        })
        .collect();
    Ok(OnboardingDto {
        candidate: id.0,
        start: start.to_string(),
        steps,
    })
}

/// The dated 90-day plan with each milestone's state (hiring managers).
#[utoipa::path(
    get,
    path = "/candidates/{id}/onboarding",
    tag = "decisions",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, body = OnboardingDto),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "No accepted offer yet", body = ErrorBody),
    )
)]
async fn onboarding(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<OnboardingDto>> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    user.require_admin("follow the onboarding plan")?;
    Ok(Json(plan_of(&state, ctx.candidate.id).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// What shows it is done (e.g. the ADR's name).
    #[serde(default)]
    pub note: String,
}

/// Mark an onboarding milestone done (hiring managers). Answers with the plan.
#[utoipa::path(
    post,
    path = "/candidates/{id}/onboarding/steps/{step}",
    tag = "decisions",
    params(
        ("id" = i64, Path, description = "The candidate"),
        ("step" = String, Path, description = "The step id from the plan"),
    ),
    request_body = StepBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, body = OnboardingDto),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such candidate or step", body = ErrorBody),
        (status = 409, description = "No accepted offer yet", body = ErrorBody),
    )
)]
async fn step_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, step)): Path<(i64, String)>,
    Json(body): Json<StepBody>,
) -> Outcome<Json<OnboardingDto>> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    user.require_admin("mark onboarding steps")?;
    let steps = &state.framework.onboarding.steps;
    if !steps.iter().any(|s| s.id == step) {
        let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
        return Err(Failure::Web(WebError::NotFound(format!(
            "`{step}` is not an onboarding step; the steps are {}",
            ids.join(", ")
        ))));
    }
    plan_of(&state, ctx.candidate.id).await?;
    state
        .store
        .mark_step_done(&user.name, ctx.candidate.id, &step, body.note.trim())
        .await?;
    Ok(Json(plan_of(&state, ctx.candidate.id).await?))
}
