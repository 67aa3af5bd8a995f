//! The ATS routes around the loop (issue 17): a candidate's status, staff
//! notes, the CV, an opening's close/reopen/archive, and a CSV import. Each
//! handler calls one use case of [`multiplier_app::App`].

use super::candidates::CandidateDto;
use super::openings::OpeningDto;
use super::{Outcome, Problem, at, created};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use multiplier_app::{ImportReport, RowOutcome, StatusInput};
use multiplier_store::{CandidateId, NoteRecord, OpeningId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_status))
        .routes(routes!(notes, add_note))
        .routes(routes!(close))
        .routes(routes!(reopen))
        .routes(routes!(archive))
        .routes(routes!(import))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "rejected", "reason": "not-enough-depth"}))]
pub struct StatusBody {
    /// `active`, `on-hold`, `rejected`, `withdrawn` or `hired`.
    pub status: String,
    /// To reject: the id of one of the framework's rejection reasons
    /// (required). With another status: an optional short note.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Change a candidate's status (hiring managers). A rejection needs a reason
/// from the framework's list; `hired` needs a recorded hire decision and an
/// accepted offer; a rejected or withdrawn candidate can only be made active
/// again; hired is final. Rejected, withdrawn and hired candidates leave the
/// board (`GET /candidates?show=ended` lists them). Nothing is sent to the
/// candidate.
#[utoipa::path(
    post,
    path = "/candidates/{id}/status",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = StatusBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The candidate with the new status", body = CandidateDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The move is not allowed from the current status (e.g. hired without an accepted offer)", body = Problem),
        (status = 422, description = "An unknown status, or a rejection without a listed reason", body = Problem),
    )
)]
async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<StatusBody>,
) -> Outcome<Json<CandidateDto>> {
    let input = StatusInput {
        status: body.status,
        reason: body.reason,
    };
    let c = state
        .app
        .set_status(&user.account(), CandidateId(id), &input)
        .await?;
    Ok(Json(CandidateDto::new(&c)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteDto {
    pub id: i64,
    pub author: String,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
}

impl NoteDto {
    fn new(n: &NoteRecord) -> Self {
        NoteDto {
            id: n.id,
            author: n.author.clone(),
            body: n.body.clone(),
            created_at: at(n.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotesDto {
    /// The notes you may read, oldest first.
    pub notes: Vec<NoteDto>,
    /// Notes by others withheld until your own scorecard is in.
    pub hidden: usize,
}

/// The staff notes on a candidate you may read: yours always, others' once
/// your own scorecard is in (the blind rule).
#[utoipa::path(
    get,
    path = "/candidates/{id}/notes",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The notes you may read", body = NotesDto),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
    )
)]
async fn notes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<NotesDto>> {
    let (notes, hidden) = state.app.notes(&user.account(), CandidateId(id)).await?;
    Ok(Json(NotesDto {
        notes: notes.iter().map(NoteDto::new).collect(),
        hidden,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub body: String,
}

/// Write a note on a candidate (hiring managers and the interviewers assigned
/// to them). The audit log records that it was written, never its text.
#[utoipa::path(
    post,
    path = "/candidates/{id}/notes",
    tag = "candidates",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = NoteBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The note", body = NoteDto),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "An empty or too long note", body = Problem),
    )
)]
async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<NoteBody>,
) -> Outcome<Response> {
    let note = state
        .app
        .add_note(&user.account(), CandidateId(id), &body.body)
        .await?;
    Ok(created(NoteDto::new(&note)))
}

/// Close an opening (hiring managers): it takes no new candidates or
/// applications and leaves the careers page.
#[utoipa::path(
    post,
    path = "/openings/{id}/close",
    tag = "openings",
    params(("id" = i64, Path, description = "The opening")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The opening, closed", body = OpeningDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already closed, or archived", body = Problem),
    )
)]
async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<OpeningDto>> {
    let o = state
        .app
        .close_opening(&user.account(), OpeningId(id))
        .await?;
    Ok(Json(OpeningDto::new(&o, 0)))
}

/// Open a closed or archived opening again (hiring managers).
#[utoipa::path(
    post,
    path = "/openings/{id}/reopen",
    tag = "openings",
    params(("id" = i64, Path, description = "The opening")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The opening, open", body = OpeningDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already open", body = Problem),
    )
)]
async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<OpeningDto>> {
    let o = state
        .app
        .reopen_opening(&user.account(), OpeningId(id))
        .await?;
    Ok(Json(OpeningDto::new(&o, 0)))
}

/// Archive an opening (hiring managers): closed, and left out of
/// `GET /openings`.
#[utoipa::path(
    post,
    path = "/openings/{id}/archive",
    tag = "openings",
    params(("id" = i64, Path, description = "The opening")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The opening, archived", body = OpeningDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already archived", body = Problem),
    )
)]
async fn archive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<OpeningDto>> {
    let o = state
        .app
        .archive_opening(&user.account(), OpeningId(id))
        .await?;
    Ok(Json(OpeningDto::new(&o, 0)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"csv": "name,email\nAda Byron,ada@example.com\n", "dry_run": true}))]
pub struct ImportBody {
    /// The CSV text: our headers (`name`, `email`, `links`) or a Greenhouse
    /// (`First Name`, `Last Name`, `Email`) or Lever (`Name`, `Email`,
    /// `Links`) export.
    pub csv: String,
    /// Report what would happen, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRowDto {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub name: String,
    pub email: String,
    /// `created`, `duplicate` or `invalid`.
    pub outcome: String,
    /// The candidate created, or the one already holding the address.
    pub candidate: Option<i64>,
    /// Why an invalid row was left out.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportDto {
    pub opening: i64,
    pub dry_run: bool,
    /// Each field read, and the column it was read from.
    pub columns: std::collections::BTreeMap<String, String>,
    pub rows: Vec<ImportRowDto>,
    pub created: usize,
    pub duplicates: usize,
    pub invalid: usize,
}

impl ImportDto {
    pub fn new(r: &ImportReport) -> Self {
        ImportDto {
            opening: r.opening.0,
            dry_run: r.dry_run,
            columns: r.columns.clone(),
            rows: r
                .rows
                .iter()
                .map(|row| {
                    let (outcome, candidate, reason) = match &row.outcome {
                        RowOutcome::Created { candidate } => ("created", *candidate, None),
                        RowOutcome::Duplicate { candidate } => ("duplicate", *candidate, None),
                        RowOutcome::Invalid { reason } => ("invalid", None, Some(reason.clone())),
                    };
                    ImportRowDto {
                        line: row.line,
                        name: row.name.clone(),
                        email: row.email.clone(),
                        outcome: outcome.to_string(),
                        candidate: candidate.map(|c| c.0),
                        reason,
                    }
                })
                .collect(),
            created: r.created,
            duplicates: r.duplicates,
            invalid: r.invalid,
        }
    }
}

/// Import candidates from CSV text into an open opening (hiring managers).
/// Each row is created, a duplicate (the opening or an earlier row already
/// has its e-mail address) or invalid with the reason; sending the same file
/// twice creates nothing the second time.
#[utoipa::path(
    post,
    path = "/openings/{id}/import",
    tag = "openings",
    params(("id" = i64, Path, description = "The opening")),
    request_body = ImportBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Each row's outcome", body = ImportDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The opening is closed or archived", body = Problem),
        (status = 422, description = "No name or e-mail column, or too many rows", body = Problem),
    )
)]
async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<ImportBody>,
) -> Outcome<Json<ImportDto>> {
    let report = state
        .app
        .import_candidates(
            &user.account(),
            OpeningId(id),
            body.csv.as_bytes(),
            body.dry_run,
        )
        .await?;
    Ok(Json(ImportDto::new(&report)))
}
