//! The HTML pages for hiring managers and interviewers, one module per area,
//! merged here. Access rules live in [`crate::access`].

mod audit;
mod board;
mod candidates;
mod debrief;
mod evidence;
mod field;
mod intake;
mod interview;
mod jd;
mod loop_nav;
mod offer;
mod onboarding;
mod openings;
mod references;

use crate::AppState;
use axum::Router;
use axum::response::Redirect;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/openings") }))
        .merge(openings::router())
        .merge(intake::router())
        .merge(board::router())
        .merge(jd::router())
        .merge(candidates::router())
        .merge(audit::router())
        .merge(interview::router())
        .merge(references::router())
        .merge(debrief::router())
        .merge(offer::router())
        .merge(onboarding::router())
}
