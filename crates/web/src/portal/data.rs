//! "Your data": the candidate downloads what the portal holds about them as JSON,
//! or asks for it to be erased (a recorded request a hiring manager acts on).
//!
//! The download holds what the candidate gave and what identifies their
//! application: their record, their links' dates, their answers and reviews
//! (drafts and sent). It leaves out the hiring team's assessment — interviewers'
//! scores, notes and flags, the automatic analysis, the pipeline stage — and says
//! so, naming who to ask for it (docs/portal.md explains the choice).

use super::{PortalResult, page, time, visit};
use crate::error::WebError;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::Timestamp;
use maud::{Markup, html};
use multiplier_core::review::Builtin;
use multiplier_store::{HiringStore, PortalStore, Task};
use serde::Deserialize;
use serde_json::{Value, json};
use tower_sessions::Session;

/// What the export says it leaves out, and why.
pub const NOT_INCLUDED: &str = "This file holds what you gave us and what identifies your application. \
It does not hold the hiring team's own assessment (interviewers' notes and ratings, the automatic \
reading of your answers, where your application stands). You may ask the hiring manager for \
those; they answer such requests in full.";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/c/{token}/data", get(show))
        .route("/c/{token}/data.json", get(download))
        .route("/c/{token}/data/erase", post(request_erasure))
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    requested: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(notice): Query<Notice>,
    session: Session,
) -> PortalResult<Markup> {
    let v = visit(&state, &token).await?;
    let csrf = csrf::token(&session).await?;
    let open = state
        .store
        .erasure_requests(v.candidate.id)
        .await?
        .into_iter()
        .find(|r| r.erased_at.is_none());
    let base = format!("/c/{token}");
    let body = html! {
        h1 { "Your data" }
        p { "We keep what you gave us for this application: your name and email address, "
            "your answers to the written questions and your code review, drafts included, "
            "and when this link was made and used." }
        h2 { "Download it" }
        p { a.button href={ (base) "/data.json" } download="my-application-data.json" { "Download my data (JSON)" } }
        p.hint { (NOT_INCLUDED) }
        h2 { "Ask us to erase it" }
        @if let Some(r) = &open {
            p.notice role="status" {
                @if notice.requested.is_some() { "Your request was recorded. " }
                "You asked us on " (time(r.requested_at)) " to erase your data. "
                "The hiring manager will carry it out; this link will then stop working."
            }
        } @else {
            p { "We will replace your name and email address with a placeholder and delete your answers, "
                "your review and your drafts. A record that an application existed stays, without your name. "
                "This also ends your application: the link will stop working." }
            form method="post" action={ (base) "/data/erase" } {
                (layout::csrf_field(&csrf))
                p {
                    input #erase-confirm type="checkbox" name="confirm" value="yes" required;
                    " "
                    label.portal-inline for="erase-confirm" { "I want my data erased, and understand this ends my application." }
                }
                button type="submit" { "Ask to erase my data" }
            }
        }
        p { a href=(base) { "Back to the overview" } }
    };
    Ok(page("Your data", &token, &csrf, body))
}

async fn download(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    let c = &v.candidate;
    let opening = state.store.opening(c.opening).await?;
    let mut links = Vec::new();
    for l in state.store.links(c.id).await? {
        let mut work = serde_json::Map::new();
        for task in [Task::Assessment, Task::Review] {
            if let Some(w) = state.store.work(l.id, task).await? {
                work.insert(
                    task.id().to_string(),
                    json!({
                        "saved_at": w.saved_at,
                        "sent_at": w.submitted_at,
                        "content": w.body,
                    }),
                );
            }
        }
        links.push(json!({
            "created_at": l.created_at,
            "expires_at": l.expires_at,
            "revoked_at": l.revoked_at,
            "first_opened_at": l.opened_at,
            "pull_request": Builtin::find(&l.exercise)
                .and_then(|b| b.load().ok())
                .map(|e| e.title),
            "work": Value::Object(work),
        }));
    }
    let requests: Vec<Value> = state
        .store
        .erasure_requests(c.id)
        .await?
        .into_iter()
        .map(|r| json!({ "requested_at": r.requested_at, "carried_out_at": r.erased_at }))
        .collect();
    let export = json!({
        "exported_at": Timestamp::now(),
        "you": {
            "name": c.name,
            "email": c.email,
            "internal_candidate": c.internal,
            "why_you_want_the_leadership_work": c.wants_leadership,
            "what_you_would_give_up": c.gives_up,
            "applied_for": opening.map(|o| o.title),
            "added_at": c.created_at,
        },
        "links": links,
        "erasure_requests": requests,
        "not_included": NOT_INCLUDED,
    });
    let body = serde_json::to_string_pretty(&export)
        .map_err(|e| WebError::Internal(format!("cannot write the export: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-application-data.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct EraseForm {
    confirm: Option<String>,
}

async fn request_erasure(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<EraseForm>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    if form.confirm.as_deref() != Some("yes") {
        return Err(WebError::BadRequest(
            "tick the box to confirm that you want your data erased".to_string(),
        )
        .into());
    }
    state.store.request_erasure(v.link.id).await?;
    Ok(Redirect::to(&format!("/c/{token}/data?requested=1")).into_response())
}
