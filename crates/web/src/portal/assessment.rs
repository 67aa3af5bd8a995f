//! The written assessment: the framework's questions with a text box each; drafts
//! saved as the candidate types (portal.js) or with a button; a last check, then
//! sent once. On sending, the answers and the analyzer's flags become evidence for
//! the interviewers; the candidate never sees the flags.

use super::{PortalApiError, PortalError, PortalResult, SOURCE, page, time, visit};
use crate::error::WebError;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{Markup, html};
use multiplier_core::answers::{Answer, Answers, analyze};
use multiplier_core::framework::AssessmentQuestion;
use multiplier_core::review::{DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML, ReviewSignals};
use multiplier_store::{PortalStore, SubmittedEvidence, Task, Work};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

/// The longest answer accepted, in characters.
pub const MAX_ANSWER_CHARS: usize = 20_000;
/// The evidence kind staff find the answers and their analysis under.
pub const EVIDENCE_KIND: &str = "written-assessment";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/c/{token}/assessment", get(show).post(act))
        .route("/c/{token}/assessment/draft", post(autosave))
}

fn field(id: &str) -> String {
    format!("answer-{id}")
}

/// The answers in the framework's order, one per question, from `text_of`;
/// refused when one is too long.
fn collect(
    questions: &[AssessmentQuestion],
    text_of: impl Fn(&str) -> Option<String>,
) -> Result<Answers, WebError> {
    let mut answers = Vec::new();
    for q in questions {
        let text = text_of(&q.id).unwrap_or_default();
        if text.chars().count() > MAX_ANSWER_CHARS {
            return Err(WebError::BadRequest(format!(
                "the answer to “{}” is longer than {MAX_ANSWER_CHARS} characters; please shorten it",
                q.title
            )));
        }
        answers.push(Answer {
            question: q.id.clone(),
            text: text.replace("\r\n", "\n"),
        });
    }
    Ok(Answers { answers })
}

/// The answers kept in a draft (empty ones when there is none or it cannot be read).
fn saved(questions: &[AssessmentQuestion], work: Option<&Work>) -> Answers {
    let stored: Option<Answers> = work.and_then(|w| serde_json::from_value(w.body.clone()).ok());
    let text_of = |id: &str| {
        stored
            .as_ref()
            .and_then(|a| a.answers.iter().find(|x| x.question == id))
            .map(|x| x.text.clone())
    };
    collect(questions, text_of).unwrap_or(Answers {
        answers: Vec::new(),
    })
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
    let work = state.store.work(v.link.id, Task::Assessment).await?;
    let questions = &state.framework.assessment.questions;
    let answers = saved(questions, work.as_ref());
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
                            maxlength=(MAX_ANSWER_CHARS) aria-describedby={ "prompt-" (q.id) } {
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
    Ok(page("Written questions", &token, &csrf, body))
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
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let base = format!("/c/{token}");
    match value("action").as_deref() {
        Some("save") => {
            let answers = collect(questions, |id| value(&field(id)))?;
            state
                .store
                .save_work(v.link.id, Task::Assessment, &json!(answers))
                .await?;
            Ok(Redirect::to(&format!("{base}/assessment?saved=1")).into_response())
        }
        Some("confirm") => {
            let answers = collect(questions, |id| value(&field(id)))?;
            state
                .store
                .save_work(v.link.id, Task::Assessment, &json!(answers))
                .await?;
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
            Ok(page("Check your answers", &token, &csrf, body).into_response())
        }
        Some("submit") => {
            let work = state.store.work(v.link.id, Task::Assessment).await?;
            if work.as_ref().is_some_and(|w| w.submitted_at.is_some()) {
                return Err(WebError::Conflict(
                    "your answers were already sent; they cannot be sent twice".to_string(),
                )
                .into());
            }
            let answers = saved(questions, work.as_ref());
            if answers.answers.iter().all(|a| a.text.trim().is_empty()) {
                return Err(WebError::BadRequest(
                    "there is nothing to send yet: write at least one answer, save it, then send"
                        .to_string(),
                )
                .into());
            }
            submit(&state, v.link.id, &answers).await?;
            Ok(Redirect::to(&format!("{base}/assessment?sent=1")).into_response())
        }
        _ => Err(PortalError::Web(WebError::BadRequest(
            "choose “Save draft” or “Check and send”".to_string(),
        ))),
    }
}

/// Send the answers: freeze them and attach them, with the analyzer's flags, as
/// evidence for the interviewers.
async fn submit(state: &AppState, link: i64, answers: &Answers) -> PortalResult<()> {
    let signals = ReviewSignals::parse(DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML)
        .map_err(|e| WebError::Internal(format!("the built-in review signals: {e}")))?;
    let answered = Answers {
        answers: answers
            .answers
            .iter()
            .filter(|a| !a.text.trim().is_empty())
            .cloned()
            .collect(),
    };
    let analysis = analyze(&answered, &signals);
    let evidence = SubmittedEvidence {
        kind: EVIDENCE_KIND.to_string(),
        source: SOURCE.to_string(),
        body: json!({ "answers": answers.answers, "analysis": analysis }),
    };
    state
        .store
        .submit_work(link, Task::Assessment, &json!(answers), &evidence)
        .await?;
    Ok(())
}

/// What portal.js sends while the candidate types.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    answers: Vec<Answer>,
}

async fn autosave(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(draft): Json<Draft>,
) -> Result<Json<serde_json::Value>, PortalApiError> {
    let v = visit(&state, &token).await?;
    let questions = &state.framework.assessment.questions;
    if let Some(unknown) = draft
        .answers
        .iter()
        .find(|a| !questions.iter().any(|q| q.id == a.question))
    {
        return Err(WebError::BadRequest(format!(
            "`{}` is not one of the questions",
            unknown.question
        ))
        .into());
    }
    let answers = collect(questions, |id| {
        draft
            .answers
            .iter()
            .find(|a| a.question == id)
            .map(|a| a.text.clone())
    })?;
    let at = state
        .store
        .save_work(v.link.id, Task::Assessment, &json!(answers))
        .await?;
    Ok(Json(json!({ "saved_at": at.to_string() })))
}
