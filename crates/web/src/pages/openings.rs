//! Openings: the list, with how many candidates each has (for an interviewer,
//! how many are assigned to them) and, for admins, the way to a new one
//! (`/openings/new`, see the intake module).

use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, access, csrf, layout};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::{Markup, html};
use multiplier_store::HiringStore;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new().route("/openings", get(list))
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let openings = state.store.openings().await?;
    let mut counts = Vec::new();
    for o in &openings {
        let mut n = 0;
        for c in state.store.candidates(Some(o.id)).await? {
            if user.is_admin() || access::lists(&user, &state.store.assignments(c.id).await?) {
                n += 1;
            }
        }
        counts.push(n);
    }
    Ok(layout::page(
        "Openings",
        Some(&user),
        &token,
        html! {
            h1 { "Openings" }
            @if user.is_admin() {
                p { a.button href="/openings/new" { "New opening" } }
            }
            @if openings.is_empty() {
                p.notice { "No openings yet."
                    @if user.is_admin() { " Start with the role intake: " a href="/openings/new" { "open one" } "." } }
            } @else {
                div.table-scroll {
                    table {
                        thead { tr {
                            th scope="col" { "Opening" } th scope="col" { "Hiring manager" } th scope="col" { "Status" }
                            th scope="col" { @if user.is_admin() { "Candidates" } @else { "Assigned to you" } }
                            th scope="col" { "Opened" }
                        } }
                        tbody {
                            @for (o, n) in openings.iter().zip(&counts) {
                                tr {
                                    th scope="row" { a href={ "/openings/" (o.id) } { (o.title) } }
                                    td { (o.manager) }
                                    td { (o.status) }
                                    td { (n) }
                                    td { (o.created_at.strftime("%Y-%m-%d")) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
