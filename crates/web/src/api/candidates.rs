//! `/candidates`: search, add to an opening, read one (under the blind rule),
//! move between stages, assign interviewers.

use super::audit::AuditDto;
use super::interview::{ReferenceDto, ScorecardDto, references_visible};
use super::offers::{DecisionDto, OfferDto};
use super::openings::visible;
use super::{ErrorBody, Failure, FieldProblem, Outcome, at, check, created};
use crate::AppState;
use crate::access;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use multiplier_core::Framework;
use multiplier_core::pipeline::{SearchFilter, Searchable, search};
use multiplier_store::{
    AccountStore, AuditFilter, CandidateId, CandidateRecord, HiringStore, NewCandidate, OpeningId,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(find))
        .routes(routes!(add))
        .routes(routes!(show))
        .routes(routes!(move_to))
        .routes(routes!(assign))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateDto {
    pub id: i64,
    pub opening: i64,
    pub name: String,
    pub email: Option<String>,
    /// Already in the company (the promotion-trap answers below apply).
    pub internal: bool,
    pub wants_leadership: Option<String>,
    pub gives_up: Option<String>,
    /// The stage id the candidate is at.
    pub stage: String,
    pub created_at: String,
}

impl CandidateDto {
    pub fn new(c: &CandidateRecord) -> Self {
        CandidateDto {
            id: c.id.0,
            opening: c.opening.0,
            name: c.name.clone(),
            email: c.email.clone(),
            internal: c.internal,
            wants_leadership: c.wants_leadership.clone(),
            gives_up: c.gives_up.clone(),
            stage: c.stage.clone(),
            created_at: at(c.created_at),
        }
    }
}

/// A stage id's problem, if it is not one of the framework's.
pub fn stage_problem(framework: &Framework, field: &str, stage: &str) -> Option<FieldProblem> {
    if framework.stage(stage).is_some() {
        return None;
    }
    let ids: Vec<&str> = framework.stages.iter().map(|s| s.id.as_str()).collect();
    Some(FieldProblem::new(
        field,
        format!("`{stage}` is not a stage; choose one of {}", ids.join(", ")),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Only this opening's candidates.
    pub opening: Option<i64>,
    /// Only candidates at this stage.
    pub stage: Option<String>,
    /// Technical depth median at least this (1–4).
    pub min_technical_depth: Option<f64>,
    /// Team multiplier median at least this (1–4).
    pub min_team_multiplier: Option<f64>,
    /// Someone raised this red flag (its id).
    pub flag: Option<String>,
    /// Words in the name, scorecard notes, references or evidence.
    pub text: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchRow {
    pub id: i64,
    pub name: String,
    pub opening: i64,
    pub stage: String,
    pub internal: bool,
    pub technical_depth: Option<f64>,
    pub team_multiplier: Option<f64>,
    pub meets_bar: bool,
    pub red_flags: Vec<String>,
    /// Why the scores are hidden from you (the blind rule): they are then null
    /// and score or flag filters leave the candidate out.
    pub blind: Option<String>,
}

/// Search the candidates you may see, by the same filters as
/// `multiplier candidate search`.
#[utoipa::path(
    get,
    path = "/candidates",
    tag = "candidates",
    params(SearchQuery),
    security(("session" = [])),
    responses(
        (status = 200, body = Vec<SearchRow>),
        (status = 401, body = ErrorBody),
        (status = 422, description = "An unknown stage or a score outside 1–4", body = ErrorBody),
    )
)]
async fn find(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<SearchQuery>,
) -> Outcome<Json<Vec<SearchRow>>> {
    let mut problems = Vec::new();
    if let Some(p) = q
        .stage
        .as_deref()
        .and_then(|s| stage_problem(&state.framework, "stage", s))
    {
        problems.push(p);
    }
    for (field, v) in [
        ("min_technical_depth", q.min_technical_depth),
        ("min_team_multiplier", q.min_team_multiplier),
    ] {
        if v.is_some_and(|v| !(1.0..=4.0).contains(&v)) {
            problems.push(FieldProblem::new(field, "must be a score from 1 to 4"));
        }
    }
    check("the search", problems)?;
    let filter = SearchFilter {
        stage: q.stage,
        min_technical_depth: q.min_technical_depth,
        min_team_multiplier: q.min_team_multiplier,
        flag: q.flag.filter(|f| !f.trim().is_empty()),
        text: q.text.filter(|t| !t.trim().is_empty()),
    };
    let store = &state.store;
    let mut rows = Vec::new();
    for c in visible(store, &user, q.opening.map(OpeningId)).await? {
        if filter.stage.as_ref().is_some_and(|s| s != &c.stage) {
            continue;
        }
        let ctx = access::candidate(&state, &user, c.id).await?;
        let blind = access::may_read_scorecards(&state, &user, &ctx)
            .await?
            .err();
        let (cards, refs, resolutions) = if blind.is_none() {
            (
                store
                    .scorecards(c.id)
                    .await?
                    .into_iter()
                    .map(|r| r.card)
                    .collect(),
                store
                    .references(c.id)
                    .await?
                    .into_iter()
                    .map(|r| r.reference)
                    .collect(),
                store.resolutions(c.id).await?,
            )
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        let evidence: Vec<String> = if filter.text.is_some() {
            store
                .evidence(c.id)
                .await?
                .iter()
                .map(|e| format!("{} {} {}", e.kind, e.source, e.body))
                .collect()
        } else {
            Vec::new()
        };
        let item = Searchable {
            name: &c.name,
            stage: &c.stage,
            cards: &cards,
            references: &refs,
            resolutions: &resolutions,
            evidence: &evidence,
        };
        if let Some(hit) = search(&state.framework, &filter, &item) {
            let hidden = blind.is_some();
            rows.push(SearchRow {
                id: c.id.0,
                name: c.name.clone(),
                opening: c.opening.0,
                stage: c.stage.clone(),
                internal: c.internal,
                technical_depth: hit.technical_depth,
                team_multiplier: hit.team_multiplier,
                meets_bar: hit.meets_bar && !hidden,
                red_flags: hit.red_flags,
                blind,
            });
        }
    }
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCandidateBody {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    /// Someone already in the company: then `wants_leadership` and `gives_up`
    /// are required (the promotion-trap check).
    #[serde(default)]
    pub internal: bool,
    /// Do they want the leadership work itself? In their words.
    #[serde(default)]
    pub wants_leadership: Option<String>,
    /// What will they give up for it?
    #[serde(default)]
    pub gives_up: Option<String>,
    /// The stage to start in (default: the framework's first).
    #[serde(default)]
    pub stage: Option<String>,
}

fn filled(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Add a candidate to an opening (hiring managers).
#[utoipa::path(
    post,
    path = "/openings/{id}/candidates",
    tag = "candidates",
    params(("id" = i64, Path, description = "The opening")),
    request_body = NewCandidateBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, body = CandidateDto),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<NewCandidateBody>,
) -> Outcome<Response> {
    user.require_admin("add candidates")?;
    let opening = access::opening(&state, OpeningId(id)).await?;
    let fw = &state.framework;
    let stage = body
        .stage
        .clone()
        .or_else(|| fw.stages.first().map(|s| s.id.clone()))
        .unwrap_or_default();
    let (wants, gives) = (filled(&body.wants_leadership), filled(&body.gives_up));
    let mut problems = Vec::new();
    if body.name.trim().is_empty() {
        problems.push(FieldProblem::new("name", "the candidate needs a name"));
    }
    problems.extend(stage_problem(fw, "stage", &stage));
    if body.internal {
        if wants.is_none() {
            problems.push(FieldProblem::new(
                "wants_leadership",
                "an internal candidate says whether they want the leadership work itself",
            ));
        }
        if gives.is_none() {
            problems.push(FieldProblem::new(
                "gives_up",
                "an internal candidate says what they will give up for it",
            ));
        }
    } else if wants.is_some() || gives.is_some() {
        problems.push(FieldProblem::new(
            "internal",
            "the promotion-trap answers are for internal candidates; set internal to true",
        ));
    }
    check("the candidate", problems)?;
    let new = NewCandidate {
        opening: opening.id,
        name: body.name.trim().to_string(),
        email: filled(&body.email),
        internal: body.internal,
        wants_leadership: wants,
        gives_up: gives,
        stage,
    };
    let cid = state.store.add_candidate(&user.name, &new).await?;
    let ctx = access::candidate(&state, &user, cid).await?;
    Ok(created(CandidateDto::new(&ctx.candidate)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentDto {
    pub stage: String,
    pub interviewer: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningRef {
    pub id: i64,
    pub title: String,
    pub manager: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceDto {
    pub id: i64,
    /// e.g. `code-review-grade`, `assessment-flags`.
    pub kind: String,
    pub source: String,
    /// The automatic finding as recorded (a grade, flags); never a scorecard.
    pub body: serde_json::Value,
    pub created_at: String,
}

/// Everything about a candidate that you may read.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub candidate: CandidateDto,
    pub opening: OpeningRef,
    pub assignments: Vec<AssignmentDto>,
    /// Your own scorecards, and the others' when the blind rule allows.
    pub scorecards: Vec<ScorecardDto>,
    /// Other people's scorecards withheld under the blind rule.
    pub hidden_scorecards: usize,
    /// Why others' scorecards (and the references) are hidden from you.
    pub blind: Option<String>,
    pub evidence: Vec<EvidenceDto>,
    pub references: Vec<ReferenceDto>,
    pub decisions: Vec<DecisionDto>,
    /// Hiring managers only (empty for interviewers).
    pub offers: Vec<OfferDto>,
    /// The audit entries about this candidate, oldest first.
    pub timeline: Vec<AuditDto>,
}

/// One candidate: record, interviewers, evidence, and the scorecards and
/// references the blind rule lets you read. An interviewer not assigned to the
/// candidate gets 404, as for a candidate that does not exist.
#[utoipa::path(
    get,
    path = "/candidates/{id}",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, body = CandidateView),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<CandidateView>> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    let store = &state.store;
    let cid = ctx.candidate.id;
    let blind = access::may_read_scorecards(&state, &user, &ctx)
        .await?
        .err();
    let (visible, hidden): (Vec<_>, Vec<_>) = store
        .scorecards(cid)
        .await?
        .into_iter()
        .partition(|r| blind.is_none() || r.card.interviewer == user.name);
    let references = if references_visible(&user, &ctx, blind.is_none()) {
        store.references(cid).await?
    } else {
        Vec::new()
    };
    let offers = if user.is_admin() {
        store.offers(cid).await?
    } else {
        Vec::new()
    };
    let timeline = store
        .audit(&AuditFilter {
            subject: Some(format!("candidate:{cid}")),
            ..AuditFilter::default()
        })
        .await?;
    Ok(Json(CandidateView {
        candidate: CandidateDto::new(&ctx.candidate),
        opening: OpeningRef {
            id: ctx.opening.id.0,
            title: ctx.opening.title.clone(),
            manager: ctx.opening.manager.clone(),
        },
        assignments: assignments(&ctx.assignments),
        scorecards: visible.iter().map(ScorecardDto::new).collect(),
        hidden_scorecards: hidden.len(),
        blind,
        evidence: store
            .evidence(cid)
            .await?
            .into_iter()
            .map(|e| EvidenceDto {
                id: e.id,
                kind: e.kind,
                source: e.source,
                body: e.body,
                created_at: at(e.created_at),
            })
            .collect(),
        references: references.iter().map(ReferenceDto::new).collect(),
        decisions: store
            .decisions(cid)
            .await?
            .iter()
            .map(DecisionDto::new)
            .collect(),
        offers: offers.iter().map(OfferDto::new).collect(),
        timeline: timeline.iter().map(AuditDto::new).collect(),
    }))
}

fn assignments(list: &[multiplier_store::Assignment]) -> Vec<AssignmentDto> {
    list.iter()
        .map(|a| AssignmentDto {
            stage: a.stage.clone(),
            interviewer: a.interviewer.clone(),
        })
        .collect()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    /// The stage id to move to.
    pub stage: String,
}

/// Move a candidate to another stage (hiring managers).
#[utoipa::path(
    post,
    path = "/candidates/{id}/move",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = MoveBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, body = CandidateDto),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn move_to(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<MoveBody>,
) -> Outcome<Json<CandidateDto>> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    user.require_admin("move candidates between stages")?;
    let stage = body.stage.trim();
    check(
        "the move",
        stage_problem(&state.framework, "stage", stage)
            .into_iter()
            .collect(),
    )?;
    state
        .store
        .move_candidate(&user.name, ctx.candidate.id, stage)
        .await?;
    let ctx = access::candidate(&state, &user, ctx.candidate.id).await?;
    Ok(Json(CandidateDto::new(&ctx.candidate)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// The stage id they interview for.
    pub stage: String,
    /// The interviewer's account name.
    pub interviewer: String,
}

/// Assign an interviewer to a stage of the candidate (hiring managers). Answers
/// with all the candidate's assignments.
#[utoipa::path(
    post,
    path = "/candidates/{id}/assignments",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = AssignBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, body = Vec<AssignmentDto>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<AssignBody>,
) -> Outcome<Response> {
    let ctx = access::candidate(&state, &user, CandidateId(id)).await?;
    user.require_admin("assign interviewers")?;
    let (stage, interviewer) = (body.stage.trim(), body.interviewer.trim());
    let mut problems: Vec<FieldProblem> = stage_problem(&state.framework, "stage", stage)
        .into_iter()
        .collect();
    if state.store.user(interviewer).await?.is_none() {
        problems.push(FieldProblem::new(
            "interviewer",
            format!("there is no account `{interviewer}`; create it with `multiplier user add`"),
        ));
    }
    check("the assignment", problems)?;
    if ctx.is_assigned(interviewer, stage) {
        return Err(Failure::Web(crate::error::WebError::Conflict(format!(
            "{interviewer} is already assigned to the {stage} stage"
        ))));
    }
    state
        .store
        .assign(&user.name, ctx.candidate.id, stage, interviewer)
        .await?;
    let list = state.store.assignments(ctx.candidate.id).await?;
    Ok(created(assignments(&list)))
}
