//! Hiring managers' writes after the loop: the decision, the offer (a calculator
//! and the recorded offer), its acceptance, and the 90-day onboarding plan. Each
//! handler parses the body into core's types and calls one use case of
//! [`multiplier_app::App`].

use super::{Failure, Outcome, Problem, at, created};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::civil::Date;
use multiplier_app::{DecisionInput, OnboardingPlan};
use multiplier_core::pipeline::{Offer, OfferRequest, Outcome as Verdict};
use multiplier_core::role::parse_split;
use multiplier_store::{CandidateId, DecisionRecord, OfferRecord};
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
    /// Say `true` to record a hire the policy does not support (the candidate
    /// does not meet the bar); without it such a hire is refused (422 on this
    /// field).
    #[serde(default)]
    pub against_policy: bool,
}

/// Record the hiring decision (hiring managers who may read every scorecard).
/// The debrief's verdict is stored beside it (`meets_bar`); a hire against the
/// policy needs `against_policy: true` and stays on record as such.
#[utoipa::path(
    post,
    path = "/candidates/{id}/decision",
    tag = "decisions",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = DecisionBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The decision, on record with the policy's verdict", body = DecisionDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager, or the blind rule (your own scorecard is pending)", body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "An unknown outcome, no rationale, or a hire against the policy without `against_policy`", body = Problem),
    )
)]
async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<DecisionBody>,
) -> Outcome<Response> {
    let Some(outcome) = Verdict::parse(body.outcome.trim()) else {
        return Err(Failure::field("outcome", "use hire, no-hire or hold"));
    };
    let input = DecisionInput {
        outcome,
        rationale: body.rationale,
        against_policy: body.against_policy,
    };
    let stored = state
        .app
        .decide(&user.account(), CandidateId(id), &input)
        .await?;
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
    pub(super) fn new(o: Offer) -> Self {
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

/// The body as core's offer request; a split that is not one is a 422 on `split`.
fn request(body: &QuoteBody) -> Outcome<OfferRequest> {
    let coding = parse_split(&body.split).map_err(|e| Failure::field("split", e))?;
    Ok(OfferRequest {
        level: body.level.trim().to_string(),
        region: body.region.trim().to_string(),
        coding,
        stage: body
            .stage
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
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
        (status = 200, description = "The recommended offer, every step explained", body = OfferQuote),
        (status = 401, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn quote(
    State(state): State<AppState>,
    _signed_in: CurrentUser,
    Json(body): Json<QuoteBody>,
) -> Outcome<Json<OfferQuote>> {
    // Any signed-in staff member may price an offer, as on the calculator page;
    // recording one for a candidate is the hiring manager's.
    Ok(Json(OfferQuote::new(state.app.quote(&request(&body)?)?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferDto {
    pub id: i64,
    /// The offer as computed when it was made.
    pub offer: OfferQuote,
    /// `made` or `accepted`.
    pub status: String,
    /// YYYY-MM-DD, once accepted.
    pub start_date: Option<String>,
    pub created_at: String,
}

impl OfferDto {
    /// The stored offer, read back as the quote it was made from.
    pub fn new(o: &OfferRecord) -> Result<Self, WebError> {
        let offer = serde_json::from_value(o.offer.clone()).map_err(|e| {
            WebError::Internal(format!(
                "offer {} is stored in a shape this version cannot read: {e}",
                o.id
            ))
        })?;
        Ok(OfferDto {
            id: o.id,
            offer,
            status: o.status.clone(),
            start_date: o.start_date.map(|d| d.to_string()),
            created_at: at(o.created_at),
        })
    }
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
        (status = 201, description = "The offer as recorded", body = OfferDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager, or you still owe a scorecard on the candidate (the blind rule)", body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn record_offer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<QuoteBody>,
) -> Outcome<Response> {
    let request = request(&body)?;
    let stored = state
        .app
        .record_offer(&user.account(), CandidateId(id), &request)
        .await?;
    Ok(created(OfferDto::new(&stored)?))
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
        (status = 200, description = "The offer, accepted, with its start date", body = OfferDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager, or you still owe a scorecard on the candidate (the blind rule)", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "No offer to accept", body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<AcceptBody>,
) -> Outcome<Json<OfferDto>> {
    let start: Date = body
        .start
        .trim()
        .parse()
        .map_err(|_| Failure::field("start", "write the start date as YYYY-MM-DD"))?;
    let accepted = state
        .app
        .accept_offer(&user.account(), CandidateId(id), start)
        .await?;
    Ok(Json(OfferDto::new(&accepted)?))
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

impl OnboardingDto {
    fn new(plan: OnboardingPlan) -> Self {
        OnboardingDto {
            candidate: plan.candidate.0,
            start: plan.start.to_string(),
            steps: plan
                .steps
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
                .collect(),
        }
    }
}

/// The dated 90-day plan with each milestone's state (hiring managers).
#[utoipa::path(
    get,
    path = "/candidates/{id}/onboarding",
    tag = "decisions",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The dated plan with each milestone's state", body = OnboardingDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager, or you still owe a scorecard on the candidate (the blind rule)", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "No accepted offer yet", body = Problem),
    )
)]
async fn onboarding(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<OnboardingDto>> {
    let plan = state
        .app
        .onboarding(&user.account(), CandidateId(id))
        .await?;
    Ok(Json(OnboardingDto::new(plan)))
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
        (status = 200, description = "The plan with the milestone marked done", body = OnboardingDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager, or you still owe a scorecard on the candidate (the blind rule)", body = Problem),
        (status = 404, description = "No such candidate or step", body = Problem),
        (status = 409, description = "No accepted offer yet", body = Problem),
    )
)]
async fn step_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, step)): Path<(i64, String)>,
    Json(body): Json<StepBody>,
) -> Outcome<Json<OnboardingDto>> {
    let plan = state
        .app
        .mark_step_done(&user.account(), CandidateId(id), &step, &body.note)
        .await?;
    Ok(Json(OnboardingDto::new(plan)))
}
