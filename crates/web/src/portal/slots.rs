//! "Pick a time": the candidate sees the interview times offered to them and
//! picks one (`App::portal_slots`, `App::pick_slot`); the booking and its
//! invitations happen in the use case, which refuses a time an interviewer is
//! no longer free at.

use super::{PortalResult, page, time, visit};
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{Markup, html};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new().route("/c/{token}/slots", get(show).post(pick))
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    booked: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(notice): Query<Notice>,
    session: Session,
) -> PortalResult<Markup> {
    let v = visit(&state, &token).await?;
    let csrf = csrf::token(&session).await?;
    let pick = state.app.portal_slots(&v).await?;
    let base = format!("/c/{token}");
    let body = html! {
        h1 { "Your interviews" }
        @if notice.booked.is_some() {
            p.notice role="status" { "Your interview is booked. An invitation is on its way to your e-mail." }
        }
        @if !pick.booked.is_empty() {
            h2 { "Booked" }
            ul #booked {
                @for i in &pick.booked {
                    li { (i.stage) ": " (time(i.starts_at)) ", "
                        (i.ends_at.duration_since(i.starts_at).as_secs() / 60) " minutes"
                        @if !i.place.is_empty() { ", " (i.place) }
                        @if !i.video_link.is_empty() { ", " a href=(i.video_link) { "video link" } }
                    }
                }
            }
        }
        h2 { "Pick a time" }
        @if pick.open.is_empty() {
            p { "No times are waiting for you to choose." }
        } @else {
            form method="post" action={ (base) "/slots" } {
                (layout::csrf_field(&csrf))
                @for s in &pick.open {
                    p {
                        input type="radio" name="slot" id=(format!("slot-{}", s.id)) value=(s.id) required;
                        " "
                        label.portal-inline for=(format!("slot-{}", s.id)) {
                            (s.stage) ": " (time(s.starts_at)) ", "
                            (s.ends_at.duration_since(s.starts_at).as_secs() / 60) " minutes"
                            @if !s.place.is_empty() { ", " (s.place) }
                            @if !s.video_link.is_empty() { ", by video" }
                        }
                    }
                }
                button type="submit" { "Book this time" }
            }
        }
        p { a href=(base) { "Back to the overview" } }
    };
    Ok(page(&state, "Your interviews", &token, &csrf, body))
}

#[derive(Debug, Deserialize)]
pub struct PickForm {
    slot: i64,
}

async fn pick(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<PickForm>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    state.app.pick_slot(&v, form.slot).await?;
    Ok(Redirect::to(&format!("/c/{token}/slots?booked=1")).into_response())
}
