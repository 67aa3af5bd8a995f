//! `/audit`: who did what and when (hiring managers), through
//! [`multiplier_app::App::audit_log`].

use super::{Failure, Outcome, Problem, at};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Query, State};
use multiplier_store::{AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditDto {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    /// The thing changed as `kind:id`, e.g. `candidate:3`.
    pub subject: String,
    pub detail: String,
}

impl AuditDto {
    pub fn new(e: &AuditEntry) -> Self {
        AuditDto {
            id: e.id,
            at: at(e.at),
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            detail: e.detail.clone(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this candidate.
    pub candidate: Option<i64>,
    /// Only what this person did.
    pub actor: Option<String>,
    /// Only this action, e.g. `scorecard`.
    pub action: Option<String>,
    /// Only from this day on (YYYY-MM-DD, UTC).
    pub since: Option<String>,
    /// At most this many entries.
    pub limit: Option<u32>,
}

/// The audit log (hiring managers).
#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    params(AuditQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The entries that match, oldest first", body = Vec<AuditDto>),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Outcome<Json<Vec<AuditDto>>> {
    let since = match q.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse::<jiff::civil::Date>()
                .ok()
                .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
                .map(|z| z.timestamp())
                .ok_or_else(|| Failure::field("since", "write the day as YYYY-MM-DD"))?,
        ),
    };
    let filter = AuditFilter {
        actor: q.actor.filter(|a| !a.trim().is_empty()),
        action: q.action.filter(|a| !a.trim().is_empty()),
        subject: q.candidate.map(|c| format!("candidate:{c}")),
        since,
        limit: q.limit,
        ..AuditFilter::default()
    };
    let entries = state.app.audit_log(&user.account(), &filter).await?;
    Ok(Json(entries.iter().map(AuditDto::new).collect()))
}
