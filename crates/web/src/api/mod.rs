//! The JSON API under `/api/v1`: the same resources as the pages, JSON in and
//! out, and an OpenAPI 3 document generated from the handlers and types below
//! (served at `/api/v1/openapi.json`).
//!
//! Every handler is an adapter over [`multiplier_app::App`] (`state.app`): it
//! parses the body into core's types (a field that does not parse is a 422
//! naming it), calls one use case as the signed-in account, and maps what comes
//! back to the DTOs here. The use case holds the access rule (roles,
//! assignments, the blind rule, who sees the e-mail address and the offers);
//! its [`multiplier_app::AppError`] becomes a status in one place
//! ([`crate::error`]), `Invalid` a 422 with each field's problem.
//!
//! Each route is registered through `utoipa_axum::routes!`, which reads the
//! handler's `#[utoipa::path]`: the router and the document come from the same
//! declaration, so a route cannot be served without being documented.
//!
//! Authentication is either the browser session (cookie) with the CSRF token in
//! the `x-csrf-token` header on every write (`GET /api/v1/session` hands out the
//! token), or an API token sent as `Authorization: Bearer` (no session, no CSRF
//! token; see [`crate::auth`]).
//!
//! Every error, including unknown paths, wrong methods and malformed bodies, is an
//! RFC 9457 problem document (`application/problem+json`: `type`, `title`,
//! `status`, `detail`, and `problems` per field on a 422), see [`Problem`].
//!
//! The served document is utoipa's, finished by [`finish`]: every error response
//! is the problem document with an example, every operation's body and answer
//! get an example ([`contract`]), and the bearer token joins the session as a way
//! in.

mod ats;
mod audit;
mod candidates;
mod contract;
mod grade;
mod interview;
mod mail;
mod offers;
mod openings;
mod outcomes;
mod paging;
mod reports;
mod session;
mod tools;

use crate::AppState;
use crate::error::{ApiError, WebError};
use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::Serialize;
use std::sync::LazyLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "multiplier API",
        version = "1",
        description = "Hiring Tech Leads on two independent signals: openings, candidates, blind scorecards, references, the debrief, offers and onboarding, plus the stateless tools (job-description writer and linter, code-review grader, written-answer analyzer). Authenticate with an API token (Authorization: Bearer, issued by an admin with `multiplier token create` or on /admin/tokens), or sign in with POST /session and send the CSRF token from GET /session in the x-csrf-token header on every write. Errors are RFC 9457 problem documents (application/problem+json)."
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&Security),
    tags(
        (name = "session", description = "Signing in and out; the CSRF token"),
        (name = "openings", description = "Openings, their boards and debriefs"),
        (name = "candidates", description = "Candidates: search, add, read, correct, move, assign interviewers"),
        (name = "interviews", description = "Scorecards under the blind rule, and references"),
        (name = "decisions", description = "Decisions, offers and onboarding (hiring managers)"),
        (name = "scheduling", description = "Interviews: book them with invitations and calendar entries"),
        (name = "mail", description = "The outbox: every message written, its state and attempts (hiring managers)"),
        (name = "audit", description = "Who did what and when (hiring managers)"),
        (name = "reports", description = "The hiring funnel, and adverse impact by voluntary self-identification (hiring managers)"),
        (name = "tools", description = "Stateless helpers: job descriptions, exercises, grading, answer flags"),
    )
)]
struct ApiDoc;

/// The session cookie and the CSRF header, as OpenAPI security schemes.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "multiplier_session",
                "The session cookie set by POST /api/v1/session (or the sign-in page).",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (`mpt_…`) issued by an admin for one account, read-only or read-write; it needs neither a session nor a CSRF token.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                crate::csrf::HEADER,
                "The session's CSRF token (from GET /api/v1/session), required on every POST, PUT, PATCH and DELETE.",
            ))),
        );
    }
}

/// Every API route with its documentation, paths relative to [`PREFIX`].
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(openapi_json))
        .merge(session::router())
        .merge(openings::router())
        .merge(outcomes::router())
        .merge(candidates::router())
        .merge(interview::router())
        .merge(offers::router())
        .merge(mail::router())
        .merge(audit::router())
        .merge(tools::router())
        .merge(ats::router())
        .merge(reports::router())
}

static DOCUMENT: LazyLock<serde_json::Value> = LazyLock::new(|| {
    let (_, mut doc) = routes().split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::Server::new(PREFIX)]);
    let mut json = serde_json::to_value(&doc).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot encode the OpenAPI document");
        serde_json::Value::Null
    });
    contract::finish(&mut json);
    json
});

/// The OpenAPI document (paths relative to its server, [`PREFIX`]).
pub fn document() -> &'static serde_json::Value {
    &DOCUMENT
}

/// The API, mounted at [`PREFIX`], answering in JSON whatever happens.
pub fn router() -> Router<AppState> {
    let (api, _) = routes().split_for_parts();
    Router::new().nest(
        PREFIX,
        api.fallback(unknown_path)
            .layer(middleware::from_fn(json_errors)),
    )
}

/// The OpenAPI 3 document of this API, generated from its code.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "tools",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object, content_type = "application/json"))
)]
async fn openapi_json() -> Response {
    Json(document()).into_response()
}

async fn unknown_path() -> Response {
    ApiError(WebError::NotFound(
        "there is no such API path; the OpenAPI document at /api/v1/openapi.json lists them all"
            .to_string(),
    ))
    .into_response()
}

/// Turn axum's plain-text refusals (malformed JSON, a wrong method, a bad path
/// parameter) into the API's JSON error, keeping their status and message.
async fn json_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with(PROBLEM_JSON));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if status == StatusCode::METHOD_NOT_ALLOWED {
        let allow = parts
            .headers
            .get(header::ALLOW)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        format!("{method} is not allowed on this path; it accepts {allow}")
    } else if status.is_server_error() {
        "something went wrong on the server; the details are in its log".to_string()
    } else if text.is_empty() {
        status.canonical_reason().unwrap_or("refused").to_string()
    } else {
        text
    };
    let mut out = problem_response(status, message, Vec::new());
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

/// What a 401 says.
pub const SIGN_IN_FIRST: &str =
    "sign in with POST /api/v1/session, or send an API token as `Authorization: Bearer mpt_…`";

/// The media type of every error the API returns (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Every error the API returns: an RFC 9457 problem document.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// What kind of problem: `about:blank` (the status says it all; `title` is
    /// then the status's name).
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The status's name, e.g. `Unprocessable Entity`.
    pub title: String,
    /// The HTTP status, repeated.
    pub status: u16,
    /// What went wrong this time and what to do about it, in a sentence.
    pub detail: String,
    /// On a 422: each field's problem (an extension member).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
}

/// One field's problem in a request body.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct FieldProblem {
    /// The field, as a path such as `answers.coding-share` or `scores.technical-depth`.
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl Problem {
    pub fn new(status: StatusCode, detail: String, problems: Vec<FieldProblem>) -> Problem {
        Problem {
            problem_type: "about:blank".to_string(),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            problems,
        }
    }
}

/// The problem document for `status` as a response, never cached.
pub fn problem_response(
    status: StatusCode,
    detail: String,
    problems: Vec<FieldProblem>,
) -> Response {
    let body = serde_json::to_vec(&Problem::new(status, detail, problems)).unwrap_or_default();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A handler's failure: any [`WebError`] (mapped as everywhere), or a request
/// body that breaks the rules, with every field's problem (422).
#[derive(Debug)]
pub enum Failure {
    Web(WebError),
    Invalid {
        message: String,
        problems: Vec<FieldProblem>,
    },
}

impl<E: Into<WebError>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Web(e.into())
    }
}

impl Failure {
    /// A 422 naming each field's problem.
    pub fn invalid(what: &str, problems: Vec<FieldProblem>) -> Failure {
        let n = problems.len();
        Failure::Invalid {
            message: format!(
                "{what} has {n} problem{}; fix each field listed in `problems` and send it again",
                if n == 1 { "" } else { "s" }
            ),
            problems,
        }
    }

    /// A 422 for one field.
    pub fn field(field: &str, message: impl Into<String>) -> Failure {
        let message = message.into();
        Failure::Invalid {
            message: format!("{field}: {message}"),
            problems: vec![FieldProblem::new(field, message)],
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Web(WebError::App(multiplier_app::AppError::Invalid { what, problems })) => {
                let problems = problems
                    .into_iter()
                    .map(|p| FieldProblem::new(p.field, p.message))
                    .collect();
                Failure::invalid(&what, problems).into_response()
            }
            Failure::Web(e) => ApiError(e).into_response(),
            Failure::Invalid { message, problems } => {
                problem_response(StatusCode::UNPROCESSABLE_ENTITY, message, problems)
            }
        }
    }
}

pub type Outcome<T> = Result<T, Failure>;

/// Answer 201 Created with a JSON body.
pub fn created<T: Serialize>(body: T) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

/// A timestamp as RFC 3339 text.
fn at(t: jiff::Timestamp) -> String {
    t.to_string()
}

/// Fail with 422 listing `problems` unless there are none.
fn check(what: &str, problems: Vec<FieldProblem>) -> Outcome<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::invalid(what, problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_with_every_area() {
        let json = serde_json::to_value(document()).unwrap();
        assert!(json["openapi"].as_str().unwrap().starts_with("3."));
        let paths = json["paths"].as_object().unwrap();
        for p in [
            "/session",
            "/openings",
            "/candidates/{id}/scorecards",
            "/openings/{id}/debrief",
            "/review/grade",
            "/openapi.json",
        ] {
            assert!(paths.contains_key(p), "{p} missing from {paths:?}");
        }
        // The correction of a candidate sits beside its read, with its body.
        assert!(json["paths"]["/candidates/{id}"]["patch"].is_object());
        let patch = &json["components"]["schemas"]["CandidatePatch"]["properties"];
        for field in ["name", "email", "internal", "wants_leadership", "gives_up"] {
            assert!(patch[field].is_object(), "{field} missing from {patch}");
        }
    }
}
