//! The candidate portal behind a private, expiring link.
//!
//! - [`links`]: hiring managers create, list and revoke a candidate's links and act
//!   on erasure requests (`/candidates/{id}/portal`, admins only).
//! - Under `/c/{token}` the candidate, who never signs in, finds a home page
//!   ([`home`]), the written assessment ([`assessment`]), the code-review exercise
//!   ([`review`]), their data ([`data`]) and the voluntary self-identification
//!   ([`about`]).
//!
//! Every rule is a use case of `multiplier_app` (`App::visit`, `save_answers`,
//! `submit_review`, `create_link`, …); the handlers here parse, call one and render.
//!
//! The token is the only credential: 32 random bytes in hex, of which the database
//! keeps only a SHA-256 hash. An unknown, expired or revoked token, or a link whose
//! candidate is gone, gets one and the same 404 page. The portal shows the candidate their own record and work only:
//! never scores, grades, flags, interviewers' names or other candidates. Portal
//! pages are sent with `Cache-Control: no-store` and `Referrer-Policy: no-referrer`;
//! the request log names route patterns only, never the token.

mod about;
mod assessment;
mod data;
mod home;
mod links;
mod review;
mod slots;

use crate::error::{ApiError, WebError};
use crate::{AppState, layout};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;
use maud::{DOCTYPE, Markup, html};
use multiplier_app::{AppError, Visit};

/// The portal's script: autosave, click-a-line comments, copy-the-link.
pub const JS: &str = include_str!("../../static/portal.js");

pub fn router() -> Router<AppState> {
    let candidate = Router::new()
        .route("/c/{token}", get(home::show))
        .merge(assessment::router())
        .merge(review::router())
        .merge(data::router())
        .merge(about::router())
        .merge(slots::router())
        .layer(middleware::from_fn(private_headers));
    Router::new()
        .route("/static/portal.js", get(js))
        .merge(links::router().layer(middleware::from_fn(private_headers)))
        .merge(candidate)
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
}

/// Nothing of a portal page is cached, and no link leaks through a Referer.
async fn private_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// Why a portal request failed. [`PortalError::Missing`] covers every unusable
/// link (unknown, malformed, expired, revoked, or its candidate gone), with one
/// body for all: a use case answering "not found" for a visit means exactly that.
#[derive(Debug)]
pub enum PortalError {
    Missing,
    Web(WebError),
}

impl From<AppError> for PortalError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound(_) => PortalError::Missing,
            other => PortalError::Web(WebError::App(other)),
        }
    }
}

impl From<WebError> for PortalError {
    fn from(e: WebError) -> Self {
        match e {
            WebError::App(e) => e.into(),
            other => PortalError::Web(other),
        }
    }
}

pub type PortalResult<T> = Result<T, PortalError>;

/// The one page every unusable link gets.
pub fn missing_page() -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { "Link not available · multiplier" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                main #main {
                    section.narrow {
                        h1 { "This link is not available" }
                        p { "The address may be mistyped, or the link may have ended. "
                            "Please write to the person who sent it to you and ask for a new one." }
                    }
                }
            }
        }
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        match self {
            PortalError::Missing => (StatusCode::NOT_FOUND, missing_page()).into_response(),
            // A refused draft or sending: the candidate reads what to fix, in
            // their words, without the field paths the API gives.
            PortalError::Web(e) if !e.problems().is_empty() => {
                let status = e.status();
                let message = e
                    .problems()
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                (status, layout::error_page(status, &message)).into_response()
            }
            PortalError::Web(e) => e.into_response(),
        }
    }
}

/// The JSON flavour for the autosave endpoints.
#[derive(Debug)]
pub struct PortalApiError(PortalError);

impl<E: Into<PortalError>> From<E> for PortalApiError {
    fn from(e: E) -> Self {
        PortalApiError(e.into())
    }
}

impl IntoResponse for PortalApiError {
    fn into_response(self) -> Response {
        match self.0 {
            PortalError::Missing => {
                ApiError(WebError::NotFound("this link is not available".to_string()))
                    .into_response()
            }
            PortalError::Web(e) => ApiError(e).into_response(),
        }
    }
}

/// The live link behind `token` and its candidate (the first visit is
/// recorded), or [`PortalError::Missing`].
pub async fn visit(state: &AppState, token: &str) -> PortalResult<Visit> {
    Ok(state.app.visit(token).await?)
}

/// The frame of every candidate-facing page: no staff navigation, the portal's
/// script, the CSRF token in a meta tag for it.
pub fn page(state: &AppState, title: &str, token: &str, csrf: &str, body: Markup) -> Markup {
    let base = format!("/c/{token}");
    let employer = &state.employer;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="csrf-token" content=(csrf);
                title { (title) " · multiplier" }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/portal.js" defer {}
            }
            body.portal {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    span.brand { (employer.name.as_deref().unwrap_or("multiplier")) }
                    nav aria-label="Your application" {
                        ul {
                            li { a href=(base) { "Overview" } }
                            li { a href={ (base) "/assessment" } { "Written questions" } }
                            li { a href={ (base) "/review" } { "Code review" } }
                            li { a href={ (base) "/data" } { "Your data" } }
                            li { a href={ (base) "/about-you" } { "About you" } }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                @if employer.name.is_some() || employer.contact.is_some() {
                    footer.portal-employer {
                        p {
                            @if let Some(n) = &employer.name { "You are applying to " strong { (n) } ". " }
                            @if let Some(c) = &employer.contact {
                                "Questions? Write to "
                                @if c.contains('@') && !c.contains(char::is_whitespace) { a href={ "mailto:" (c) } { (c) } } @else { (c) }
                                "."
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A time for people: date and minute, UTC (the browser shows local times).
pub fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// The `<time>` element portal.js turns into the reader's local time.
pub fn time(t: Timestamp) -> Markup {
    html! { time datetime=(t.to_string()) { (when(t)) } }
}
