//! The structured reference form and the references recorded for a candidate.
//!
//! `GET/POST /candidates/{id}/references`, for an admin or an interviewer assigned
//! to the `references` stage. The list of recorded references follows the blind
//! rule like scorecards do: it opens to an interviewer once they owe nothing.

use super::field::{Errors, Posted, score_choices};
use super::loop_nav::{self, Here, signal_name};
use crate::access::{self, CandidateContext};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_core::Framework;
use multiplier_core::pipeline::{Reference, ReferenceKind};
use multiplier_core::score::Score;
use multiplier_store::{HiringStore, ReferenceRecord};
use serde::Deserialize;
use std::collections::BTreeMap;
use tower_sessions::Session;

/// The stage whose assignment lets an interviewer take references.
const STAGE: &str = "references";

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

/// What the page shows besides the form.
struct Listing {
    /// The references when the blind rule lets this person read them, else why not.
    references: Result<Vec<ReferenceRecord>, String>,
    count: usize,
}

async fn listing(
    state: &AppState,
    user: &CurrentUser,
    ctx: &CandidateContext,
) -> WebResult<Listing> {
    let all = state.store.references(ctx.candidate.id).await?;
    let count = all.len();
    let references = access::may_read_scorecards(state, user, ctx)
        .await?
        .map(|()| all);
    Ok(Listing { references, count })
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let ctx = access::candidate(&state, &user, loop_nav::candidate_id(&id)?).await?;
    access::require_scorer(&user, &ctx, STAGE)?;
    let list = listing(&state, &user, &ctx).await?;
    let saved = q
        .saved
        .filter(|k| k == "engineer" || k == "manager")
        .map(|kind| (kind, q.example.as_deref() == Some("none")));
    Ok(render(
        &state.framework,
        &user,
        &token,
        &ctx,
        &list,
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
    let posted = Posted(posted);
    let token = csrf::token(&session).await?;
    let ctx = access::candidate(&state, &user, loop_nav::candidate_id(&id)?).await?;
    access::require_scorer(&user, &ctx, STAGE)?;
    let fw = &state.framework;
    let (form, reference, errors) = read_form(fw, &posted);
    let Some(reference) = reference.filter(|_| errors.is_empty()) else {
        let list = listing(&state, &user, &ctx).await?;
        let page = render(fw, &user, &token, &ctx, &list, &form, &errors, None);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    state
        .store
        .add_reference(&user.name, ctx.candidate.id, &reference)
        .await?;
    tracing::info!(kind = reference.kind.id(), "reference stored");
    let example = if reference.example.is_empty() {
        "&example=none"
    } else {
        ""
    };
    Ok(Redirect::to(&format!(
        "/candidates/{}/references?saved={}{example}",
        ctx.candidate.id,
        reference.kind.id()
    ))
    .into_response())
}

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
    let kind = match form.kind.as_str() {
        "engineer" => Some(ReferenceKind::Engineer),
        "manager" => Some(ReferenceKind::Manager),
        _ => {
            errors.add(
                "kind",
                "say whether the reference is an engineer (a former report or peer) or a manager",
            );
            None
        }
    };
    for (field, value, message) in [
        ("name", &form.name, "give the reference's name"),
        (
            "relationship",
            &form.relationship,
            "say how they worked with the candidate, and for how long",
        ),
        (
            "answer",
            &form.answer,
            "write down their answer to the key question, in their words",
        ),
    ] {
        if value.is_empty() {
            errors.add(field, message);
        }
    }
    let feeds = fw
        .stage(STAGE)
        .map(|s| s.signals.clone())
        .unwrap_or_default();
    let mut scores = BTreeMap::new();
    for (name, value) in &form.scores {
        let field = format!("score-{name}");
        let Some(signal) = feeds.iter().copied().find(|s| s.id() == name) else {
            errors.add(
                field,
                format!("the references stage does not feed `{name}`; give a reading only for the signals it feeds"),
            );
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
    let reference = kind.map(|kind| Reference {
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

#[allow(clippy::too_many_arguments)]
fn render(
    fw: &Framework,
    user: &CurrentUser,
    token: &str,
    ctx: &CandidateContext,
    list: &Listing,
    form: &RefForm,
    errors: &Errors,
    saved: Option<(String, bool)>,
) -> Markup {
    let title = "References";
    let w = &fw.decision.reference_weights;
    let stage = fw.stage(STAGE);
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
        (loop_nav::header(fw, user, ctx, Here::References, title))
        @if let Some((kind, no_example)) = &saved {
            div.notice role="status" {
                p { "The " (kind) " reference is stored." }
                @if *no_example {
                    p { "They gave no concrete example. That is itself worth noting: a reference who cannot name one moment of the candidate's reviews helping them is weak evidence." }
                }
            }
        }
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
            form.loop-form method="post" action={ "/candidates/" (ctx.candidate.id) "/references" } {
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
                textarea id="example" name="example" aria-describedby="example-hint" { (form.example) }
                @for s in stage.map(|st| st.signals.clone()).unwrap_or_default() {
                    @let name = format!("score-{s}");
                    (score_choices(&name, &format!("Your reading of {}", signal_name(fw, s)), &anchors,
                        form.scores.get(s.id()).unwrap_or(&empty), errors, Some("No reading: they could not speak to it"), None))
                }
                button type="submit" { "Record the reference" }
            }
        }
        section aria-labelledby="list-heading" {
            h2 #list-heading { "References recorded" }
            @match &list.references {
                Err(reason) => {
                    p.notice { (list.count) " reference(s) recorded. You will see them, like the scorecards, once you have submitted your own scorecards for this candidate (" (reason) ")." }
                }
                Ok(refs) if refs.is_empty() => { p { "None yet." } }
                Ok(refs) => {
                    @for r in refs {
                        @let x = &r.reference;
                        article.reference {
                            h3 { (x.name) " · " (x.kind.id()) " (weight " (weight(fw, x.kind)) ")" }
                            p.hint { (x.relationship) " · recorded " (r.created_at.strftime("%Y-%m-%d")) }
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
            }
        }
    };
    layout::page(title, Some(user), token, body)
}
