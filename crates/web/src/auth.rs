//! Signing in and out, and who is signed in.
//!
//! The sign-in use case (`multiplier_app::App::sign_in`) checks the password
//! (argon2id) and the failure limits per name and per client address; this module
//! keeps the session: a successful sign-in cycles the session id and remembers the
//! account, which is read afresh from the accounts table on every request.
//!
//! An API request may instead carry an API token in `Authorization: Bearer`: it
//! then acts as the token's account and the session is not looked at
//! ([`bearer_token`]; the use case `multiplier_app::App::bearer` checks the token,
//! its scope, and notes the use).

use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Router, routing::get, routing::post};
use maud::html;
use multiplier_app::Account;
use multiplier_store::AccountRole;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use tower_sessions::Session;

/// Where the signed-in account is kept in the session (the session store reads
/// it to know whose session it is).
pub(crate) const USER_KEY: &str = "user";
/// The sign-in limits, which the sign-in use case applies.
pub use multiplier_app::{MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_NAME, WINDOW_SECONDS};

/// The signed-in person, as kept in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub name: String,
    pub role: AccountRole,
}

impl CurrentUser {
    /// The account, as the use cases take it.
    pub fn account(&self) -> Account {
        Account {
            name: self.name.clone(),
            role: self.role,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == AccountRole::Admin
    }
}

/// Extracting a [`CurrentUser`] refuses anonymous requests: pages redirect to the
/// sign-in form, the API answers 401.
pub struct SignInRequired {
    api: bool,
    next: String,
}

impl IntoResponse for SignInRequired {
    fn into_response(self) -> Response {
        if self.api {
            crate::error::ApiError(WebError::Unauthorized).into_response()
        } else {
            let next: String =
                serde_urlencoded::to_string([("next", self.next.as_str())]).unwrap_or_default();
            Redirect::to(&format!("/login?{next}")).into_response()
        }
    }
}

/// The account the session names, read afresh: an account removed since is
/// signed out, and a changed role applies at the next request.
async fn session_user(
    session: &Session,
    state: &AppState,
) -> Result<Option<CurrentUser>, WebError> {
    let kept: Option<CurrentUser> = session.get(USER_KEY).await?;
    let Some(kept) = kept else { return Ok(None) };
    Ok(state.app.account(&kept.name).await?.map(|a| CurrentUser {
        name: a.name,
        role: a.role,
    }))
}

/// The token in `Authorization: Bearer <token>`, if the header says so.
pub fn bearer_header(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The API token of a request to `path`, when it is an API request that
/// carries one (pages never take tokens).
pub fn bearer_token<'a>(path: &str, headers: &'a axum::http::HeaderMap) -> Option<&'a str> {
    if path.starts_with("/api/") {
        bearer_header(headers)
    } else {
        None
    }
}

/// The path as the client sent it (inside the API's nested router `uri` lost
/// its prefix; the original has it).
fn full_path(parts: &Parts) -> &str {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| parts.uri.path(), |o| o.0.path())
}

/// The account an API token acts as: 401 unless the token is live, 403 for a
/// write through a read-only token. A write is named by its method and route
/// for the audit log.
async fn token_user(parts: &Parts, state: &AppState, token: &str) -> Result<CurrentUser, Response> {
    let write = (!parts.method.is_safe()).then(|| {
        let route = parts
            .extensions
            .get::<axum::extract::MatchedPath>()
            .map_or_else(|| full_path(parts).to_string(), |m| m.as_str().to_string());
        format!("{} {route}", parts.method)
    });
    match state.app.bearer(token, write.as_deref()).await {
        Ok(Some(a)) => Ok(CurrentUser {
            name: a.name,
            role: a.role,
        }),
        Ok(None) => {
            let mut refused = crate::api::problem_response(
                axum::http::StatusCode::UNAUTHORIZED,
                "the API token is unknown, expired or revoked; ask an admin for a new one (`multiplier token create`)".to_string(),
                Vec::new(),
            );
            refused.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            Err(refused)
        }
        Err(e) => Err(crate::error::ApiError(e.into()).into_response()),
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(token) = bearer_token(full_path(parts), &parts.headers).map(str::to_string) {
            return token_user(parts, state, &token).await;
        }
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let user = session_user(&session, state)
            .await
            .map_err(IntoResponse::into_response)?;
        // Inside a nested router (the API's) `uri` lost its prefix; the original has it.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| parts.uri.path(), |o| o.0.path());
        let api = path.starts_with("/api/");
        user.ok_or_else(|| {
            SignInRequired {
                api,
                next: parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_string(),
            }
            .into_response()
        })
    }
}

/// The signed-in person when there is one (pages that also serve visitors).
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if bearer_token(full_path(parts), &parts.headers).is_some() {
            return CurrentUser::from_request_parts(parts, state)
                .await
                .map(|u| MaybeUser(Some(u)));
        }
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let user = session_user(&session, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(MaybeUser(user))
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// A path on this site: starts with one `/` (not `//`, which a browser reads as
/// another host), printable ASCII only (browsers drop tabs and newlines, so
/// `/\t/evil.example` would become `//evil.example`), no backslash (read as a
/// slash), and a valid URI path.
fn is_local_path(n: &str) -> bool {
    n.starts_with('/')
        && !n.starts_with("//")
        && n.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'\\')
        && n.parse::<axum::http::uri::PathAndQuery>().is_ok()
}

/// Where to go after sign-in: `/` when not given, the path when it is on this
/// site, and a refusal (400) for anything else.
pub(crate) fn safe_next(next: Option<&str>) -> Result<String, WebError> {
    match next {
        None | Some("") => Ok("/".to_string()),
        Some(n) if is_local_path(n) => Ok(n.to_string()),
        Some(_) => Err(WebError::Malformed(
            "`next` must be a path on this site, such as /openings/3".to_string(),
        )),
    }
}

/// The token for the sign-in form: the session's when the browser already has
/// a session (a candidate on the portal, say); otherwise the one it holds in its
/// sign-in cookie, or a new one, kept in that cookie: nothing is stored on the
/// server before sign-in. The flag says whether the cookie is to be set.
pub(crate) async fn signin_form_token(
    session: &Session,
    headers: &HeaderMap,
) -> WebResult<(String, bool)> {
    Ok(match csrf::existing(session).await? {
        Some(t) => (t, false),
        None => (
            csrf::signin_token(headers).unwrap_or_else(csrf::random_token),
            true,
        ),
    })
}

/// `response`, with the sign-in cookie set to `token` when `set`.
pub(crate) fn with_signin_cookie(
    state: &AppState,
    (token, set): (&str, bool),
    response: impl IntoResponse,
) -> Response {
    let mut response = response.into_response();
    if set {
        response.headers_mut().append(
            header::SET_COOKIE,
            csrf::signin_cookie(Some(token), state.secure_cookies),
        );
    }
    response
}

async fn login_form(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
    Query(q): Query<NextQuery>,
) -> WebResult<Response> {
    let next = safe_next(q.next.as_deref())?;
    if user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let (token, set) = signin_form_token(&session, &headers).await?;
    Ok(with_signin_cookie(
        &state,
        (&token, set),
        login_page(&token, &next, None, ""),
    ))
}

fn login_page(token: &str, next: &str, problem: Option<&str>, name: &str) -> maud::Markup {
    layout::page(
        "Sign in",
        None,
        token,
        html! {
            section.narrow {
                h1 { "Sign in" }
                @if let Some(p) = problem {
                    p.alert role="alert" { (p) }
                }
                form method="post" action="/login" {
                    (layout::csrf_field(token))
                    input type="hidden" name="next" value=(next);
                    label for="name" { "Name" }
                    input #name type="text" name="name" value=(name) autocomplete="username" required autofocus;
                    label for="password" { "Password" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    button type="submit" { "Sign in" }
                }
                p.hint { "No account yet? An administrator creates one with "
                    code { "multiplier user add" } "." }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
}

/// The client's address, the key for per-client rate limiting ("unknown" when the
/// server was not started with connection info).
pub struct ClientKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientKey(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

pub use multiplier_app::SignInRefused;

/// Sign `name` in on `session` from `client`: the use case checks the limits and
/// the password; on success the session id is cycled and the account remembered.
/// Shared by the sign-in form and the JSON API.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    client: &str,
    name: &str,
    password: &str,
) -> WebResult<Result<CurrentUser, SignInRefused>> {
    let account = match state.app.sign_in(name, password, client).await? {
        Ok(a) => a,
        Err(refused) => {
            match refused {
                SignInRefused::TooManyFailures => {
                    tracing::warn!("sign-in refused: too many failures");
                }
                SignInRefused::Mismatch => tracing::info!("sign-in failed"),
            }
            return Ok(Err(refused));
        }
    };
    session.cycle_id().await?;
    let current = CurrentUser {
        name: account.name,
        role: account.role,
    };
    session.insert(USER_KEY, &current).await?;
    // A token seen before sign-in (or on an earlier session) is not good after it.
    csrf::rotate(session).await?;
    tracing::info!(role = %current.role, "signed in");
    Ok(Ok(current))
}

async fn login(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ClientKey(client): ClientKey,
    Form(form): Form<LoginForm>,
) -> WebResult<Response> {
    let name = form.name.trim().to_string();
    let next = safe_next(form.next.as_deref())?;
    let (status, problem) = match sign_in(&state, &session, &client, &name, &form.password).await? {
        Ok(_) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                csrf::signin_cookie(None, state.secure_cookies),
            );
            return Ok(response);
        }
        Err(SignInRefused::TooManyFailures) => (
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "Too many failed sign-ins. Wait 15 minutes and try again.",
        ),
        Err(SignInRefused::Mismatch) => (
            axum::http::StatusCode::UNAUTHORIZED,
            "That name and password do not match.",
        ),
    };
    let (token, set) = signin_form_token(&session, &headers).await?;
    let page = login_page(&token, &next, Some(problem), &name);
    Ok(with_signin_cookie(&state, (&token, set), (status, page)))
}

async fn logout(session: Session) -> WebResult<Response> {
    session.flush().await?;
    Ok(Redirect::to("/login").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/openings/3")).ok().as_deref(),
            Some("/openings/3")
        );
        assert_eq!(
            safe_next(Some("/a?b=c&d=%2F")).ok().as_deref(),
            Some("/a?b=c&d=%2F")
        );
        assert_eq!(safe_next(None).ok().as_deref(), Some("/"));
        assert_eq!(safe_next(Some("")).ok().as_deref(), Some("/"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=y",
            "/\u{0}",
            "/é",
            "/ /evil.example",
            "evil.example",
        ] {
            let e = safe_next(Some(bad)).expect_err(bad);
            assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST, "{bad:?}");
        }
    }
}
