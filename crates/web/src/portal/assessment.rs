//! The written assessment: the framework's questions with a text box each; drafts
//! saved as the candidate types (portal.js) or with a button; a last check, then
//! sent once. The rules (limits, known questions, sent once, the analyzer's flags
//! attached as evidence for the interviewers) are the app's
//! (`App::save_answers`, `App::submit_assessment`); the candidate never sees the
//! flags.

use super::{PortalApiError, PortalError, PortalResult, page, time, visit};
use crate::error::WebError;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{Markup, html};
use multiplier_app::App;
use multiplier_core::answers::{Answer, Answers};
use multiplier_core::framework::AssessmentQuestion;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/c/{token}/assessment", get(show).post(act))
        .route("/c/{token}/assessment/draft", post(autosave))
}

fn field(id: &str) -> String {
    format!("answer-{id}")
}

/// The answers posted by the form, one per question (`answer-{id}` fields).
fn posted(questions: &[AssessmentQuestion], fields: &[(String, String)]) -> Answers {
    Answers {
        answers: questions
            .iter()
            .map(|q| Answer {
                question: q.id.clone(),
                text: fields
                    .iter()
                    .find(|(k, _)| *k == field(&q.id))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

fn text<'a>(answers: &'a Answers, id: &str) -> &'a str {
    answers
        .answers
        .iter()
        .find(|a| a.question == id)
        .map_or("", |a| a.text.as_str())
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    saved: Option<String>,
    sent: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(notice): Query<Notice>,
    session: Session,
) -> PortalResult<Markup> {
    let v = visit(&state, &token).await?;
    let csrf = csrf::token(&session).await?;
    let (answers, work) = state.app.written_answers(&v).await?;
    let questions = &state.framework.assessment.questions;
    let base = format!("/c/{token}");
    let body = match work.as_ref().and_then(|w| w.submitted_at) {
        Some(at) => html! {
            h1 { "Written questions" }
            p.notice role="status" {
                @if notice.sent.is_some() { "Thank you: your answers were sent on " } @else { "You sent your answers on " }
                (time(at)) ". They can no longer be changed."
            }
            (read_only(questions, &answers))
            p { a href=(base) { "Back to the overview" } }
        },
        None => html! {
            h1 { "Written questions" }
            @if notice.saved.is_some() {
                p.notice role="status" { "Your draft was saved." }
            }
            div.portal-instructions { p { (state.framework.assessment.instructions) } }
            form #assessment-form method="post" action={ (base) "/assessment" }
                data-autosave={ (base) "/assessment/draft" } {
                (layout::csrf_field(&csrf))
                @for (i, q) in questions.iter().enumerate() {
                    section.portal-question {
                        h2 { label for=(field(&q.id)) { (i + 1) ". " (q.title) } }
                        p id={ "prompt-" (q.id) } { (q.prompt) }
                        textarea id=(field(&q.id)) name=(field(&q.id)) rows="12"
                            maxlength=(App::MAX_ANSWER_CHARS) aria-describedby={ "prompt-" (q.id) } {
                            (text(&answers, &q.id))
                        }
                    }
                }
                p #save-status .portal-status role="status" aria-live="polite" {
                    @if let Some(w) = &work { "Draft saved " (time(w.saved_at)) "." }
                    @else { "Nothing saved yet." }
                }
                div.portal-actions {
                    button.secondary type="submit" name="action" value="save" { "Save draft" }
                    button type="submit" name="action" value="confirm" { "Check and send…" }
                }
            }
        },
    };
    Ok(page(&state, "Written questions", &token, &csrf, body))
}

fn read_only(questions: &[AssessmentQuestion], answers: &Answers) -> Markup {
    html! {
        @for (i, q) in questions.iter().enumerate() {
            section.portal-question {
                h2 { (i + 1) ". " (q.title) }
                @let t = text(answers, &q.id);
                @if t.trim().is_empty() {
                    p.hint { "No answer." }
                } @else {
                    div.portal-answer { (t) }
                }
            }
        }
    }
}

async fn act(
    State(state): State<AppState>,
    Path(token): Path<String>,
    session: Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    let questions = &state.framework.assessment.questions;
    let action = fields
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.as_str());
    let base = format!("/c/{token}");
    match action {
        Some("save") => {
            state
                .app
                .save_answers(&v, &posted(questions, &fields))
                .await?;
            Ok(Redirect::to(&format!("{base}/assessment?saved=1")).into_response())
        }
        Some("confirm") => {
            state
                .app
                .save_answers(&v, &posted(questions, &fields))
                .await?;
            let (answers, _) = state.app.written_answers(&v).await?;
            let csrf = csrf::token(&session).await?;
            let empty: Vec<&str> = questions
                .iter()
                .filter(|q| text(&answers, &q.id).trim().is_empty())
                .map(|q| q.title.as_str())
                .collect();
            let body = html! {
                h1 { "Check your answers before sending" }
                p { "Read them through once more. Once sent, they can no longer be changed. "
                    "Your draft is saved, so you can also come back later." }
                @if !empty.is_empty() {
                    p.alert role="alert" { "Not answered yet: " (empty.join("; ")) "." }
                }
                (read_only(questions, &answers))
                form method="post" action={ (base) "/assessment" } {
                    (layout::csrf_field(&csrf))
                    div.portal-actions {
                        a.button.secondary href={ (base) "/assessment" } { "Go back and edit" }
                        button type="submit" name="action" value="submit" { "Send my answers" }
                    }
                }
            };
            Ok(page(&state, "Check your answers", &token, &csrf, body).into_response())
        }
        Some("submit") => {
            // What is sent is the draft the check page showed.
            let (answers, _) = state.app.written_answers(&v).await?;
            state.app.submit_assessment(&v, &answers).await?;
            Ok(Redirect::to(&format!("{base}/assessment?sent=1")).into_response())
        }
        _ => Err(PortalError::Web(WebError::BadRequest(
            "choose “Save draft” or “Check and send”".to_string(),
        ))),
    }
}

async fn autosave(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(draft): Json<Answers>,
) -> Result<Json<serde_json::Value>, PortalApiError> {
    let v = visit(&state, &token).await?;
    let saved = state.app.save_answers(&v, &draft).await?;
    Ok(Json(json!({ "saved_at": saved.saved_at.to_string() })))
}
