//! `/candidates`: search, add to an opening, read one (as the blind rule and
//! the viewer's role allow), correct one, move between stages, assign
//! interviewers. Each handler calls one use case of [`multiplier_app::App`].

use super::audit::AuditDto;
use super::grade::GradeDto;
use super::interview::{ReferenceDto, ScorecardDto};
use super::offers::{DecisionDto, OfferDto};
use super::paging::next_link;
use super::tools::AnalyzeResult;
use super::{Failure, Outcome, Problem, at, created};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::response::Response;
use multiplier_app::{AssignmentView, CandidateInput, PageRequest, SearchInput};
use multiplier_core::pipeline::{FlagResolution, SearchFilter};
use multiplier_store::{CandidateId, CandidateRecord, OpeningId};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(find))
        .routes(routes!(add))
        .routes(routes!(show, edit, erase))
        .routes(routes!(move_to))
        .routes(routes!(assign))
        .routes(routes!(unassign))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateDto {
    pub id: i64,
    pub opening: i64,
    pub name: String,
    /// Hiring managers (admins) only: null for everyone else.
    pub email: Option<String>,
    /// Already in the company (the promotion-trap answers below apply).
    pub internal: bool,
    pub wants_leadership: Option<String>,
    pub gives_up: Option<String>,
    /// The stage id the candidate is at.
    pub stage: String,
    pub created_at: String,
    /// `active`, `on-hold`, `rejected`, `withdrawn` or `hired`.
    pub status: String,
    /// The rejection reason's id, or the note given with another status;
    /// null while the blind rule hides judgements from you.
    pub status_reason: Option<String>,
    /// `added-by-staff`, `applied` or `imported`.
    pub source: String,
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
            status: c.status.clone(),
            status_reason: c.status_reason.clone(),
            source: c.source.clone(),
        }
    }
}

/// Blank text is no filter.
fn given(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
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
    /// Words in the name, scorecard notes, references, the candidate's answers
    /// and review, or other evidence (each word, or the start of one).
    pub text: Option<String>,
    /// By status: `current` (active and on hold, the default), `ended`
    /// (rejected, withdrawn, hired) or `all`.
    pub show: Option<String>,
    /// `true`: a raised red flag nobody resolved yet; `false`: none.
    pub unresolved_flags: Option<bool>,
    /// Only candidates with code-review evidence.
    #[serde(default)]
    pub code_review: bool,
    /// Added within the last this many months (1–600).
    pub months: Option<u32>,
    /// Rows per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// Where the page starts: the `cursor` of the previous page's `next`
    /// link. Opaque; omit it for the first page.
    pub cursor: Option<String>,
}

/// One page of candidates found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchRow>,
    /// The link to the next page, or null on the last.
    pub next: Option<String>,
}

/// Where the words searched for were found.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchDto {
    /// `name`, `scorecard`, `reference`, `work` (the candidate's answers or
    /// review) or `evidence`.
    pub source: String,
    /// The passage, plain text.
    pub text: String,
    /// The passage HTML-escaped, the matched words in `<mark>`: safe to insert
    /// as HTML.
    pub html: String,
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
    /// Why the scores are hidden from you (the blind rule): they are then null,
    /// `meets_bar` false and `red_flags` empty, and score or flag filters leave
    /// the candidate out.
    pub blind: Option<String>,
    /// Where the words were found (text searches only).
    pub matched: Option<MatchDto>,
}

/// Search the candidates you may see, by the same filters as
/// `multiplier candidate search`. On a candidate you still owe a scorecard on,
/// only what you may read is searched (your own scorecards and references,
/// the evidence, the name) and no score is shown.
#[utoipa::path(
    get,
    path = "/candidates",
    tag = "candidates",
    params(SearchQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "One page of the candidates you may see that match (oldest first), with both signals where you may read them", body = SearchPage),
        (status = 401, body = Problem),
        (status = 404, description = "No such opening", body = Problem),
        (status = 422, description = "An unknown stage or red flag, or a score outside 1–4", body = Problem),
    )
)]
async fn find(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<SearchQuery>,
    RawQuery(raw): RawQuery,
) -> Outcome<Json<SearchPage>> {
    let shown = q
        .show
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(|e: String| multiplier_app::AppError::field("the search", "show", e))?;
    let input = SearchInput {
        shown,
        opening: q.opening.map(OpeningId),
        filter: SearchFilter {
            stage: given(q.stage),
            min_technical_depth: q.min_technical_depth,
            min_team_multiplier: q.min_team_multiplier,
            flag: given(q.flag),
            text: given(q.text),
        },
        unresolved_flags: q.unresolved_flags,
        code_review: q.code_review,
        months: q.months,
        page: PageRequest {
            limit: q.limit,
            cursor: given(q.cursor),
        },
    };
    let page = state.app.search(&user.account(), &input).await?;
    Ok(Json(SearchPage {
        next: next_link("/candidates", raw.as_deref(), page.next),
        items: page
            .rows
            .into_iter()
            .map(|r| {
                let c = r.candidate;
                let mut row = SearchRow {
                    id: c.id.0,
                    name: c.name,
                    opening: c.opening.0,
                    stage: c.stage,
                    internal: c.internal,
                    technical_depth: None,
                    team_multiplier: None,
                    meets_bar: false,
                    red_flags: Vec::new(),
                    blind: r.blind,
                    matched: r.matched.map(|m| MatchDto {
                        source: m.source,
                        text: m.text,
                        html: m.html,
                    }),
                };
                if let Some(hit) = r.hit {
                    row.technical_depth = hit.technical_depth;
                    row.team_multiplier = hit.team_multiplier;
                    row.meets_bar = hit.meets_bar;
                    row.red_flags = hit.red_flags;
                }
                row
            })
            .collect(),
    }))
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

/// Add a candidate to an opening (hiring managers).
#[utoipa::path(
    post,
    path = "/openings/{id}/candidates",
    tag = "candidates",
    params(("id" = i64, Path, description = "The opening")),
    request_body = NewCandidateBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The candidate, added", body = CandidateDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<NewCandidateBody>,
) -> Outcome<Response> {
    let account = user.account();
    let input = CandidateInput {
        name: body.name,
        email: body.email,
        internal: body.internal,
        wants_leadership: body.wants_leadership,
        gives_up: body.gives_up,
        stage: body.stage,
    };
    let cid = state
        .app
        .add_candidate(&account, OpeningId(id), &input)
        .await?;
    // Read back as the author sees it.
    let view = state.app.candidate(&account, cid).await?;
    Ok(created(CandidateDto::new(&view.candidate)))
}

/// A null in a PATCH body, told apart from a field left out: `Some(None)`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A correction: only the fields given change; a null clears a text field.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidatePatch {
    /// The name (it cannot be cleared).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// The e-mail address; null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// Already in the company: then both promotion-trap answers are required.
    #[serde(default)]
    pub internal: Option<bool>,
    /// Do they want the leadership work itself? Null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub wants_leadership: Option<Option<String>>,
    /// What will they give up for it? Null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub gives_up: Option<Option<String>>,
}

impl CandidatePatch {
    /// The corrected details: each given field over `current`.
    fn over(self, current: &CandidateRecord) -> Outcome<CandidateInput> {
        let name = match self.name {
            None => current.name.clone(),
            Some(Some(name)) => name,
            Some(None) => {
                return Err(Failure::field(
                    "name",
                    "a candidate always has a name; leave the field out to keep it",
                ));
            }
        };
        let keep =
            |given: Option<Option<String>>, now: &Option<String>| given.unwrap_or(now.clone());
        Ok(CandidateInput {
            name,
            email: keep(self.email, &current.email),
            internal: self.internal.unwrap_or(current.internal),
            wants_leadership: keep(self.wants_leadership, &current.wants_leadership),
            gives_up: keep(self.gives_up, &current.gives_up),
            stage: None,
        })
    }
}

/// Correct a candidate's details (hiring managers): the fields given are merged
/// over the current record and checked as when adding one. The stage changes
/// through `POST /candidates/{id}/move` only.
#[utoipa::path(
    patch,
    path = "/candidates/{id}",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = CandidatePatch,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The candidate as corrected", body = CandidateDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager, or no CSRF token", body = Problem),
        (status = 404, description = "No such candidate, or one you are not assigned to", body = Problem),
        (status = 422, description = "Each field's problem in `error.problems`", body = Problem),
    )
)]
async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(patch): Json<CandidatePatch>,
) -> Outcome<Json<CandidateDto>> {
    let account = user.account();
    let id = CandidateId(id);
    let current = state.app.candidate(&account, id).await?.candidate;
    let input = patch.over(&current)?;
    let edited = state.app.edit_candidate(&account, id, &input).await?;
    Ok(Json(CandidateDto::new(&edited)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EraseQuery {
    /// Why: candidate-request, withdrawn, legal-obligation or added-by-mistake.
    pub reason: Option<String>,
}

/// What an erasure removed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasedDto {
    pub candidate: i64,
    pub reason: String,
    pub drafts_deleted: u64,
    pub evidence_deleted: u64,
    /// Scorecards, references, red-flag notes, decisions, offers, onboarding
    /// notes and interview assignments.
    pub records_deleted: u64,
    pub links_revoked: u64,
    /// No older copy of the erased data is left in the database's write-ahead
    /// log (false only when readers kept old snapshots open; the next hourly
    /// housekeeping finishes it).
    pub flushed: bool,
}

/// Erase a candidate's personal data (hiring managers), giving a reason. The
/// name becomes a placeholder; what they wrote and what was written about them
/// is deleted and overwritten in the database file. The audit log records the
/// erasure and its reason, without the data. It cannot be undone.
#[utoipa::path(
    delete,
    path = "/candidates/{id}",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate"), EraseQuery),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "What the erasure removed, and its reason", body = ErasedDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager, or no CSRF token", body = Problem),
        (status = 404, description = "No such candidate, or one you are not assigned to", body = Problem),
        (status = 422, description = "No reason, or an unknown one", body = Problem),
    )
)]
async fn erase(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<EraseQuery>,
) -> Outcome<Json<ErasedDto>> {
    let reason = match q.reason.as_deref().map(str::trim) {
        // Missing: the use case says so, after its access checks.
        None | Some("") => None,
        Some(r) => {
            Some(multiplier_app::ErasureReason::parse(r).map_err(|m| Failure::field("reason", m))?)
        }
    };
    // The DELETE itself is the confirmation.
    let erased = state
        .app
        .erase_candidate(&user.account(), CandidateId(id), true, reason)
        .await?;
    Ok(Json(ErasedDto {
        candidate: id,
        reason: reason.map(|r| r.id().to_string()).unwrap_or_default(),
        drafts_deleted: erased.work_deleted,
        evidence_deleted: erased.evidence_deleted,
        records_deleted: erased.records_deleted,
        links_revoked: erased.links_revoked,
        flushed: erased.flushed,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentDto {
    pub stage: String,
    pub interviewer: String,
    /// Their scorecard for the stage is in.
    pub submitted: bool,
}

impl AssignmentDto {
    fn new(a: &AssignmentView) -> Self {
        AssignmentDto {
            stage: a.stage.clone(),
            interviewer: a.interviewer.clone(),
            submitted: a.submitted,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningRef {
    pub id: i64,
    pub title: String,
    pub manager: String,
}

/// An automatic finding attached to the candidate: the review grader's grade,
/// the answer analyzer's flags, or another tool's output. Never a scorecard.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceDto {
    pub id: i64,
    /// `code-review` and `written-assessment` (sent through the candidate
    /// portal), or what the attaching admin named it, e.g. `code-review-grade`.
    pub kind: String,
    /// Where it came from: `candidate portal`, or the attached file's name.
    pub source: String,
    /// The finding as recorded. Evidence from the portal is
    /// `{"exercise", "review", "grade"}` or `{"answers", "analysis"}`; evidence
    /// attached with `multiplier evidence attach` is the tool's JSON as given, so
    /// its shape is open. Read `grade` and `analysis` for the typed findings.
    pub body: serde_json::Value,
    /// The review grade the body holds, when it holds one (portal `code-review`
    /// evidence, or an attached `multiplier review grade --format json`).
    pub grade: Option<GradeDto>,
    /// The answer analyzer's flags the body holds, when it holds them (portal
    /// `written-assessment` evidence, or an attached `multiplier answers analyze
    /// --format json`).
    pub analysis: Option<AnalyzeResult>,
    pub created_at: String,
}

impl EvidenceDto {
    fn new(e: &multiplier_store::EvidenceRecord) -> Self {
        /// The body, or its member `key`, read as `T` when it is one.
        fn typed<T: serde::de::DeserializeOwned>(body: &serde_json::Value, key: &str) -> Option<T> {
            body.get(key)
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .or_else(|| serde_json::from_value(body.clone()).ok())
        }
        EvidenceDto {
            id: e.id,
            kind: e.kind.clone(),
            source: e.source.clone(),
            grade: typed(&e.body, "grade"),
            analysis: typed(&e.body, "analysis"),
            body: e.body.clone(),
            created_at: at(e.created_at),
        }
    }
}

/// A raised red flag settled by a hiring manager.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolutionDto {
    /// The red flag's id.
    pub flag: String,
    pub by: String,
    /// The evidence that settles it.
    pub note: String,
}

impl ResolutionDto {
    fn new(r: &FlagResolution) -> Self {
        ResolutionDto {
            flag: r.flag.clone(),
            by: r.by.clone(),
            note: r.note.clone(),
        }
    }
}

/// Everything about a candidate that you may read. While you still owe a
/// scorecard on the candidate (`blind`, `pending`), other people's scorecards,
/// references, red-flag resolutions, decisions and offers are left out, and so
/// are the timeline entries that speak of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub candidate: CandidateDto,
    pub opening: OpeningRef,
    pub assignments: Vec<AssignmentDto>,
    /// The stages of this candidate you are assigned to and have not submitted
    /// your scorecard for yet.
    pub pending: Vec<String>,
    /// Your own scorecards, and the others' when the blind rule allows.
    pub scorecards: Vec<ScorecardDto>,
    /// Other people's scorecards withheld under the blind rule.
    pub hidden_scorecards: usize,
    /// Why other people's judgements on the candidate are hidden from you.
    pub blind: Option<String>,
    /// What the tools produced and what the candidate sent. While you owe a
    /// scorecard, the tools' verdicts (`grade`, `analysis`) are left out of each
    /// body and records that are nothing but a verdict are withheld.
    pub evidence: Vec<EvidenceDto>,
    /// Evidence records withheld whole under the blind rule.
    pub hidden_evidence: usize,
    /// All of them once the blind rule allows; before that, the ones you recorded.
    pub references: Vec<ReferenceDto>,
    /// References withheld under the blind rule.
    pub hidden_references: usize,
    /// Red flags raised and settled (empty while the blind rule applies).
    pub resolutions: Vec<ResolutionDto>,
    /// Oldest first (empty while the blind rule applies).
    pub decisions: Vec<DecisionDto>,
    /// Hiring managers who may read the decision only (empty for everyone else).
    pub offers: Vec<OfferDto>,
    /// The audit entries about this candidate that speak only of what you may
    /// see, oldest first.
    pub timeline: Vec<AuditDto>,
}

impl CandidateView {
    fn new(v: &multiplier_app::CandidateView) -> Result<Self, crate::error::WebError> {
        Ok(CandidateView {
            candidate: CandidateDto::new(&v.candidate),
            opening: OpeningRef {
                id: v.opening.id.0,
                title: v.opening.title.clone(),
                manager: v.opening.manager.clone(),
            },
            assignments: v.assignments.iter().map(AssignmentDto::new).collect(),
            pending: v.sight.pending.clone(),
            scorecards: v.scorecards.iter().map(ScorecardDto::new).collect(),
            hidden_scorecards: v.hidden_scorecards,
            blind: v.sight.blind.clone(),
            evidence: v.evidence.iter().map(EvidenceDto::new).collect(),
            references: v.references.iter().map(ReferenceDto::new).collect(),
            hidden_references: v.hidden_references,
            hidden_evidence: v.hidden_evidence,
            resolutions: v.resolutions.iter().map(ResolutionDto::new).collect(),
            decisions: v.decisions.iter().map(DecisionDto::new).collect(),
            offers: v
                .offers
                .iter()
                .map(OfferDto::new)
                .collect::<Result<_, _>>()?,
            timeline: v.timeline.iter().map(AuditDto::new).collect(),
        })
    }
}

/// One candidate as you may see them: record, interviewers, evidence, and the
/// judgements the blind rule lets you read. The e-mail address is for hiring
/// managers only, offers for hiring managers who may read the decision. An
/// interviewer not assigned to the candidate gets 404, as for a candidate that
/// does not exist.
#[utoipa::path(
    get,
    path = "/candidates/{id}",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The candidate as you may see them", body = CandidateView),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
    )
)]
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<CandidateView>> {
    let view = state
        .app
        .candidate(&user.account(), CandidateId(id))
        .await?;
    Ok(Json(CandidateView::new(&view)?))
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
        (status = 200, description = "The candidate at their new stage", body = CandidateDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn move_to(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<MoveBody>,
) -> Outcome<Json<CandidateDto>> {
    let moved = state
        .app
        .move_candidate(&user.account(), CandidateId(id), &body.stage)
        .await?;
    Ok(Json(CandidateDto::new(&moved)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// The stage id they interview for (one that takes scorecards, or
    /// `references`). Give this or `stages`.
    #[serde(default)]
    pub stage: Option<String>,
    /// Several stage ids at once, assigned in one go: one bad stage refuses
    /// them all (`stages[i]` names it).
    #[serde(default)]
    pub stages: Vec<String>,
    /// The interviewer's account name.
    pub interviewer: String,
}

/// Assign an interviewer (an existing account) to one stage (`stage`) or
/// several (`stages`) of the candidate (hiring managers). Answers with all the
/// candidate's assignments; assigning someone already assigned changes nothing.
#[utoipa::path(
    post,
    path = "/candidates/{id}/assignments",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = AssignBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "Every assignment of the candidate", body = Vec<AssignmentDto>),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "An unknown stage or one that takes no scorecards, or no such account", body = Problem),
    )
)]
async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<AssignBody>,
) -> Outcome<Response> {
    let mut stages = body.stages;
    if let Some(stage) = body.stage {
        stages.insert(0, stage);
    }
    let list = state
        .app
        .assign_stages(&user.account(), CandidateId(id), &stages, &body.interviewer)
        .await?;
    Ok(created(
        list.iter().map(AssignmentDto::new).collect::<Vec<_>>(),
    ))
}

/// Take an interviewer off a stage of the candidate (hiring managers); refused
/// (409) once their scorecard for it is in. Answers with the assignments left.
#[utoipa::path(
    delete,
    path = "/candidates/{id}/assignments/{stage}/{interviewer}",
    tag = "candidates",
    params(
        ("id" = i64, Path, description = "The candidate"),
        ("stage" = String, Path, description = "The stage id"),
        ("interviewer" = String, Path, description = "The interviewer's account name"),
    ),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The candidate's remaining assignments", body = Vec<AssignmentDto>),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, description = "No such candidate, or the interviewer is not assigned to that stage", body = Problem),
        (status = 409, description = "Their scorecard for the stage is in", body = Problem),
    )
)]
async fn unassign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, stage, interviewer)): Path<(i64, String, String)>,
) -> Outcome<Json<Vec<AssignmentDto>>> {
    let list = state
        .app
        .unassign(&user.account(), CandidateId(id), &stage, &interviewer)
        .await?;
    Ok(Json(list.iter().map(AssignmentDto::new).collect()))
}
