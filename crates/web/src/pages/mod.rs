//! The HTML pages for hiring managers and interviewers, one module per area,
//! merged here.
//!
//! Each handler is an adapter over [`multiplier_app::App`] (`state.app`): it
//! reads the path, query or form into the use case's input, calls the use case
//! as the signed-in account ([`crate::auth::CurrentUser::account`]), and
//! renders what comes back. Who may see or do what is the use case's to decide;
//! a page only asks the view it got (`view.sight`, `user.is_admin()`) which
//! forms and links to show. A refused form comes back with each problem the use
//! case named beside its field (`field::Errors::place`); any other refusal is
//! an error page with the status [`crate::error`] gives it.

mod audit;
mod board;
mod candidates;
pub mod careers;
mod debrief;
mod evidence;
mod field;
mod intake;
mod interview;
mod jd;
mod lifecycle;
mod loop_nav;
mod mail;
mod offer;
mod onboarding;
mod openings;
mod outcomes;
mod paging;
mod people;
mod references;
mod reports;
mod tokens;

pub use board::BOARD_CARDS;
pub use candidates::SEARCH_RESULTS;
pub use debrief::DEBRIEF_ROWS;

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
        .merge(careers::router())
        .merge(lifecycle::router())
        .merge(audit::router())
        .merge(reports::router())
        .merge(interview::router())
        .merge(references::router())
        .merge(debrief::router())
        .merge(offer::router())
        .merge(onboarding::router())
        .merge(tokens::router())
        .merge(mail::router())
        .merge(people::router())
        .merge(outcomes::router())
}
