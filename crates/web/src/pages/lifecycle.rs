//! The lifecycle around the loop on the staff pages (issue 17):
//!
//! - `POST /candidates/{id}/status`: `App::set_status` (status, reason); back
//!   to the candidate's page, or the page's error with what was wrong.
//! - `POST /candidates/{id}/notes`: `App::add_note`.
//! - `GET /candidates/{id}/files/{file}`: `App::candidate_file`, sent as an
//!   attachment with its content type and `nosniff`.
//! - `POST /openings/{id}/close|reopen|archive`: the opening's status.
//! - `GET|POST /openings/{id}/import`: upload a CSV, see what each row would
//!   do (`App::import_candidates` as a dry run), confirm to import it.
//!
//! The parts of the candidate page (status, notes, CV) are rendered here and
//! placed by `candidates.rs`.

use super::field::Posted;
use super::loop_nav;
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, flash, layout};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::{CandidateView, ImportReport, RowOutcome, StatusInput};
use multiplier_core::pipeline::CandidateStatus;
use multiplier_store::OpeningId;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/candidates/{id}/status", post(set_status))
        .route("/candidates/{id}/notes", post(add_note))
        .route("/candidates/{id}/files/{file}", get(download))
        .route("/openings/{id}/close", post(close))
        .route("/openings/{id}/reopen", post(reopen))
        .route("/openings/{id}/archive", post(archive))
        .route(
            "/openings/{id}/import",
            get(import_page)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(csrf::MAX_UPLOAD)),
        )
        .route("/openings/{id}/import/confirm", post(import_confirm))
}

fn opening_id(raw: &str) -> WebResult<OpeningId> {
    raw.parse()
        .map_err(|_| WebError::NotFound(format!("there is no opening `{raw}`")))
}

/// A status in words, with its reason's title when the view carries it.
pub fn status_line(view: &CandidateView) -> Markup {
    let c = &view.candidate;
    let status = c.status.parse().unwrap_or(CandidateStatus::Active);
    let reason = c.status_reason.as_deref().map(|r| {
        view.rejection_reasons
            .iter()
            .find(|(id, _)| id == r)
            .map_or_else(|| r.to_string(), |(_, title)| title.clone())
    });
    let source = match c.source.as_str() {
        "applied" => "applied through the careers page",
        "imported" => "imported",
        _ => "added by staff",
    };
    html! {
        p {
            "Status: " (layout::chip(status.label(), !status.is_terminal()))
            @if let Some(r) = reason { " — " (r) }
            " · " span.hint { (source) }
        }
    }
}

/// The admin's status form: the statuses, and the framework's rejection reasons.
pub fn status_form(token: &str, view: &CandidateView) -> Markup {
    let c = &view.candidate;
    html! {
        details.manage {
            summary { "Change the status" }
            form method="post" action={ "/candidates/" (c.id) "/status" } {
                (layout::csrf_field(token))
                label for="status" { "New status" }
                select #status name="status" {
                    @for s in CandidateStatus::ALL {
                        option value=(s.id()) selected[s.id() == c.status] { (s.label()) }
                    }
                }
                label for="status-reason" { "Reason (needed to reject)" }
                select #status-reason name="reason" {
                    option value="" { "—" }
                    @for (id, title) in &view.rejection_reasons {
                        option value=(id) { (title) }
                    }
                }
                p.hint { "Rejected, withdrawn and hired candidates leave the board. Hired needs a recorded hire decision and an accepted offer. Nothing is sent to the candidate." }
                button.secondary type="submit" { "Save the status" }
            }
        }
    }
}

/// The notes the viewer may read, and the form to add one.
pub fn notes(token: &str, view: &CandidateView) -> Markup {
    let c = &view.candidate;
    html! {
        h2 #notes { "Notes" }
        @if view.hidden_notes > 0 {
            p.notice role="status" { (view.hidden_notes) " note(s) by others stay hidden until your scorecard is in." }
        }
        @if view.notes.is_empty() && view.hidden_notes == 0 { p.hint { "No notes yet." } }
        @for n in &view.notes {
            article.note {
                p.hint { (n.author) ", " (n.created_at.strftime("%Y-%m-%d %H:%M")) " UTC" }
                p { (n.body) }
            }
        }
        form method="post" action={ "/candidates/" (c.id) "/notes" } {
            (layout::csrf_field(token))
            label for="note-body" { "Add a note" }
            textarea #note-body name="body" rows="3" required {}
            button.secondary type="submit" { "Save the note" }
        }
    }
}

/// The files the candidate sent and the links they gave (hiring managers).
pub fn files(view: &CandidateView) -> Markup {
    let c = &view.candidate;
    html! {
        @if !view.files.is_empty() || c.links.is_some() {
            h2 { "Application" }
            ul.plain {
                @for f in &view.files {
                    li { a href={ "/candidates/" (c.id) "/files/" (f.id) } download { "Download the CV" }
                        " " span.hint { "(" (f.file_name) ", " (f.size / 1024) " KB)" } }
                }
                @if let Some(links) = &c.links {
                    @for l in links.lines() { li { (l) } }
                }
            }
        }
    }
}

async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let posted = Posted(posted);
    let input = StatusInput {
        status: posted.get("status").to_string(),
        reason: Some(posted.get("reason").to_string()),
    };
    state.app.set_status(&user.account(), id, &input).await?;
    if input.status.trim() == "rejected" {
        // Nothing goes to the candidate by itself: the manager reads, edits and
        // sends the rejection message from its own page.
        flash::set(
            &session,
            "Rejected. Nothing has been sent: review the message below and send it when it reads right.",
        )
        .await?;
        return Ok(Redirect::to(&format!("/candidates/{id}/rejection")).into_response());
    }
    flash::set(&session, format!("Status set to {}.", input.status.trim())).await?;
    Ok(Redirect::to(&format!("/candidates/{id}")).into_response())
}

async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let posted = Posted(posted);
    state
        .app
        .add_note(&user.account(), id, posted.get("body"))
        .await?;
    flash::set(&session, "Note added.").await?;
    Ok(Redirect::to(&format!("/candidates/{id}#notes")).into_response())
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, file)): Path<(String, String)>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let file: i64 = file
        .parse()
        .map_err(|_| WebError::NotFound(format!("there is no file `{file}`")))?;
    let f = state.app.candidate_file(&user.account(), id, file).await?;
    tracing::info!(candidate = id.0, file, "candidate file downloaded");
    // The stored name is ours (letters, digits, dashes and the extension).
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        f.meta.file_name.replace(['"', '\\'], "")
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let content_type = HeaderValue::from_str(&f.meta.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        f.bytes,
    )
        .into_response())
}

async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = opening_id(&id)?;
    state.app.close_opening(&user.account(), id).await?;
    flash::set(
        &session,
        "Opening closed: it takes no new candidates or applications.",
    )
    .await?;
    Ok(Redirect::to(&format!("/openings/{id}")).into_response())
}

async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = opening_id(&id)?;
    state.app.reopen_opening(&user.account(), id).await?;
    flash::set(&session, "Opening reopened.").await?;
    Ok(Redirect::to(&format!("/openings/{id}")).into_response())
}

async fn archive(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = opening_id(&id)?;
    state.app.archive_opening(&user.account(), id).await?;
    flash::set(&session, "Opening archived.").await?;
    Ok(Redirect::to("/openings").into_response())
}

/// The opening's status buttons (hiring managers), for the board's header.
pub fn opening_buttons(token: &str, id: OpeningId, status: &str) -> Markup {
    let button = |action: &str, label: &str| {
        html! {
            form.inline method="post" action={ "/openings/" (id) "/" (action) } {
                (layout::csrf_field(token))
                button.secondary type="submit" { (label) }
            }
        }
    };
    html! {
        div.actions {
            @match status {
                "open" => {
                    a href={ "/openings/" (id) "/import" } { "Import candidates (CSV)" } " "
                    (button("close", "Close the opening"))
                    (button("archive", "Archive"))
                }
                "closed" => { (button("reopen", "Reopen")) (button("archive", "Archive")) }
                _ => { (button("reopen", "Reopen")) }
            }
        }
    }
}

/// The board's status filter: links to the current, ended and all candidates.
pub fn board_filter(id: OpeningId, shown: multiplier_app::Shown) -> Markup {
    use multiplier_app::Shown;
    html! {
        p.filters aria-label="Show candidates" {
            "Show: "
            @for (s, label) in [(Shown::Current, "in the pipeline"), (Shown::Ended, "rejected, withdrawn or hired"), (Shown::All, "all")] {
                @if s == shown { strong { (label) } } @else { a href={ "/openings/" (id) "?show=" (s.id()) } { (label) } }
                " "
            }
        }
    }
}

// ------------------------------------------------------------------ import

fn import_form(token: &str, id: OpeningId, problem: Option<&str>) -> Markup {
    html! {
        @if let Some(p) = problem { div.alert role="alert" { p { (p) } } }
        form method="post" action={ "/openings/" (id) "/import" } enctype="multipart/form-data" {
            (layout::csrf_field(token))
            label for="import-file" { "A CSV file" }
            input #import-file type="file" name="file" accept=".csv,text/csv" required;
            p.hint { "Columns read: name (or First Name and Last Name), email, links. Greenhouse and Lever exports work as they are; other columns are ignored. Nothing is saved until you confirm." }
            button type="submit" { "Preview" }
        }
    }
}

async fn import_page(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let id = opening_id(&id)?;
    let opening = state.app.opening(&user.account(), id).await?;
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/openings" { "Openings" } " › " a href={ "/openings/" (id) } { (opening.title) } " › import" }
        h1 { "Import candidates into " (opening.title) }
        (import_form(&token, id, None))
    };
    Ok(layout::page("Import candidates", Some(&user), &token, body))
}

fn report_table(r: &ImportReport) -> Markup {
    html! {
        p { @if r.dry_run { "Would create " } @else { "Created " } strong { (r.created) } ", " (r.duplicates) " duplicate(s), " (r.invalid) " invalid." }
        p.hint { "Columns read: "
            @for (i, (field, col)) in r.columns.iter().enumerate() { @if i > 0 { ", " } (field) " from “" (col) "”" } }
        div.table-scroll {
            table.results {
                thead { tr { th scope="col" { "Line" } th scope="col" { "Name" } th scope="col" { "E-mail" } th scope="col" { "Outcome" } } }
                tbody {
                    @for row in &r.rows {
                        tr {
                            td { (row.line) } td { (row.name) } td { (row.email) }
                            td { @match &row.outcome {
                                RowOutcome::Created { candidate: Some(c) } => { a href={ "/candidates/" (c) } { "created" } }
                                RowOutcome::Created { candidate: None } => { "will be created" }
                                RowOutcome::Duplicate { candidate: Some(c) } => { "duplicate of " a href={ "/candidates/" (c) } { "candidate " (c) } }
                                RowOutcome::Duplicate { candidate: None } => { "duplicate of an earlier row" }
                                RowOutcome::Invalid { reason } => { "invalid: " (reason) }
                            } }
                        }
                    }
                }
            }
        }
    }
}

async fn import_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    mut form: Multipart,
) -> WebResult<Response> {
    let token = csrf::token(&session).await?;
    let id = opening_id(&id)?;
    let mut bytes = Vec::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| WebError::BadRequest(format!("the upload could not be read: {e}")))?
    {
        if field.name() == Some("file") {
            bytes = field
                .bytes()
                .await
                .map_err(|e| WebError::BadRequest(format!("the upload could not be read: {e}")))?
                .to_vec();
        }
    }
    let account = user.account();
    let opening = state.app.opening(&account, id).await?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = match state
        .app
        .import_candidates(&account, id, &bytes, true)
        .await
    {
        Ok(report) => html! {
            h1 { "Import into " (opening.title) ": preview" }
            (report_table(&report))
            form method="post" action={ "/openings/" (id) "/import/confirm" } {
                (layout::csrf_field(&token))
                input type="hidden" name="csv" value=(text);
                button type="submit" disabled[report.created == 0] { "Import " (report.created) " candidate(s)" }
                " " a href={ "/openings/" (id) "/import" } { "Choose another file" }
            }
        },
        Err(e @ multiplier_app::AppError::Invalid { .. }) => html! {
            h1 { "Import candidates into " (opening.title) }
            (import_form(&token, id, Some(&e.problems().iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; "))))
        },
        Err(e) => return Err(e.into()),
    };
    Ok(layout::page("Import candidates", Some(&user), &token, body).into_response())
}

async fn import_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let id = opening_id(&id)?;
    let posted = Posted(posted);
    let account = user.account();
    let report = state
        .app
        .import_candidates(&account, id, posted.get("csv").as_bytes(), false)
        .await?;
    let body = html! {
        h1 { "Import done" }
        (report_table(&report))
        p { a href={ "/openings/" (id) } { "Back to the board" } }
    };
    Ok(layout::page("Import done", Some(&user), &token, body))
}
