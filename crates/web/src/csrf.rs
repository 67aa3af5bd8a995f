//! Cross-site request forgery protection, the synchronizer-token pattern: each
//! session holds a random token; every form carries it in a hidden `csrf` field
//! (see [`crate::layout::csrf_field`]) and every script sends it in the
//! `x-csrf-token` header. One middleware checks every request that is not GET,
//! HEAD or OPTIONS, so no form can forget it — the sign-in form included.
//!
//! An API request that carries an API token (`Authorization: Bearer`) is not
//! checked: it acts as the token's account alone, never the session's (the
//! extractor refuses it with 401 when the token is not live), and no browser
//! adds that header to a cross-site request on its own.

use crate::error::WebError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use tower_sessions::Session;

const KEY: &str = "csrf";
/// Before sign-in there is no session (none is stored for an anonymous
/// visitor): the sign-in form's token is kept in this cookie instead, and the
/// form or the `x-csrf-token` header must repeat it (a double-submit token,
/// which another site can neither read nor set).
pub const SIGNIN_COOKIE: &str = "multiplier_signin";
/// The requests a sign-in token is good for: signing in, nothing else.
const SIGNIN_PATHS: [&str; 2] = ["/login", "/api/v1/session"];
/// The form field and the header that carry the token.
pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";
/// Forms larger than this are refused before they are read.
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// Multipart forms (a file upload) larger than this are refused before they
/// are read: a CV of [`multiplier_app::MAX_CV_BYTES`] and the fields around it.
pub const MAX_UPLOAD: usize = multiplier_app::MAX_CV_BYTES + 256 * 1024;
/// The careers page's application form is anonymous: it carries a
/// double-submit token (this cookie, repeated in the form's `csrf` field) that
/// the handler checks itself, whether or not the browser also holds a staff
/// session. See [`crate::pages::careers`].
pub const APPLY_COOKIE: &str = "multiplier_apply";

/// `POST /jobs/{id}/apply`: checked by its handler (double-submit), not here.
fn is_application(path: &str) -> bool {
    path.strip_prefix("/jobs/")
        .and_then(|rest| rest.strip_suffix("/apply"))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// The `csrf` field of a multipart form, if it has one (read from a copy of
/// the buffered body).
async fn multipart_token(
    parts: &axum::http::request::Parts,
    bytes: &axum::body::Bytes,
) -> Option<String> {
    use axum::extract::FromRequest;
    use tower::{Layer, ServiceExt};
    let request = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    // The body is already read within MAX_UPLOAD; without this, the extractor
    // would apply axum's default 2 MB limit and lose the token of a larger
    // upload (an outcome file near the 2 MiB input cap).
    let read = tower::service_fn(|request: Request| async move {
        let Ok(mut form) = axum::extract::Multipart::from_request(request, &()).await else {
            return Ok::<_, std::convert::Infallible>(None);
        };
        while let Ok(Some(field)) = form.next_field().await {
            if field.name() == Some(FIELD) {
                return Ok(field.text().await.ok());
            }
        }
        Ok(None)
    });
    axum::extract::DefaultBodyLimit::max(MAX_UPLOAD)
        .layer(read)
        .oneshot(request)
        .await
        .ok()
        .flatten()
}

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, WebError> {
    if let Some(t) = session.get::<String>(KEY).await? {
        return Ok(t);
    }
    let t = random_token();
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// Replace the session's token with a fresh one (at sign-in, so a token seen
/// before cannot be used after), and return it.
pub async fn rotate(session: &Session) -> Result<String, WebError> {
    let t = random_token();
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// The session's token when it has one, without creating one.
pub async fn existing(session: &Session) -> Result<Option<String>, WebError> {
    Ok(session.get::<String>(KEY).await?)
}

/// The sign-in token the browser sent in its cookie, if any.
pub fn signin_token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SIGNIN_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The `Set-Cookie` value that keeps `token` for the sign-in form (or, with
/// `None`, removes it after sign-in).
pub fn signin_cookie(token: Option<&str>, secure: bool) -> axum::http::HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = match token {
        Some(t) => format!("{SIGNIN_COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict{secure}"),
        None => format!("{SIGNIN_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    };
    axum::http::HeaderValue::from_str(&text)
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("multiplier_signin=; Max-Age=0"))
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal without leaking where the first difference is.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

/// The middleware: refuse an unsafe request whose token is missing or wrong.
pub async fn protect(session: Session, request: Request, next: Next) -> Response {
    // The JSON API answers in JSON, never with an HTML error page.
    let api = request.uri().path().starts_with("/api/");
    let refuse = move |e: WebError| {
        if api {
            let e = match e {
                WebError::Csrf => WebError::Forbidden(format!(
                    "missing or wrong CSRF token: send the token from GET /api/v1/session in the {HEADER} header"
                )),
                other => other,
            };
            crate::error::ApiError(e).into_response()
        } else {
            e.into_response()
        }
    };
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || (api && crate::auth::bearer_token(request.uri().path(), request.headers()).is_some())
        || (request.method() == Method::POST && is_application(request.uri().path()))
    {
        return next.run(request).await;
    }
    let session_token = match session.get::<String>(KEY).await {
        Ok(t) => t,
        Err(e) => return refuse(WebError::from(e)),
    };
    // Signing in also accepts the sign-in cookie's token (there is no session yet).
    let signin = SIGNIN_PATHS
        .contains(&request.uri().path())
        .then(|| signin_token(request.headers()))
        .flatten();
    let no_session = session_token.is_none() && session.id().is_none();
    let accepted: Vec<String> = session_token.into_iter().chain(signin).collect();
    if accepted.is_empty() {
        if no_session && !SIGNIN_PATHS.contains(&request.uri().path()) {
            // No session, so no ambient authority for a forged request to borrow:
            // the route's own sign-in check answers (401 for staff routes).
            return next.run(request).await;
        }
        return refuse(WebError::Csrf);
    }
    let matches = |given: &str| accepted.iter().any(|t| same(given, t));
    let header = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(given) = header {
        return if matches(&given) {
            next.run(request).await
        } else {
            refuse(WebError::Csrf)
        };
    }
    let content_type = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if content_type.starts_with("multipart/form-data") {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_UPLOAD).await else {
            return refuse(WebError::BadRequest("the upload is too large".to_string()));
        };
        return match multipart_token(&parts, &bytes).await {
            Some(given) if matches(&given) => {
                next.run(Request::from_parts(parts, Body::from(bytes)))
                    .await
            }
            _ => refuse(WebError::Csrf),
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return refuse(WebError::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return refuse(WebError::BadRequest("the form is too large".to_string()));
        }
    };
    match form_token(&bytes) {
        Some(given) if matches(&given) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refuse(WebError::Csrf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_distinct() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn comparison_needs_every_byte() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }

    #[test]
    fn only_the_application_form_is_left_to_its_handler() {
        assert!(is_application("/jobs/3/apply"));
        assert!(!is_application("/jobs/3/apply/x"));
        assert!(!is_application("/jobs//apply"));
        assert!(!is_application("/openings/3/apply"));
    }

    #[test]
    fn the_token_is_found_among_other_fields() {
        assert_eq!(
            form_token(b"name=a%20b&csrf=t0k&x=1").as_deref(),
            Some("t0k")
        );
        assert_eq!(form_token(b"name=a"), None);
    }
}
