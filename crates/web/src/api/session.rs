//! `/session`: who is signed in, the CSRF token, signing in and out.
//!
//! A client starts with `GET /session`: signed out it gets 401, but the response
//! still carries the session cookie and the CSRF token in the `x-csrf-token`
//! header, which `POST /session` (like every write) must send back.

use super::{Failure, Outcome, Problem};
use crate::AppState;
use crate::auth::{self, ClientKey, MaybeUser, SignInRefused};
use crate::csrf;
use crate::error::{ApiError, WebError};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(whoami, sign_in, sign_out))
}

/// The signed-in person and the token to send as `x-csrf-token`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub name: String,
    /// `admin` (hiring manager) or `interviewer`.
    pub role: String,
    pub csrf_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignIn {
    pub name: String,
    pub password: String,
}

fn with_token(mut response: Response, token: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(token) {
        response.headers_mut().insert(csrf::HEADER, v);
    }
    response
}

/// Who am I, and the CSRF token (also in the `x-csrf-token` response header,
/// signed in or not). With an API token: the token's account.
#[utoipa::path(
    get,
    path = "/session",
    tag = "session",
    responses(
        (status = 200, description = "Signed in", body = SessionInfo,
            headers(("x-csrf-token" = String, description = "The session's CSRF token"))),
        (status = 401, description = "Signed out; the CSRF token for signing in is in the header", body = Problem,
            headers(("x-csrf-token" = String, description = "The session's CSRF token"))),
    )
)]
async fn whoami(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
) -> Outcome<Response> {
    match user {
        Some(u) => {
            let token = csrf::token(&session).await?;
            let response = Json(SessionInfo {
                name: u.name,
                role: u.role.id().to_string(),
                csrf_token: token.clone(),
            })
            .into_response();
            Ok(with_token(response, &token))
        }
        None => {
            // Signed out: a sign-in token in a cookie, nothing stored on the server.
            let (token, set) = auth::signin_form_token(&session, &headers).await?;
            let response = with_token(ApiError(WebError::Unauthorized).into_response(), &token);
            Ok(auth::with_signin_cookie(&state, (&token, set), response))
        }
    }
}

/// Sign in. Rate-limited like the sign-in page: after 5 failures for a name (20
/// for a client address) in 15 minutes, 429 whatever the password.
#[utoipa::path(
    post,
    path = "/session",
    tag = "session",
    request_body = SignIn,
    security(("csrf" = [])),
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SessionInfo),
        (status = 401, description = "The name and password do not match", body = Problem),
        (status = 403, description = "Missing or wrong CSRF token", body = Problem),
        (status = 422, description = "The body is not a name and a password, or the request carries an API token (which needs no session)", body = Problem),
        (status = 429, description = "Too many failed sign-ins", body = Problem),
    )
)]
async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    ClientKey(client): ClientKey,
    headers: HeaderMap,
    Json(body): Json<SignIn>,
) -> Outcome<Response> {
    no_token(&headers)?;
    match auth::sign_in(&state, &session, &client, &body.name, &body.password).await? {
        Ok(user) => {
            // The sign-in rotated the token: this one is new.
            let token = csrf::token(&session).await?;
            let info = SessionInfo {
                name: user.name,
                role: user.role.id().to_string(),
                csrf_token: token.clone(),
            };
            let mut response = with_token(Json(info).into_response(), &token);
            response.headers_mut().append(
                header::SET_COOKIE,
                csrf::signin_cookie(None, state.secure_cookies),
            );
            Ok(response)
        }
        Err(SignInRefused::TooManyFailures) => {
            Err(Failure::Web(WebError::TooManyRequests(format!(
                "too many failed sign-ins; wait {} minutes and try again",
                auth::WINDOW_SECONDS / 60
            ))))
        }
        Err(SignInRefused::Mismatch) => Ok(mismatch()),
    }
}

/// Signing in and out is for sessions: a request that carries an API token
/// (which needs neither, and skips the CSRF check) is refused.
fn no_token(headers: &HeaderMap) -> Outcome<()> {
    if auth::bearer_header(headers).is_some() {
        return Err(Failure::Web(WebError::BadRequest(
            "an API token needs no session: send this request without the Authorization header, or leave sign-in and sign-out out of a token's script".to_string(),
        )));
    }
    Ok(())
}

fn mismatch() -> Response {
    super::problem_response(
        StatusCode::UNAUTHORIZED,
        "that name and password do not match".to_string(),
        Vec::new(),
    )
}

/// Sign out: the session ends.
#[utoipa::path(
    delete,
    path = "/session",
    tag = "session",
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 403, description = "Missing or wrong CSRF token", body = Problem),
        (status = 422, description = "The request carries an API token, which needs no session", body = Problem),
    )
)]
async fn sign_out(session: Session, headers: HeaderMap) -> Outcome<StatusCode> {
    no_token(&headers)?;
    session.flush().await?;
    Ok(StatusCode::NO_CONTENT)
}
