//! Openings: the list (`App::openings_page`, paged), with how many candidates each has that
//! the viewer may see (for an interviewer, the ones assigned to them) and, for
//! admins, the way to a new one (`/openings/new`, see the intake module).

use super::paging::{PageParams, next_link};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use maud::{Markup, html};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new().route("/openings", get(list))
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Query(page): Query<PageParams>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let found = state
        .app
        .openings_page(&user.account(), &page.request())
        .await?;
    let more = found
        .next
        .as_deref()
        .map(|n| page.next_href("/openings", n));
    let openings = found.rows;
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
                            @for s in &openings {
                                @let o = &s.opening;
                                tr {
                                    th scope="row" { a href={ "/openings/" (o.id) } { (o.title) } }
                                    td { (o.manager) }
                                    td { (o.status) }
                                    td { (s.candidates) }
                                    td { (o.created_at.strftime("%Y-%m-%d")) }
                                }
                            }
                        }
                    }
                }
                (next_link(more))
            }
        },
    ))
}
