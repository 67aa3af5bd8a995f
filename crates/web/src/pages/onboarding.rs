//! The hired lead's 90-day plan, dated from the accepted offer's start date.
//!
//! `GET /candidates/{id}/onboarding` (admin): core's plan grouped by phase, each
//! step with its dates, tasks and milestone, done steps with who and when, overdue
//! steps marked. `POST` to the same address marks one step done, with an optional
//! note.

use super::field::{Errors, Posted};
use super::loop_nav::{self, Here};
use crate::access::{self, CandidateContext};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use jiff::civil::Date;
use maud::{Markup, html};
use multiplier_core::pipeline::plan;
use multiplier_store::{HiringStore, onboarding_progress, onboarding_start};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new().route("/candidates/{id}/onboarding", get(show).post(mark))
}

/// The start date of the latest accepted offer.
async fn start_date(state: &AppState, ctx: &CandidateContext) -> WebResult<Option<Date>> {
    Ok(onboarding_start(
        &state.store.offers(ctx.candidate.id).await?,
    ))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Markup> {
    user.require_admin("follow an onboarding plan")?;
    let token = csrf::token(&session).await?;
    let ctx = access::candidate(&state, &user, loop_nav::candidate_id(&id)?).await?;
    render(&state, &user, &token, &ctx, &Errors::default(), None).await
}

async fn mark(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    user.require_admin("follow an onboarding plan")?;
    let token = csrf::token(&session).await?;
    let ctx = access::candidate(&state, &user, loop_nav::candidate_id(&id)?).await?;
    let posted = Posted(posted);
    let step = posted.get("step").to_string();
    let note = posted.get("note").to_string();
    let mut errors = Errors::default();
    let known = state
        .framework
        .onboarding
        .steps
        .iter()
        .any(|s| s.id == step);
    if !known {
        errors.add(
            "plan",
            format!("`{step}` is not a step of the onboarding plan"),
        );
    } else if posted.get("done") != "yes" {
        errors.add(
            format!("step-{step}"),
            "tick the box to mark this step done",
        );
    }
    if start_date(&state, &ctx).await?.is_none() {
        errors.add(
            "plan",
            "there is no accepted offer yet, so there is no plan to mark",
        );
    }
    if !errors.is_empty() {
        let page = render(&state, &user, &token, &ctx, &errors, Some((&step, &note))).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    state
        .store
        .mark_step_done(&user.name, ctx.candidate.id, &step, &note)
        .await?;
    tracing::info!(step = %step, "onboarding step done");
    Ok(Redirect::to(&format!(
        "/candidates/{}/onboarding#step-{step}",
        ctx.candidate.id
    ))
    .into_response())
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    token: &str,
    ctx: &CandidateContext,
    errors: &Errors,
    typed: Option<(&str, &str)>,
) -> WebResult<Markup> {
    let fw = &state.framework;
    let c = &ctx.candidate;
    let title = "90-day onboarding";
    let start = start_date(state, ctx).await?;
    let done = state.store.steps_done(c.id).await?;
    let today = jiff::ZonedDateTime::now().date();
    let action = format!("/candidates/{}/onboarding", c.id);
    let rows = start.map(|s| onboarding_progress(plan(fw, s), &done, today));
    let mut phases: Vec<&str> = Vec::new();
    for r in rows.iter().flatten() {
        if !phases.contains(&r.step.phase.as_str()) {
            phases.push(&r.step.phase);
        }
    }
    let body = html! {
        (loop_nav::header(fw, user, ctx, Here::Onboarding, title))
        (errors.at("plan"))
        @match (start, &rows) {
            (Some(start), Some(rows)) => {
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
            _ => {
                p.notice { "The plan is dated from the start date of an accepted offer, and " (c.name)
                    " has none yet. Record the offer and its acceptance on the "
                    a href={ "/candidates/" (c.id) "/offer" } { "offer page" } "." }
            }
        }
    };
    Ok(layout::page(title, Some(user), token, body))
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
