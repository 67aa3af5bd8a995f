//! The candidate portal behind a private, expiring link.
//!
//! - [`links`]: hiring managers create, list and revoke a candidate's links and act
//!   on erasure requests (`/candidates/{id}/portal`, admins only).
//! - Under `/c/{token}` the candidate, who never signs in, finds a home page
//!   ([`home`]), the written assessment ([`assessment`]), the code-review exercise
//!   ([`review`]) and their data ([`data`]).
//!
//! The token is the only credential: 32 random bytes in hex, of which the database
//! keeps only a SHA-256 hash. An unknown, expired or revoked token gets one and the
//! same 404 page. The portal shows the candidate their own record and work only:
//! never scores, grades, flags, interviewers' names or other candidates. Portal
//! pages are sent with `Cache-Control: no-store` and `Referrer-Policy: no-referrer`;
//! the request log names route patterns only, never the token.

mod assessment;
mod data;
mod home;
mod links;
mod review;

use crate::error::{ApiError, WebError};
use crate::{AppState, csrf};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;
use maud::{DOCTYPE, Markup, html};
use multiplier_store::{
    CandidateRecord, HiringStore, PortalLink, PortalStore, StoreError, TokenHash,
};

/// The portal's script: autosave, click-a-line comments, copy-the-link.
pub const JS: &str = include_str!("../../static/portal.js");

/// Where evidence from the portal says it came from.
const SOURCE: &str = "candidate portal";

pub fn router() -> Router<AppState> {
    let candidate = Router::new()
        .route("/c/{token}", get(home::show))
        .merge(assessment::router())
        .merge(review::router())
        .merge(data::router())
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

/// Why a portal request failed. [`PortalError::Missing`] covers unknown, expired
/// and revoked links alike, with one body for all three.
#[derive(Debug)]
pub enum PortalError {
    Missing,
    Web(WebError),
}

impl<E: Into<WebError>> From<E> for PortalError {
    fn from(e: E) -> Self {
        PortalError::Web(e.into())
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

/// A live link and its candidate, resolved from the token in the path.
pub struct Visit {
    pub link: PortalLink,
    pub candidate: CandidateRecord,
}

/// Resolve `token` to its live link and candidate, or [`PortalError::Missing`].
/// The first visit is recorded.
pub async fn visit(state: &AppState, token: &str) -> PortalResult<Visit> {
    // Tokens are 64 hex digits; anything else cannot match and is not looked up.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(PortalError::Missing);
    }
    let Some(link) = state
        .store
        .live_link(&TokenHash::of(token), Timestamp::now())
        .await?
    else {
        return Err(PortalError::Missing);
    };
    let Some(candidate) = state.store.candidate(link.candidate).await? else {
        return Err(PortalError::Missing);
    };
    if link.opened_at.is_none() {
        match state.store.mark_opened(link.id).await {
            Ok(()) | Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Visit { link, candidate })
}

/// A new link token: 32 random bytes (256 bits) as 64 hex digits.
pub fn new_token() -> String {
    csrf::random_token()
}

/// The frame of every candidate-facing page: no staff navigation, the portal's
/// script, the CSRF token in a meta tag for it.
pub fn page(title: &str, token: &str, csrf: &str, body: Markup) -> Markup {
    let base = format!("/c/{token}");
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
                    span.brand { "multiplier" }
                    nav aria-label="Your application" {
                        ul {
                            li { a href=(base) { "Overview" } }
                            li { a href={ (base) "/assessment" } { "Written questions" } }
                            li { a href={ (base) "/review" } { "Code review" } }
                            li { a href={ (base) "/data" } { "Your data" } }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
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
