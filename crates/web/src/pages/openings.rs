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

/// `?archived=1` lists archived openings too (issue 17).
#[derive(Debug, Default, serde::Deserialize)]
struct ListQuery {
    archived: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Query(page): Query<PageParams>,
    Query(q): Query<ListQuery>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let archived = q.archived.is_some_and(|v| !v.is_empty() && v != "0");
    let found = state
        .app
        .openings_page(&user.account(), &page.request(), archived)
        .await?;
    let more = found.next.as_deref().map(|n| {
        let href = page.next_href("/openings", n);
        if archived {
            format!("{href}&archived=1")
        } else {
            href
        }
    });
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
            p.hint {
                @if archived { a href="/openings" { "Hide archived openings" } }
                @else { a href="/openings?archived=1" { "Show archived openings too" } }
                " · " a href="/jobs" { "The public careers page" }
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
