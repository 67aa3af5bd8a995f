//! The hired lead's 90-day plan, dated from the accepted offer's start date.
//!
//! `GET /candidates/{id}/onboarding` (`App::onboarding`): core's plan grouped
//! by phase, each step with its dates, tasks and milestone, done steps with who
//! and when, overdue steps marked; before an offer is accepted, a notice that
//! there is no plan yet. `POST` to the same address (`App::mark_step_done`)
//! marks one step of the plan shown done, with an optional note. Like offers,
//! the plan is for hiring managers who may read the candidate's debrief: the
//! use cases refuse anyone else (403).

use super::field::{Errors, Posted};
use super::loop_nav::{self, Here, Subject};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::{Account, AppError, CandidateView, OnboardingPlan};
use multiplier_core::Framework;
use multiplier_store::CandidateId;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new().route("/candidates/{id}/onboarding", get(show).post(mark))
}

/// The plan (`None` until an offer is accepted: there is no day one to date it
/// from) and the candidate as the viewer sees them.
async fn load(
    state: &AppState,
    account: &Account,
    id: CandidateId,
) -> WebResult<(Option<OnboardingPlan>, CandidateView)> {
    let plan = match state.app.onboarding(account, id).await {
        Ok(plan) => Some(plan),
        Err(AppError::Conflict(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let view = state.app.candidate(account, id).await?;
    Ok((plan, view))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let (plan, view) = load(&state, &user.account(), loop_nav::candidate_id(&id)?).await?;
    Ok(render(
        &state.framework,
        &user,
        &token,
        &view,
        plan.as_ref(),
        &Errors::default(),
        None,
    ))
}

async fn mark(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let account = user.account();
    let (plan, view) = load(&state, &account, id).await?;
    let posted = Posted(posted);
    let step = posted.get("step").to_string();
    let note = posted.get("note").to_string();
    // The form marks one step of the plan on the page, once its box is ticked.
    let mut errors = Errors::default();
    match &plan {
        None => errors.add(
            "plan",
            "there is no accepted offer yet, so there is no plan to mark",
        ),
        Some(p) if !p.steps.iter().any(|r| r.step.id == step) => errors.add(
            "plan",
            format!("`{step}` is not a step of the onboarding plan"),
        ),
        Some(_) if posted.get("done") != "yes" => errors.add(
            format!("step-{step}"),
            "tick the box to mark this step done",
        ),
        Some(_) => {
            state.app.mark_step_done(&account, id, &step, &note).await?;
            tracing::info!(step = %step, "onboarding step done");
            crate::flash::set(&session, "Onboarding step marked done.").await?;
            return Ok(
                Redirect::to(&format!("/candidates/{id}/onboarding#step-{step}")).into_response(),
            );
        }
    }
    let token = csrf::token(&session).await?;
    let page = render(
        &state.framework,
        &user,
        &token,
        &view,
        plan.as_ref(),
        &errors,
        Some((&step, &note)),
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn render(
    fw: &Framework,
    user: &CurrentUser,
    token: &str,
    view: &CandidateView,
    plan: Option<&OnboardingPlan>,
    errors: &Errors,
    typed: Option<(&str, &str)>,
) -> Markup {
    let c = &view.candidate;
    let title = "90-day onboarding";
    let subject = Subject {
        candidate: c,
        opening: &view.opening,
        sight: &view.sight,
    };
    let action = format!("/candidates/{}/onboarding", c.id);
    let mut phases: Vec<&str> = Vec::new();
    for r in plan.iter().flat_map(|p| &p.steps) {
        if !phases.contains(&r.step.phase.as_str()) {
            phases.push(&r.step.phase);
        }
    }
    let body = html! {
        (loop_nav::header(fw, subject, Here::Onboarding, title))
        (errors.at("plan"))
        @match plan {
            Some(OnboardingPlan { start, steps: rows, .. }) => {
                @let finished = rows.iter().filter(|r| r.done.is_some()).count();
                p { "Day one is " strong { (start) } ". " (finished) " of " (rows.len()) " milestones done"
                    @let late = rows.iter().filter(|r| r.overdue).count();
                    @if late > 0 { ", " strong.overdue { (late) " overdue" } } "." }
                @for phase in &phases {
                    section.phase aria-labelledby={ "phase-" (slug(phase)) } {
                        h2 id={ "phase-" (slug(phase)) } { (phase) }
                        @for r in rows.iter().filter(|r| r.step.phase == *phase) {
                            @let key = format!("step-{}", r.step.id);
                            article.step id=(key) {
                                h3 { (r.step.title) " "
                                    @if r.done.is_some() { (layout::chip("done", true)) }
                                    @else if r.overdue { (layout::chip("overdue", false)) } }
                                p.hint { (r.step.starts) " to " (r.step.due) }
                                ul { @for t in &r.step.tasks { li { (t) } } }
                                p { strong { "Milestone: " } (r.step.milestone) }
                                @if let Some(d) = &r.done {
                                    p.done { "Done by " (d.done_by) " on " (d.at.strftime("%Y-%m-%d"))
                                        @if !d.note.is_empty() { ": " (d.note) } }
                                } @else {
                                    @let note = typed.filter(|(s, _)| *s == r.step.id).map_or("", |(_, n)| n);
                                    form.step-done method="post" action=(action) {
                                        (layout::csrf_field(token))
                                        input type="hidden" name="step" value=(r.step.id);
                                        (errors.at(&key))
                                        div.choice {
                                            input type="checkbox" id={ (key) "-done" } name="done" value="yes" required;
                                            label for={ (key) "-done" } { "Milestone reached" }
                                        }
                                        label for={ (key) "-note" } { "Note (optional)" }
                                        input type="text" id={ (key) "-note" } name="note" value=(note);
                                        button.secondary type="submit" { "Mark done" }
                                    }
                                }
                            }
                        }
                    }
                }
                p.hint { "The month-2 decision record follows the framework's ADR template: "
                    code { "multiplier onboarding adr-template" } "." }
            }
            None => {
                p.notice { "The plan is dated from the start date of an accepted offer, and " (c.name)
                    " has none yet. Record the offer and its acceptance on the "
                    a href={ "/candidates/" (c.id) "/offer" } { "offer page" } "." }
            }
        }
    };
    layout::page(title, Some(user), token, body)
}

/// "Weeks 1–2" → "weeks-1-2", for ids.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Weeks 1–2"), "weeks-1-2");
        assert_eq!(slug("Before day one"), "before-day-one");
    }
}
