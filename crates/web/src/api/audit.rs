//! `/audit`: who did what and when (hiring managers), one page at a time
//! through [`multiplier_app::App::audit_page`] (the audit page of the web reads
//! the same use case, newest first).

use super::paging::next_link;
use super::{Failure, Outcome, Problem, at};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Query, RawQuery, State};
use multiplier_app::PageRequest;
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
    /// Entries per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// Where the page starts: the `cursor` of the previous page's `next`
    /// link. Opaque; omit it for the first page.
    pub cursor: Option<String>,
}

/// One page of audit entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// The entries of this page, oldest first.
    pub items: Vec<AuditDto>,
    /// The link to the next page (same filters), or null on the last.
    pub next: Option<String>,
}

/// The audit log (hiring managers), one page at a time, oldest first. The
/// filters combine; the `next` link carries them to the following page.
#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    params(AuditQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "One page of the entries that match, oldest first", body = AuditPage),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 422, description = "A day not written as YYYY-MM-DD (`since`), a page size outside 1–200 (`limit`), or a cursor that is not one of this list's (`cursor`)", body = Problem),
    )
)]
async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
    RawQuery(raw): RawQuery,
) -> Outcome<Json<AuditPage>> {
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
        ..AuditFilter::default()
    };
    let page = PageRequest {
        limit: q.limit,
        cursor: q.cursor.filter(|c| !c.trim().is_empty()),
    };
    let page = state
        .app
        .audit_page(&user.account(), &filter, &page)
        .await?;
    Ok(Json(AuditPage {
        items: page.rows.iter().map(AuditDto::new).collect(),
        next: next_link("/audit", raw.as_deref(), page.next),
    }))
}
