//! Openings: the list.

use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
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
    Ok(layout::page(
        "Openings",
        Some(&user),
        &token,
        html! {
            h1 { "Openings" }
            @if openings.is_empty() {
                p.notice { "No openings yet." }
            } @else {
                table {
                    thead { tr { th { "Opening" } th { "Hiring manager" } th { "Status" } th { "Opened" } } }
                    tbody {
                        @for o in &openings {
                            tr {
                                td { a href={ "/openings/" (o.id) } { (o.title) } }
                                td { (o.manager) }
                                td { (o.status) }
                                td { (o.created_at.strftime("%Y-%m-%d")) }
                            }
                        }
                    }
                }
            }
        },
    ))
}
