//! The portal's home page: the two tasks and where each stands.

use super::{PortalResult, page, time, visit};
use crate::{AppState, csrf};
use axum::extract::{Path, State};
use maud::{Markup, html};
use multiplier_store::{Task, Work};
use tower_sessions::Session;

/// Where a task stands, in the candidate's words.
pub fn task_status(work: Option<&Work>) -> Markup {
    match work {
        None => html! { span.chip { "Not started" } },
        Some(w) => match w.submitted_at {
            Some(at) => html! { span.chip.good { "Sent" } " on " (time(at)) },
            None => html! { span.chip { "Draft saved" } " " (time(w.saved_at)) },
        },
    }
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    session: Session,
) -> PortalResult<Markup> {
    let v = visit(&state, &token).await?;
    let csrf = csrf::token(&session).await?;
    let opening = state.app.applied_for(&v).await?;
    let assessment = state.app.work(&v, Task::Assessment).await?;
    let review = state.app.work(&v, Task::Review).await?;
    let base = format!("/c/{token}");
    Ok(page(
        &state,
        "Your application",
        &token,
        &csrf,
        html! {
            h1 { "Hello " (v.candidate.name) }
            p.lead {
                "Thank you for applying"
                @if let Some(title) = &opening { " for " strong { (title) } }
                ". This private page holds two tasks for you. "
            }
            ul.portal-facts {
                li { strong { "No time limit." } " Work on each task whenever suits you, in as many sittings as you like. "
                    "Your drafts are kept as you type, and a button saves them too." }
                li { strong { "Sent once." } " When a task is ready, you check it on a last page and send it. "
                    "After that it can no longer be changed." }
                li { strong { "This link is yours." } " Please do not share it. It works until "
                    (time(v.link.expires_at)) "; if you need longer, ask us for a new one." }
            }
            h2 { "Your tasks" }
            table.tasks {
                thead { tr { th scope="col" { "Task" } th scope="col" { "What it asks" } th scope="col" { "Where it stands" } } }
                tbody {
                    tr {
                        th scope="row" { a href={ (base) "/assessment" } { "Written questions" } }
                        td { "Five questions about situations a tech lead meets, answered in writing." }
                        td { (task_status(assessment.as_ref())) }
                    }
                    tr {
                        th scope="row" { a href={ (base) "/review" } { "Code review" } }
                        td { "A pull request to review as you would a colleague's: comment on its lines and sum up." }
                        td { (task_status(review.as_ref())) }
                    }
                }
            }
            h2 { "Interviews" }
            p { "Times we offer you, and the interviews you have booked, are on "
                a href={ (base) "/slots" } { "your interviews" } "." }
            h2 { "Your data" }
            p { "You can download everything this page holds about you, or ask us to erase it, on "
                a href={ (base) "/data" } { "your data" } "." }
        },
    ))
}
