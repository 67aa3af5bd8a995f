//! "About you": the voluntary self-identification (sex and race/ethnicity,
//! "prefer not to say" by default) through `App::save_self_id`. The page says
//! whether and when an answer was given, never what it was: the answer is
//! kept apart and read only by the aggregate adverse-impact report.

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
    Router::new().route("/c/{token}/about-you", get(show).post(save))
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    saved: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(notice): Query<Notice>,
    session: Session,
) -> PortalResult<Markup> {
    let v = visit(&state, &token).await?;
    let csrf = csrf::token(&session).await?;
    let given = state.app.self_id_given(&v).await?;
    let base = format!("/c/{token}");
    let body = html! {
        h1 { "About you" }
        @if notice.saved.is_some() {
            p.notice role="status" { "Thank you, your choice was recorded." }
        }
        @if let Some(at) = given {
            p { "You answered on " (time(at)) ". We do not show your answer again, here or anywhere else. "
                "Sending the form again replaces it; sending \"Prefer not to say\" for both removes it." }
        } @else {
            p { "You have not answered. You do not have to." }
        }
        form method="post" action={ (base) "/about-you" } {
            (layout::csrf_field(&csrf))
            (layout::self_id_fields("about", "", ""))
            button type="submit" { "Save my choice" }
        }
        p { a href=(base) { "Back to the overview" } }
    };
    Ok(page(&state, "About you", &token, &csrf, body))
}

#[derive(Debug, Deserialize)]
pub struct AboutForm {
    #[serde(default)]
    sex: String,
    #[serde(default)]
    race: String,
}

async fn save(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<AboutForm>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    state.app.save_self_id(&v, &form.sex, &form.race).await?;
    Ok(Redirect::to(&format!("/c/{token}/about-you?saved=1")).into_response())
}
