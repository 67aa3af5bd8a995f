//! "Your data": the candidate downloads what the portal holds about them as JSON
//! (`App::export`: what they gave and what identifies their application, not the
//! hiring team's assessment, and a sentence saying so), or asks for it to be
//! erased (a recorded request a hiring manager acts on).

use super::{PortalResult, page, time, visit};
use crate::error::WebError;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::App;
use serde::Deserialize;
use tower_sessions::Session;

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
    let open = state.app.open_erasure_request(&v).await?;
    let base = format!("/c/{token}");
    let body = html! {
        h1 { "Your data" }
        p { "We keep what you gave us for this application: your name and email address, "
            "your answers to the written questions and your code review, drafts included, "
            "and when this link was made and used." }
        h2 { "Download it" }
        p { a.button href={ (base) "/data.json" } download="my-application-data.json" { "Download my data (JSON)" } }
        p.hint { (App::EXPORT_LEAVES_OUT) }
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
    Ok(page(&state, "Your data", &token, &csrf, body))
}

async fn download(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    let export = state.app.export(&v).await?;
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
    state.app.request_erasure(&v).await?;
    Ok(Redirect::to(&format!("/c/{token}/data?requested=1")).into_response())
}
