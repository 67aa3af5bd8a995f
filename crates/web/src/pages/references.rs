//! The structured reference form and the references recorded for a candidate.
//!
//! `GET /candidates/{id}/references`: the references the viewer may read
//! (`App::candidate`: every one once the blind rule lets them read the
//! scorecards, before that only the ones they recorded, with how many stay
//! hidden), and the form when the viewer may record references (an admin, or
//! the interviewer assigned to the `references` stage). `POST` to the same
//! address is `App::add_reference`.

use super::field::{Errors, Posted, score_choices};
use super::loop_nav::{self, Here, Subject, signal_name};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::access::REFERENCES;
use multiplier_app::{AppError, CandidateView};
use multiplier_core::Framework;
use multiplier_core::pipeline::{Reference, ReferenceKind};
use multiplier_core::score::Score;
use multiplier_store::CandidateId;
use serde::Deserialize;
use std::collections::BTreeMap;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new().route("/candidates/{id}/references", get(show).post(add))
}

#[derive(Debug, Deserialize)]
struct SavedQuery {
    saved: Option<String>,
    example: Option<String>,
}

/// The form as typed.
#[derive(Debug, Default, Clone)]
struct RefForm {
    kind: String,
    name: String,
    relationship: String,
    answer: String,
    example: String,
    scores: BTreeMap<String, String>,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let view = state
        .app
        .candidate(&user.account(), loop_nav::candidate_id(&id)?)
        .await?;
    // A notice confirms only what the records hold: a reference of that kind
    // the viewer recorded.
    let saved = q
        .saved
        .and_then(|k| kind(&k))
        .filter(|k| {
            view.references
                .iter()
                .any(|r| r.reference.kind == *k && r.recorded_by == view.sight.viewer)
        })
        .map(|k| (k, q.example.as_deref() == Some("none")));
    Ok(render(
        &state.framework,
        &user,
        &token,
        &view,
        &RefForm::default(),
        &Errors::default(),
        saved,
    ))
}

async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id: CandidateId = loop_nav::candidate_id(&id)?;
    let account = user.account();
    let fw = &state.framework;
    let (form, reference, mut errors) = read_form(fw, &Posted(posted));
    if let Some(reference) = reference {
        match state.app.add_reference(&account, id, &reference).await {
            Ok(stored) => {
                let kind = stored.reference.kind;
                tracing::info!(kind = kind.id(), "reference stored");
                let example = if stored.reference.example.is_empty() {
                    "&example=none"
                } else {
                    ""
                };
                return Ok(Redirect::to(&format!(
                    "/candidates/{id}/references?saved={}{example}",
                    kind.id()
                ))
                .into_response());
            }
            Err(e @ AppError::Invalid { .. }) => errors.place(e.problems(), reference_field),
            Err(e) => return Err(e.into()),
        }
    }
    let token = csrf::token(&session).await?;
    let view = state.app.candidate(&account, id).await?;
    let page = render(fw, &user, &token, &view, &form, &errors, None);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn kind(s: &str) -> Option<ReferenceKind> {
    match s {
        "engineer" => Some(ReferenceKind::Engineer),
        "manager" => Some(ReferenceKind::Manager),
        _ => None,
    }
}

/// Where a problem the use case found goes on the form, and its label.
fn reference_field(field: &str) -> (String, &str) {
    match field {
        "name" => ("name".to_string(), "Their name"),
        "relationship" => (
            "relationship".to_string(),
            "How they worked with the candidate",
        ),
        "answer" => ("answer".to_string(), "Their answer to the key question"),
        "example" => ("example".to_string(), "The example they gave"),
        other => match other.strip_prefix("scores.") {
            Some(signal) => (format!("score-{signal}"), ""),
            None => ("kind".to_string(), ""),
        },
    }
}

/// Read the posted form: what was typed, the reference for the use case when
/// every value could be read, and what could not be read, by field.
fn read_form(fw: &Framework, posted: &Posted) -> (RefForm, Option<Reference>, Errors) {
    let mut errors = Errors::default();
    let form = RefForm {
        kind: posted.get("kind").to_string(),
        name: posted.get("name").to_string(),
        relationship: posted.get("relationship").to_string(),
        answer: posted.get("answer").to_string(),
        example: posted.get("example").to_string(),
        scores: posted
            .with_prefix("score-")
            .map(|(k, v)| (k.to_string(), v.trim().to_string()))
            .collect(),
    };
    let kind = kind(&form.kind);
    if kind.is_none() {
        errors.add(
            "kind",
            "say whether the reference is an engineer (a former report or peer) or a manager",
        );
    }
    let mut scores = BTreeMap::new();
    for (name, value) in &form.scores {
        let field = format!("score-{name}");
        let Some(signal) = multiplier_core::Signal::ALL
            .into_iter()
            .find(|s| s.id() == name)
        else {
            errors.add(field, format!("`{name}` is not a signal"));
            continue;
        };
        if value.is_empty() {
            continue;
        }
        match value.parse::<i64>().ok().and_then(|n| Score::new(n).ok()) {
            Some(score) => {
                scores.insert(signal, score);
            }
            None => errors.add(
                field,
                format!(
                    "choose a reading from 1 to 4 for {}, or none",
                    signal_name(fw, signal)
                ),
            ),
        }
    }
    let reference = kind.filter(|_| errors.is_empty()).map(|kind| Reference {
        kind,
        name: form.name.clone(),
        relationship: form.relationship.clone(),
        answer: form.answer.clone(),
        example: form.example.clone(),
        scores,
    });
    (form, reference, errors)
}

/// Join the ids a field is described by.
fn described(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, b) => a.or(b),
    }
}

fn weight(fw: &Framework, kind: ReferenceKind) -> f64 {
    let w = &fw.decision.reference_weights;
    match kind {
        ReferenceKind::Engineer => w.engineer,
        ReferenceKind::Manager => w.manager,
    }
}

fn render(
    fw: &Framework,
    user: &CurrentUser,
    token: &str,
    view: &CandidateView,
    form: &RefForm,
    errors: &Errors,
    saved: Option<(ReferenceKind, bool)>,
) -> Markup {
    let subject = Subject {
        candidate: &view.candidate,
        opening: &view.opening,
        sight: &view.sight,
    };
    let may_record = view.sight.may_record_references();
    let title = "References";
    let w = &fw.decision.reference_weights;
    let stage = fw.stage(REFERENCES);
    let anchors: Vec<(u8, String)> = Score::ALL
        .iter()
        .filter_map(|s| {
            stage
                .and_then(|st| st.anchor(*s))
                .map(|a| (s.get(), a.to_string()))
        })
        .collect();
    let empty = String::new();
    let text = |id: &str, label: &str, value: &str, hint: Option<&str>| {
        html! {
            label for=(id) { (label) }
            @if let Some(h) = hint { p.hint id={ (id) "-hint" } { (h) } }
            (errors.at(id))
            input type="text" id=(id) name=(id) value=(value)
                aria-describedby=[described(hint.map(|_| format!("{id}-hint")), errors.described_by(id))];
        }
    };
    let body = html! {
        (loop_nav::header(fw, subject, Here::References, title))
        @if let Some((kind, no_example)) = &saved {
            div.notice role="status" {
                p { "The " (kind.id()) " reference is stored." }
                @if *no_example {
                    p { "They gave no concrete example. That is itself worth noting: a reference who cannot name one moment of the candidate's reviews helping them is weak evidence." }
                }
            }
        }
        @if may_record {
            section aria-labelledby="how-heading" {
                h2 #how-heading { "How to take a reference" }
                p { "Ask one question above all: " strong { "did their code get better while the candidate reviewed it, and can they show you how?" }
                    " Write the answer down in their words, then ask for one concrete example." }
                p { "Former direct reports and peer engineers saw the candidate's reviews first-hand, so an "
                    strong { "engineer reference weighs " (w.engineer) } " in the debrief; a "
                    strong { "manager reference weighs " (w.manager) } ". Both are recorded." }
            }
            section aria-labelledby="form-heading" {
                h2 #form-heading { "Record a reference" }
                (errors.summary())
                form.loop-form method="post" action={ "/candidates/" (view.candidate.id) "/references" } {
                    (layout::csrf_field(token))
                    fieldset id="kind" aria-describedby=[errors.described_by("kind")] {
                        legend { "Who they are" }
                        (errors.at("kind"))
                        div.choice {
                            input type="radio" id="kind-engineer" name="kind" value="engineer" checked[form.kind == "engineer"];
                            label for="kind-engineer" { "Engineer: a former direct report or peer (weight " (w.engineer) ")" }
                        }
                        div.choice {
                            input type="radio" id="kind-manager" name="kind" value="manager" checked[form.kind == "manager"];
                            label for="kind-manager" { "Manager (weight " (w.manager) ")" }
                        }
                    }
                    (text("name", "Their name", &form.name, None))
                    (text("relationship", "How they worked with the candidate", &form.relationship,
                        Some("For example: reported to them for two years on the payments team.")))
                    label for="answer" { "Their answer to the key question" }
                    (errors.at("answer"))
                    textarea id="answer" name="answer" aria-describedby=[errors.described_by("answer")] { (form.answer) }
                    label for="example" { "The concrete example they gave" }
                    p.hint id="example-hint" { "Leave it empty if they could not give one; the page will note it." }
                    (errors.at("example"))
                    textarea id="example" name="example"
                        aria-describedby=(described(Some("example-hint".to_string()), errors.described_by("example")).unwrap_or_default()) { (form.example) }
                    @for s in stage.map(|st| st.signals.clone()).unwrap_or_default() {
                        @let name = format!("score-{s}");
                        (score_choices(&name, &format!("Your reading of {}", signal_name(fw, s)), &anchors,
                            form.scores.get(s.id()).unwrap_or(&empty), errors, Some("No reading: they could not speak to it"), None))
                    }
                    button type="submit" { "Record the reference" }
                }
            }
        } @else {
            (errors.summary())
            p.notice { "You are not assigned to take references for this candidate, so the form is not shown. An admin assigns the references stage." }
        }
        section aria-labelledby="list-heading" {
            h2 #list-heading { "References recorded" }
            @if let Some(reason) = &view.sight.blind {
                p.notice {
                    (view.hidden_references + view.references.len()) " reference(s) recorded."
                    @if !view.references.is_empty() { " Below are the ones you recorded." }
                    @if view.hidden_references > 0 {
                        " You will see the other " (view.hidden_references) ", like the scorecards, once you have submitted your own scorecards for this candidate (" (reason) ")."
                    }
                }
            } @else if view.references.is_empty() {
                p { "None yet." }
            }
            @for r in &view.references {
                @let x = &r.reference;
                article.reference {
                    h3 { (x.name) " · " (x.kind.id()) " (weight " (weight(fw, x.kind)) ")" }
                    p.hint { (x.relationship) " · recorded " (r.created_at.strftime("%Y-%m-%d"))
                        @if !r.recorded_by.is_empty() { " by " (r.recorded_by) } }
                    dl {
                        dt { "Answer" } dd { (x.answer) }
                        dt { "Example" }
                        dd { @if x.example.trim().is_empty() { em { "none given" } } @else { (x.example) } }
                        @for (signal, score) in &x.scores {
                            dt { (signal_name(fw, *signal)) } dd { (score) " of 4" }
                        }
                    }
                }
            }
        }
    };
    layout::page(title, Some(user), token, body)
}
