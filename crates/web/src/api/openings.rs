//! `/openings`: the list, creating one from the role-intake answers, an opening's
//! board (stages as columns) and its debrief (both signals per candidate). Each
//! handler calls one use case of [`multiplier_app::App`].

use super::offers::DecisionDto;
use super::paging::{PageQuery, next_link};
use super::{FieldProblem, Outcome, Problem, at, check, created};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::response::Response;
use multiplier_app::{BoardCard as CardView, BoardRequest, DebriefRow};
use multiplier_core::Framework;
use multiplier_core::Signal;
use multiplier_core::pipeline::{Debrief, SignalView};
use multiplier_core::role::Role;
use multiplier_store::{OpeningId, OpeningRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(board))
        .routes(routes!(opening_debrief))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningDto {
    pub id: i64,
    /// The stored role (intake answers) it hires for.
    pub role: i64,
    pub title: String,
    /// The hiring manager who owns the loop.
    pub manager: String,
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
    /// Candidates you may see in it (in an opening's debrief: the candidates
    /// it lists).
    pub candidates: usize,
}

impl OpeningDto {
    pub fn new(o: &OpeningRecord, candidates: usize) -> Self {
        OpeningDto {
            id: o.id.0,
            role: o.role.0,
            title: o.title.clone(),
            manager: o.manager.clone(),
            status: o.status.clone(),
            created_at: at(o.created_at),
            candidates,
        }
    }
}

/// One page of openings.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningPage {
    pub items: Vec<OpeningDto>,
    /// The link to the next page, or null on the last.
    pub next: Option<String>,
}

/// The openings, oldest first, one page at a time, each with the number of its
/// candidates you may see.
#[utoipa::path(
    get,
    path = "/openings",
    tag = "openings",
    params(PageQuery, ArchivedQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "One page of openings", body = OpeningPage),
        (status = 401, description = "Signed out", body = Problem),
        (status = 422, description = "A limit outside 1–200, or a cursor of another list", body = Problem),
    )
)]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(page): Query<PageQuery>,
    Query(archived): Query<ArchivedQuery>,
    RawQuery(raw): RawQuery,
) -> Outcome<Json<OpeningPage>> {
    let openings = state
        .app
        .openings_page(
            &user.account(),
            &page.request(),
            archived.archived.unwrap_or(false),
        )
        .await?;
    Ok(Json(OpeningPage {
        items: openings
            .rows
            .iter()
            .map(|o| OpeningDto::new(&o.opening, o.candidates))
            .collect(),
        next: next_link("/openings", raw.as_deref(), openings.next),
    }))
}

/// Free-text facts about the team, used when writing the job description.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
}

/// A role described by its intake answers, as in a role file.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    pub title: String,
    #[serde(default)]
    pub context: IntakeContext,
    /// One answer per intake question id (see `multiplier framework show`), e.g.
    /// `{"coding-share": 50, "team": {"senior": 2, "mid": 3}, "performance-reviews": false,
    /// "architecture": "monolith", "mandate": "legacy-modernisation",
    /// "main-challenge": "delivery-speed", "rituals": ["sprint-planning"],
    /// "reports-to": "engineering-manager"}`.
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
}

impl Intake {
    /// Parse through the same rules as a role file; every problem names its field.
    pub fn role(&self, framework: &Framework) -> Outcome<Role> {
        let mut problems = Vec::new();
        let mut answers = toml::Table::new();
        for (id, value) in &self.answers {
            match serde_json::from_value::<toml::Value>(value.clone()) {
                Ok(v) => {
                    answers.insert(id.clone(), v);
                }
                Err(_) => problems.push(FieldProblem::new(
                    format!("answers.{id}"),
                    "is empty (null); give an answer or leave the field out to see what is expected",
                )),
            }
        }
        check("the intake", problems)?;
        let mut table = toml::Table::new();
        table.insert("title".into(), toml::Value::String(self.title.clone()));
        let context = toml::Value::try_from(&self.context)
            .map_err(|e| super::Failure::field("context", e.to_string()))?;
        table.insert("context".into(), context);
        table.insert("answers".into(), toml::Value::Table(answers));
        let text =
            toml::to_string(&table).map_err(|e| super::Failure::field("answers", e.to_string()))?;
        Role::parse(framework, "the intake", &text).map_err(|e| {
            super::Failure::invalid(
                "the intake",
                e.0.problems
                    .into_iter()
                    .map(|p| FieldProblem::new(p.field, p.message))
                    .collect(),
            )
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOpening {
    /// The role's intake answers.
    pub intake: Intake,
    /// The opening's title (default: the role's title). When given, the stored
    /// role carries it too.
    #[serde(default)]
    pub title: Option<String>,
    /// The hiring manager, an existing account (default: you).
    #[serde(default)]
    pub manager: Option<String>,
}

/// One point of the intake guidance.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuidanceFinding {
    pub rule: String,
    /// `contradiction`, `warning` or `note`.
    pub kind: String,
    pub message: String,
    pub hint: String,
}

/// What the answers mean for the hire.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuidanceDto {
    /// `player-coach` or `leader-coder`.
    pub archetype: String,
    pub archetype_reason: String,
    pub suggested_level: String,
    pub suggested_level_reason: String,
    /// Contradictions first, then warnings, then notes.
    pub findings: Vec<GuidanceFinding>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOpening {
    pub opening: OpeningDto,
    pub guidance: GuidanceDto,
}

/// Open a role for hiring from its intake answers (hiring managers). The answers
/// are checked like a role file (a malformed intake is 422 whoever sends it);
/// contradictions do not block, they come back in `guidance.findings`.
#[utoipa::path(
    post,
    path = "/openings",
    tag = "openings",
    request_body = NewOpening,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The opening, and what the answers mean for the hire", body = CreatedOpening),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager, or no CSRF token", body = Problem),
        (status = 422, description = "Each answer's problem in `error.problems`, or a manager who has no account", body = Problem),
    )
)]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<NewOpening>,
) -> Outcome<Response> {
    let account = user.account();
    let mut role = body.intake.role(&state.framework)?;
    if let Some(title) = body
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        role.title = title.to_string();
    }
    let (_, id) = state
        .app
        .open_role(&account, &role, body.manager.as_deref())
        .await?;
    // Read back for the answer; the guidance is core's reading of the answers.
    let opening = state.app.opening(&account, id).await?;
    let g = role.guidance(&state.framework);
    Ok(created(CreatedOpening {
        opening: OpeningDto::new(&opening, 0),
        guidance: GuidanceDto {
            archetype: g.archetype.name().to_string(),
            archetype_reason: g.archetype_reason,
            suggested_level: g.suggested_level.level,
            suggested_level_reason: g.suggested_level.reason,
            findings: g
                .findings
                .into_iter()
                .map(|f| GuidanceFinding {
                    rule: f.rule.to_string(),
                    kind: f.kind.id().to_string(),
                    message: f.message,
                    hint: f.hint,
                })
                .collect(),
        },
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardCard {
    pub id: i64,
    pub name: String,
    pub internal: bool,
    /// Scorecards in: one per interviewer and stage, whatever the versions.
    pub scorecards: usize,
    /// The red flags raised, by id; null while the blind rule hides them.
    pub red_flags: Option<Vec<String>>,
    /// Why you may not read others' judgements on this candidate yet.
    pub blind: Option<String>,
}

impl BoardCard {
    fn new(c: CardView) -> Self {
        BoardCard {
            id: c.candidate.id.0,
            name: c.candidate.name,
            internal: c.candidate.internal,
            scorecards: c.scorecards,
            red_flags: c.red_flags.map(|f| f.into_iter().collect()),
            blind: c.blind,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardColumn {
    /// The stage id.
    pub stage: String,
    pub name: String,
    /// Every candidate at this stage you may see.
    pub count: u64,
    /// One page of them, oldest first.
    pub candidates: Vec<BoardCard>,
    /// The link to this column's next page, or null on its last.
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// The stage whose column `cursor` moves on (from a column's `next` link);
    /// the other columns show their first page.
    pub stage: Option<String>,
    /// Cards per column, 1–200 (default 50).
    pub limit: Option<u32>,
    /// Where the column's page starts: from its `next` link. Opaque.
    pub cursor: Option<String>,
    /// By status: `current` (active and on hold, the default), `ended`
    /// (rejected, withdrawn, hired) or `all`.
    pub show: Option<String>,
}

/// Whether archived openings are listed too.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArchivedQuery {
    /// `true`: archived openings too (they are left out by default).
    pub archived: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Board {
    pub opening: OpeningDto,
    /// The framework's stages in order (plus any stage a candidate is at that the
    /// framework no longer has).
    pub columns: Vec<BoardColumn>,
}

/// An opening with its pipeline board: the candidates you may see, by stage.
#[utoipa::path(
    get,
    path = "/openings/{id}",
    tag = "openings",
    params(("id" = i64, Path, description = "The opening"), BoardQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The opening and its board: each stage's count and first page", body = Board),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "A limit outside 1–200, or a cursor of another list", body = Problem),
    )
)]
async fn board(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<BoardQuery>,
) -> Outcome<Json<Board>> {
    let shown = q
        .show
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(|e: String| multiplier_app::AppError::field("the board", "show", e))?;
    let request = BoardRequest {
        shown,
        stage: q.stage.clone().filter(|s| !s.trim().is_empty()),
        page: PageQuery {
            limit: q.limit,
            cursor: q.cursor.clone(),
        }
        .request(),
    };
    let view = state
        .app
        .board_page(&user.account(), OpeningId(id), &request)
        .await?;
    let shown =
        usize::try_from(view.columns.iter().map(|c| c.count).sum::<u64>()).unwrap_or(usize::MAX);
    let path = format!("/openings/{id}");
    Ok(Json(Board {
        opening: OpeningDto::new(&view.opening, shown),
        columns: view
            .columns
            .into_iter()
            .map(|col| {
                let query = serde_urlencoded::to_string([
                    ("stage", col.stage.clone()),
                    (
                        "limit",
                        q.limit.unwrap_or(multiplier_app::DEFAULT_LIMIT).to_string(),
                    ),
                ])
                .unwrap_or_default();
                BoardColumn {
                    next: next_link(&path, Some(&query), col.next),
                    stage: col.stage,
                    name: col.name,
                    count: col.count,
                    candidates: col.items.into_iter().map(BoardCard::new).collect(),
                }
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingDto {
    /// The interviewer, or `references` for the weighted reference score.
    pub rater: String,
    pub stage: String,
    pub score: f64,
    pub note: String,
}

/// One signal judged against its own bar.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignalDto {
    pub bar: f64,
    pub min_raters: u32,
    pub raters: usize,
    pub median: Option<f64>,
    pub spread: Option<f64>,
    pub clears: bool,
    pub reasons: Vec<String>,
    pub ratings: Vec<RatingDto>,
}

/// A red flag raised on the candidate, as the debrief weighs it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DebriefFlag)]
pub struct FlagDto {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub raised_by: Vec<String>,
    pub notes: Vec<String>,
    /// Who resolved it and with what evidence, when resolved.
    pub resolution: Option<String>,
    /// An unresolved critical flag blocks a hire.
    pub blocks: bool,
}

/// Both signals side by side; a hire needs each to clear its bar.
#[derive(Debug, Serialize, ToSchema)]
pub struct DebriefDto {
    pub technical_depth: Option<SignalDto>,
    pub team_multiplier: Option<SignalDto>,
    pub red_flags: Vec<FlagDto>,
    /// What the decision policy says; people decide. False while assigned
    /// scorecards are missing.
    pub meets_bar: bool,
    /// The verdict in words: `incomplete — waiting for: <stage> by
    /// <interviewer>, …`, `meets the bar` or `does not meet the bar`.
    pub verdict: String,
    /// Assigned scorecards not in yet, as `<stage> by <interviewer>`.
    pub waiting_for: Vec<String>,
    pub reasons: Vec<String>,
}

fn signal_dto(v: &SignalView) -> SignalDto {
    SignalDto {
        bar: v.bar,
        min_raters: v.min_raters,
        raters: v.raters,
        median: v.median,
        spread: v.spread,
        clears: v.clears,
        reasons: v.reasons.clone(),
        ratings: v
            .ratings
            .iter()
            .map(|r| RatingDto {
                rater: r.rater.clone(),
                stage: r.stage.clone(),
                score: r.score,
                note: r.note.clone(),
            })
            .collect(),
    }
}

impl DebriefDto {
    pub fn new(d: &Debrief) -> Self {
        let signal = |s: Signal| d.signal(s).map(signal_dto);
        DebriefDto {
            technical_depth: signal(Signal::TechnicalDepth),
            team_multiplier: signal(Signal::TeamMultiplier),
            red_flags: d
                .red_flags
                .iter()
                .map(|f| FlagDto {
                    id: f.id.clone(),
                    title: f.title.clone(),
                    severity: serde_json::to_value(f.severity)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    raised_by: f.raised_by.clone(),
                    notes: f.notes.clone(),
                    resolution: f
                        .resolution
                        .as_ref()
                        .map(|r| format!("{}: {}", r.by, r.note)),
                    blocks: f.blocks,
                })
                .collect(),
            meets_bar: d.meets_bar,
            verdict: d.verdict().text(),
            waiting_for: d.waiting_for.iter().map(ToString::to_string).collect(),
            reasons: d.reasons.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateDebrief {
    pub id: i64,
    pub name: String,
    pub stage: String,
    pub internal: bool,
    /// Why the scores are hidden from you (the blind rule); `debrief` and
    /// `decision` are then null.
    pub blind: Option<String>,
    pub debrief: Option<DebriefDto>,
    /// The decision that stands (the latest), if one is recorded.
    pub decision: Option<DecisionDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningDebrief {
    pub opening: OpeningDto,
    /// One page of the candidates, oldest first.
    pub candidates: Vec<CandidateDebrief>,
    /// The link to the next page, or null on the last.
    pub next: Option<String>,
}

/// The opening's debrief: each candidate you may see who has scorecards in or
/// has reached the debrief stage, with technical depth and team multiplier side
/// by side. A candidate you still owe a scorecard on is listed with `blind` and
/// no scores.
#[utoipa::path(
    get,
    path = "/openings/{id}/debrief",
    tag = "openings",
    params(("id" = i64, Path, description = "The opening"), PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The opening's debrief, both signals side by side", body = OpeningDebrief),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
    )
)]
async fn opening_debrief(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(page): Query<PageQuery>,
    RawQuery(raw): RawQuery,
) -> Outcome<Json<OpeningDebrief>> {
    let view = state
        .app
        .opening_debrief(&user.account(), OpeningId(id), &page.request())
        .await?;
    let candidates: Vec<CandidateDebrief> = view
        .rows
        .into_iter()
        .map(|row| match row {
            DebriefRow::Open {
                candidate: c,
                debrief,
                decision,
            } => CandidateDebrief {
                id: c.id.0,
                name: c.name,
                stage: c.stage,
                internal: c.internal,
                blind: None,
                debrief: Some(DebriefDto::new(&debrief)),
                decision: decision.as_ref().map(DecisionDto::new),
            },
            DebriefRow::Hidden {
                candidate: c,
                reason,
            } => CandidateDebrief {
                id: c.id.0,
                name: c.name,
                stage: c.stage,
                internal: c.internal,
                blind: Some(reason),
                debrief: None,
                decision: None,
            },
        })
        .collect();
    Ok(Json(OpeningDebrief {
        opening: OpeningDto::new(&view.opening, candidates.len()),
        candidates,
        next: next_link(
            &format!("/openings/{id}/debrief"),
            raw.as_deref(),
            view.next,
        ),
    }))
}
