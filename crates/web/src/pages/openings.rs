//! Openings: the list (`App::openings_page`, paged), with how many candidates each has that
//! the viewer may see (for an interviewer, the ones assigned to them) and, for
//! admins, the way to a new one (`/openings/new`, see the intake module); and
//! an opening's intake answers, read-only (`/openings/{id}/intake`).

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
    Router::new()
        .route("/openings", get(list))
        .route("/openings/{id}/intake", get(intake_view))
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

/// `GET /openings/{id}/intake` (`App::opening_role`): the intake answers the
/// opening was made from, read-only, in the framework's question order, with
/// the role's context.
pub(super) async fn intake_view(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: CurrentUser,
    session: tower_sessions::Session,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> crate::error::WebResult<maud::Markup> {
    let token = crate::csrf::token(&session).await?;
    let oid = super::board::opening_id(&id)?;
    let account = user.account();
    let opening = state.app.opening(&account, oid).await?;
    let (role, _) = state.app.opening_role(&account, oid).await?;
    let fw = &state.framework;
    let ctx = &role.context;
    let title = format!("Intake: {}", opening.title);
    let body = maud::html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/openings" { "Openings" } " › "
            a href={ "/openings/" (opening.id) } { (opening.title) }
        }
        h1 { (title) }
        p.hint { "What the hiring manager answered when the opening was made. Read-only: the answers shaped the job description, the kit and the offer band." }
        @if [&ctx.team, &ctx.product, &ctx.stack, &ctx.scale, &ctx.company, &ctx.location, &ctx.region].iter().any(|v| v.is_some()) {
            h2 { "Context" }
            dl.facts {
                @for (label, v) in [("Team", &ctx.team), ("Product", &ctx.product), ("Stack", &ctx.stack), ("Scale", &ctx.scale),
                    ("Company", &ctx.company), ("Location", &ctx.location), ("Pay region", &ctx.region)] {
                    @if let Some(v) = v { dt { (label) } dd { (v) } }
                }
            }
        }
        h2 { "Answers" }
        dl.facts #intake-answers {
            @for q in &fw.intake.questions {
                @if let Some(a) = role.answers.get(&q.id) {
                    dt { (q.prompt) }
                    dd { (a.describe(Some(q))) }
                }
            }
        }
        p { a href={ "/openings/" (opening.id) } { "Back to the board" } " · "
            a href={ "/jd?opening=" (opening.id) } { "Job description" } }
    };
    Ok(layout::page(&title, Some(&user), &token, body))
}
