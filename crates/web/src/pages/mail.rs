//! Mail and scheduling pages. Each handler parses, calls one use case and
//! renders; the use cases decide who may.
//!
//! - `/admin/outbox`: every message and its state; `/admin/outbox/{id}`: one
//!   message as it goes out, its attempts, and a retry button.
//! - `/admin/mail/templates`: every message's template filled with examples.
//! - `/candidates/{id}/rejection`: the suggested rejection, edited by the
//!   manager, previewed, then sent.
//! - `/candidates/{id}/interviews`: book, move and cancel interviews; offer
//!   times for the candidate to pick in the portal.

use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use multiplier_app::{AppError, FieldProblem, InterviewInput, MailDraft};
use multiplier_store::{CandidateId, MessageState};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/outbox", get(outbox))
        .route("/admin/outbox/{id}", get(message))
        .route("/admin/outbox/{id}/retry", post(retry))
        .route("/admin/mail/templates", get(templates))
        .route(
            "/candidates/{id}/rejection",
            get(rejection).post(rejection_post),
        )
        .route(
            "/candidates/{id}/interviews",
            get(interviews).post(schedule),
        )
        .route(
            "/candidates/{id}/interviews/{iid}/move",
            post(move_interview),
        )
        .route(
            "/candidates/{id}/interviews/{iid}/cancel",
            post(cancel_interview),
        )
        .route("/candidates/{id}/slots", post(offer_slots))
}

fn when(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

fn candidate_id(raw: &str) -> WebResult<CandidateId> {
    raw.parse().map_err(WebError::NotFound)
}

fn problems_box(what: &str, problems: &[FieldProblem]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.alert role="alert" {
                p { (what) }
                ul { @for p in problems { li { strong { (p.field) } ": " (p.message) } } }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct OutboxQuery {
    state: Option<String>,
}

async fn outbox(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Query(q): Query<OutboxQuery>,
) -> WebResult<Markup> {
    let filter = match q.state.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(MessageState::parse(s).map_err(WebError::BadRequest)?),
        None => None,
    };
    let messages = state.app.outbox(&user.account(), filter).await?;
    let token = csrf::token(&session).await?;
    let body = html! {
        h1 { "Outbox" }
        p.hint { "Every message multiplier writes is kept here with its state. Without an SMTP server ("
            code { "serve --smtp" } ") messages stay pending and can be read here. "
            a href="/admin/mail/templates" { "The messages' templates" } "." }
        p { "Show: "
            a href="/admin/outbox" { "all" } " · "
            @for s in ["pending", "sending", "sent", "failed"] {
                a href={ "/admin/outbox?state=" (s) } { (s) } " "
            }
        }
        @if messages.is_empty() {
            p { "No messages." }
        } @else {
            div.table-scroll {
                table #outbox {
                    thead { tr { th { "#" } th { "state" } th { "kind" } th { "to" } th { "subject" } th { "queued" } th { "attempts" } } }
                    tbody {
                        @for m in &messages {
                            tr {
                                td { a href={ "/admin/outbox/" (m.id) } { (m.id) } }
                                td { (layout::chip(m.state.id(), m.state == MessageState::Sent)) }
                                td { (m.kind) }
                                td { (m.recipient_name) }
                                td { a href={ "/admin/outbox/" (m.id) } { (m.subject) } }
                                td { (when(m.created_at)) }
                                td { (m.attempts) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page("Outbox", Some(&user), &token, body))
}

async fn message(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
) -> WebResult<Markup> {
    let view = state.app.outbox_message(&user.account(), id).await?;
    let token = csrf::token(&session).await?;
    let m = &view.message;
    let body = html! {
        h1 { "Message " (m.id) }
        dl {
            dt { "State" } dd #state { (m.state.id()) }
            dt { "Kind" } dd { (m.kind) }
            dt { "To" } dd { (m.recipient_name) " <" (m.recipient) ">" }
            dt { "Subject" } dd { (m.subject) }
            dt { "Queued" } dd { (when(m.created_at)) " by " (m.created_by) }
            @if let Some(at) = m.sent_at { dt { "Accepted by the server" } dd { (when(at)) } }
            @if m.state == MessageState::Pending && m.attempts > 0 {
                dt { "Next attempt" } dd { (when(m.next_attempt_at)) }
            }
        }
        pre #body { (m.body) }
        @if let Some(ics) = &m.calendar {
            details { summary { "Calendar invitation (text/calendar)" } pre { (ics) } }
        }
        h2 { "Attempts" }
        @if view.attempts.is_empty() {
            p { "None yet." }
        } @else {
            ol { @for a in &view.attempts { li { (when(a.at)) ": " (a.outcome) " (" (a.detail) ")" } } }
        }
        @if matches!(m.state, MessageState::Failed | MessageState::Pending) {
            form method="post" action={ "/admin/outbox/" (m.id) "/retry" } {
                (layout::csrf_field(&token))
                button type="submit" { "Send again now" }
            }
        }
        p { a href="/admin/outbox" { "Back to the outbox" } }
    };
    Ok(layout::page(
        &format!("Message {id}"),
        Some(&user),
        &token,
        body,
    ))
}

async fn retry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    state.app.retry_message(&user.account(), id).await?;
    Ok(Redirect::to(&format!("/admin/outbox/{id}")).into_response())
}

async fn templates(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
) -> WebResult<Markup> {
    let previews = state.app.template_previews(&user.account())?;
    let token = csrf::token(&session).await?;
    let body = html! {
        h1 { "Message templates" }
        p.hint { "The words are data: edit " code { "framework/mail.toml" } ". Each is shown here with example values." }
        @for p in &previews {
            section.template id=(p.kind) {
                h2 { (p.kind) }
                p { strong { "Subject: " } (p.subject) }
                pre { (p.body) }
            }
        }
    };
    Ok(layout::page("Message templates", Some(&user), &token, body))
}

fn rejection_page(
    id: CandidateId,
    csrf: &str,
    draft: &MailDraft,
    preview: bool,
    problems: &[FieldProblem],
) -> Markup {
    html! {
        h1 { "Write to the candidate: rejection" }
        p.hint { "The text below is a suggestion from the templates; make it yours. Nothing is sent until you press Send." }
        (problems_box("The message was not sent:", problems))
        @if preview {
            section.notice #preview {
                h2 { "Preview" }
                p { strong { "To: " } (draft.to_name) " <" (draft.to) ">" }
                p { strong { "Subject: " } (draft.subject) }
                pre { (draft.body) }
            }
        }
        form method="post" action={ "/candidates/" (id) "/rejection" } {
            (layout::csrf_field(csrf))
            label for="subject" { "Subject" }
            input #subject type="text" name="subject" value=(draft.subject) required;
            label for="body" { "Message" }
            textarea #body name="body" rows="14" required { (draft.body) }
            button type="submit" name="action" value="preview" { "Preview" }
            @if preview {
                " "
                button type="submit" name="action" value="send" { "Send" }
            }
        }
        p { a href={ "/candidates/" (id) } { "Back to the candidate" } }
    }
}

async fn rejection(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Markup> {
    let id = candidate_id(&id)?;
    let draft = state.app.rejection_draft(&user.account(), id).await?;
    let token = csrf::token(&session).await?;
    Ok(layout::page(
        "Rejection",
        Some(&user),
        &token,
        rejection_page(id, &token, &draft, false, &[]),
    ))
}

#[derive(Debug, Deserialize)]
struct LetterForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    action: String,
}

async fn rejection_post(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(form): Form<LetterForm>,
) -> WebResult<Response> {
    let id = candidate_id(&id)?;
    let account = user.account();
    let token = csrf::token(&session).await?;
    if form.action == "send" {
        match state
            .app
            .send_rejection(&account, id, &form.subject, &form.body)
            .await
        {
            Ok(m) => return Ok(Redirect::to(&format!("/admin/outbox/{}", m.id)).into_response()),
            Err(AppError::Invalid { problems, .. }) => {
                let mut draft = state.app.rejection_draft(&account, id).await?;
                draft.subject = form.subject;
                draft.body = form.body;
                let page = rejection_page(id, &token, &draft, false, &problems);
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    layout::page("Rejection", Some(&user), &token, page),
                )
                    .into_response());
            }
            Err(e) => return Err(e.into()),
        }
    }
    let (draft, problems, ok) = match state
        .app
        .preview_rejection(&account, id, &form.subject, &form.body)
        .await
    {
        Ok(d) => (d, Vec::new(), true),
        Err(AppError::Invalid { problems, .. }) => {
            let mut d = state.app.rejection_draft(&account, id).await?;
            d.subject = form.subject;
            d.body = form.body;
            (d, problems, false)
        }
        Err(e) => return Err(e.into()),
    };
    let page = rejection_page(id, &token, &draft, ok, &problems);
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, layout::page("Rejection", Some(&user), &token, page)).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct InterviewForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    minutes: String,
    /// Comma-separated account names.
    #[serde(default)]
    interviewers: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    video_link: String,
}

impl InterviewForm {
    fn input(&self) -> InterviewInput {
        InterviewInput {
            stage: self.stage.clone(),
            start: self.start.clone(),
            minutes: self.minutes.trim().parse().unwrap_or(0),
            interviewers: self
                .interviewers
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            place: self.place.clone(),
            video_link: self.video_link.clone(),
        }
    }
}

async fn interviews_page(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    id: CandidateId,
    form: &InterviewForm,
    problems: &[FieldProblem],
) -> WebResult<Markup> {
    let list = state.app.interviews(&user.account(), id).await?;
    let token = csrf::token(session).await?;
    let stages: Vec<String> = state
        .framework
        .stages
        .iter()
        .map(|s| s.id.clone())
        .collect();
    let minutes = if form.minutes.is_empty() {
        "60"
    } else {
        form.minutes.as_str()
    };
    let body = html! {
        h1 { "Interviews for candidate " (id) }
        (problems_box("Not booked:", problems))
        @if list.is_empty() {
            p { "No interviews booked yet." }
        } @else {
            div.table-scroll {
                table #interviews {
                    thead { tr { th { "stage" } th { "when" } th { "minutes" } th { "with" } th { "where" } th { "state" } th {} } }
                    tbody {
                        @for i in &list {
                            tr {
                                td { (i.stage) }
                                td { (when(i.starts_at)) }
                                td { (i.ends_at.duration_since(i.starts_at).as_secs() / 60) }
                                td { (i.interviewers.join(", ")) }
                                td { (i.place) @if !i.video_link.is_empty() { " " a href=(i.video_link) { "video" } } }
                                td { @if i.cancelled_at.is_some() { "cancelled" } @else { "booked" } }
                                td {
                                    @if i.cancelled_at.is_none() {
                                        form method="post" action={ "/candidates/" (id) "/interviews/" (i.id) "/move" } {
                                            (layout::csrf_field(&token))
                                            input type="datetime-local" name="start" aria-label="new start (UTC)" required;
                                            input type="number" name="minutes" min="15" max="480" value=(i.ends_at.duration_since(i.starts_at).as_secs() / 60) aria-label="minutes";
                                            button type="submit" { "Move" }
                                        }
                                        form method="post" action={ "/candidates/" (id) "/interviews/" (i.id) "/cancel" } {
                                            (layout::csrf_field(&token))
                                            button type="submit" { "Cancel" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Book an interview, or offer times" }
        p.hint { "Times are UTC. Everyone with an e-mail address gets an invitation with a calendar entry; moving or cancelling updates the same entry. "
            "An interviewer who already has an interview at an overlapping time is refused." }
        form method="post" action={ "/candidates/" (id) "/interviews" } {
            (layout::csrf_field(&token))
            label for="stage" { "Stage" }
            select #stage name="stage" {
                @for s in &stages { option value=(s) selected[*s == form.stage] { (s) } }
            }
            label for="start" { "Start (UTC)" }
            input #start type="datetime-local" name="start" value=(form.start) required;
            label for="minutes" { "Minutes" }
            input #minutes type="number" name="minutes" min="15" max="480" value=(minutes);
            label for="interviewers" { "Interviewers (account names, separated by commas)" }
            input #interviewers type="text" name="interviewers" value=(form.interviewers) required;
            label for="place" { "Place" }
            input #place type="text" name="place" value=(form.place);
            label for="video_link" { "Video link" }
            input #video_link type="url" name="video_link" value=(form.video_link);
            button type="submit" { "Book the interview" }
            " "
            button type="submit" formaction={ "/candidates/" (id) "/slots" } { "Offer this time to the candidate instead" }
        }
        p { a href={ "/candidates/" (id) } { "Back to the candidate" } " · " a href={ "/candidates/" (id) "/rejection" } { "Write a rejection" } }
    };
    Ok(layout::page("Interviews", Some(user), &token, body))
}

async fn interviews(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Markup> {
    let id = candidate_id(&id)?;
    interviews_page(&state, &user, &session, id, &InterviewForm::default(), &[]).await
}

async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(form): Form<InterviewForm>,
) -> WebResult<Response> {
    let id = candidate_id(&id)?;
    match state
        .app
        .schedule_interview(&user.account(), id, &form.input())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/candidates/{id}/interviews")).into_response()),
        Err(AppError::Invalid { problems, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            interviews_page(&state, &user, &session, id, &form, &problems).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn offer_slots(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(form): Form<InterviewForm>,
) -> WebResult<Response> {
    let id = candidate_id(&id)?;
    match state
        .app
        .offer_slots(&user.account(), id, &[form.input()])
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/candidates/{id}/interviews")).into_response()),
        Err(AppError::Invalid { problems, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            interviews_page(&state, &user, &session, id, &form, &problems).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct MoveForm {
    #[serde(default)]
    start: String,
    #[serde(default)]
    minutes: String,
}

async fn move_interview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, iid)): Path<(String, i64)>,
    Form(form): Form<MoveForm>,
) -> WebResult<Response> {
    let id = candidate_id(&id)?;
    let minutes = form.minutes.trim().parse().unwrap_or(0);
    state
        .app
        .move_interview(&user.account(), id, iid, &form.start, minutes)
        .await?;
    Ok(Redirect::to(&format!("/candidates/{id}/interviews")).into_response())
}

async fn cancel_interview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, iid)): Path<(String, i64)>,
) -> WebResult<Response> {
    let id = candidate_id(&id)?;
    state.app.cancel_interview(&user.account(), id, iid).await?;
    Ok(Redirect::to(&format!("/candidates/{id}/interviews")).into_response())
}
