//! An opening's delivery outcome (`App::outcomes`): the same data as the page
//! `/openings/{id}/outcomes`, and taking a snapshot of the opening's repository
//! (`App::take_snapshot`). Uploads go through the page or `multiplier metrics
//! deploys|prs` + `metrics save`.

use super::openings::OpeningDto;
use super::{Outcome, Problem, at, created};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use multiplier_app::{OutcomesView, SnapshotView};
use multiplier_core::delivery::{Comparison, Status};
use multiplier_store::{DeployRule, OpeningId};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(outcomes))
        .routes(routes!(snapshot))
}

/// The hire, as you may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct HireDto {
    /// The candidate's id, when you may see the candidate.
    pub candidate: Option<i64>,
    /// The name (an erased hire's erased name); `null` when you may not see the candidate.
    pub name: Option<String>,
    pub erased: bool,
    /// `YYYY-MM-DD`, when you may read the offers.
    pub start_date: Option<String>,
}

/// One metric's value in a snapshot.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetricValueDto {
    /// `deployment-frequency` (per week), `lead-time` (h), `change-failure-rate` (%),
    /// `time-to-restore` (h), `first-review` (h).
    pub metric: String,
    pub value: Option<f64>,
}

/// One framework target judged.
#[derive(Debug, Serialize, ToSchema)]
pub struct JudgementDto {
    pub metric: String,
    pub baseline: Option<f64>,
    pub later: Option<f64>,
    /// In the target's terms: a factor (×) or a reduction in percent.
    pub improvement: Option<f64>,
    pub target: String,
    /// `met`, `on-track`, `missed` or `unknown`.
    pub status: String,
    pub reason: String,
}

/// A later snapshot against the baseline (as `multiplier metrics compare` judges it).
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparisonDto {
    pub months_elapsed: Option<f64>,
    pub horizon_months: u32,
    pub metrics: Vec<JudgementDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeSnapshotDto {
    pub id: i64,
    /// `delivery` or `prs`.
    pub kind: String,
    pub source: String,
    pub created_at: String,
    /// The end of the measured window, else when it was saved.
    pub measured_at: String,
    /// The first snapshot of its kind.
    pub baseline: bool,
    /// Months from the hire's start date to `measured_at`.
    pub months_elapsed: Option<f64>,
    pub values: Vec<MetricValueDto>,
    pub comparison: Option<ComparisonDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrendPointDto {
    pub snapshot: i64,
    pub at: String,
    pub value: f64,
}

/// One metric over the snapshots that measured it, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrendDto {
    pub metric: String,
    pub label: String,
    pub unit: String,
    pub higher_is_better: bool,
    pub points: Vec<TrendPointDto>,
}

/// Where the opening's snapshots are read from (hiring managers only).
#[derive(Debug, Serialize, ToSchema)]
pub struct RepositoryDto {
    pub path: String,
    /// Tags matching this glob are the deployments.
    pub deploy_tags: Option<String>,
    /// Or the first-parent commits of this branch.
    pub deploy_branch: Option<String>,
    pub set_by: String,
    pub set_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderDto {
    pub months: u32,
    pub due: String,
    pub sent_at: Option<String>,
}

/// An opening's delivery outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomesDto {
    pub opening: OpeningDto,
    pub hires: Vec<HireDto>,
    pub horizon_months: u32,
    /// Months elapsed are counted from a hire's start date.
    pub counted_from_start: bool,
    pub snapshots: Vec<OutcomeSnapshotDto>,
    pub trends: Vec<TrendDto>,
    /// Hiring managers only.
    pub repository: Option<RepositoryDto>,
    /// Hiring managers only.
    pub reminders: Vec<ReminderDto>,
}

/// A snapshot as saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSnapshotDto {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub created_at: String,
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::OnTrack => "on-track",
        Status::Missed => "missed",
        Status::Unknown => "unknown",
    }
}

fn comparison(c: &Comparison) -> ComparisonDto {
    ComparisonDto {
        months_elapsed: c.months_elapsed,
        horizon_months: c.horizon_months,
        metrics: c
            .metrics
            .iter()
            .map(|m| JudgementDto {
                metric: m.metric.to_string(),
                baseline: m.baseline,
                later: m.later,
                improvement: m.improvement,
                target: m.target.clone(),
                status: status(m.status).to_string(),
                reason: m.reason.clone(),
            })
            .collect(),
    }
}

fn snapshot_dto(s: &SnapshotView) -> OutcomeSnapshotDto {
    OutcomeSnapshotDto {
        id: s.id,
        kind: s.kind.clone(),
        source: s.source.clone(),
        created_at: at(s.created_at),
        measured_at: at(s.measured_at),
        baseline: s.baseline,
        months_elapsed: s.months_elapsed,
        values: s
            .values
            .iter()
            .map(|(m, v)| MetricValueDto {
                metric: (*m).to_string(),
                value: *v,
            })
            .collect(),
        comparison: s.comparison.as_ref().map(comparison),
    }
}

impl OutcomesDto {
    pub fn new(v: &OutcomesView) -> Self {
        OutcomesDto {
            opening: OpeningDto::new(&v.opening, 0),
            hires: v
                .hires
                .iter()
                .map(|h| HireDto {
                    candidate: h.candidate.map(|c| c.0),
                    name: h.name.clone(),
                    erased: h.erased,
                    start_date: h.start_date.map(|d| d.to_string()),
                })
                .collect(),
            horizon_months: v.horizon_months,
            counted_from_start: v.counted_from_start,
            snapshots: v.snapshots.iter().map(snapshot_dto).collect(),
            trends: v
                .trends
                .iter()
                .map(|t| TrendDto {
                    metric: t.metric.id.to_string(),
                    label: t.metric.label.to_string(),
                    unit: t.metric.unit.to_string(),
                    higher_is_better: t.metric.higher_is_better,
                    points: t
                        .points
                        .iter()
                        .map(|p| TrendPointDto {
                            snapshot: p.snapshot,
                            at: at(p.at),
                            value: p.value,
                        })
                        .collect(),
                })
                .collect(),
            repository: v.repository.as_ref().map(|r| {
                let (tags, branch) = match &r.setting.deploy {
                    DeployRule::Tags(g) => (Some(g.clone()), None),
                    DeployRule::Branch(b) => (None, Some(b.clone())),
                };
                RepositoryDto {
                    path: r.setting.path.clone(),
                    deploy_tags: tags,
                    deploy_branch: branch,
                    set_by: r.set_by.clone(),
                    set_at: at(r.set_at),
                }
            }),
            reminders: v
                .reminders
                .iter()
                .map(|r| ReminderDto {
                    months: r.months,
                    due: r.due.to_string(),
                    sent_at: r.sent_at.map(at),
                })
                .collect(),
        }
    }
}

/// An opening's delivery outcome: the baseline (the first snapshot of each
/// kind), every later snapshot with each framework target judged met, on
/// track, missed or unknown, and a trend per metric. Team numbers for anyone
/// signed in; the hire's name and start date follow the candidate's
/// visibility; the repository and the reminders are for hiring managers.
#[utoipa::path(
    get,
    path = "/openings/{id}/outcomes",
    tag = "openings",
    params(("id" = i64, Path, description = "The opening")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The outcome", body = OutcomesDto),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "A stored snapshot is not a metrics report", body = Problem),
    )
)]
async fn outcomes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<OutcomesDto>> {
    let view = state.app.outcomes(&user.account(), OpeningId(id)).await?;
    Ok(Json(OutcomesDto::new(&view)))
}

/// Read the opening's repository (the last 90 days) and save a `delivery`
/// snapshot (hiring managers).
#[utoipa::path(
    post,
    path = "/openings/{id}/outcomes/snapshot",
    tag = "openings",
    params(("id" = i64, Path, description = "The opening")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The snapshot saved", body = SavedSnapshotDto),
        (status = 401, body = Problem),
        (status = 403, description = "Not a hiring manager", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "No repository set, the server cannot read repositories, the repository cannot be read, or no deployment in the window", body = Problem),
    )
)]
async fn snapshot(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Response> {
    let s = state
        .app
        .take_snapshot(&user.account(), OpeningId(id), None, jiff::Timestamp::now())
        .await?;
    Ok(created(SavedSnapshotDto {
        id: s.id,
        kind: s.kind,
        source: s.source,
        created_at: at(s.created_at),
    }))
}
