//! One error type for every handler, mapped to a status code in one place. Pages
//! get an HTML page; the JSON API (`/api/…`) gets an RFC 9457 problem document
//! (`application/problem+json`, see [`crate::api::Problem`]).
//! A 500's detail goes to the log, never to the browser.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use multiplier_app::AppError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    /// A request that cannot be read at all (400), such as an unsafe `next`.
    #[error("{0}")]
    Malformed(String),
    #[error("sign in first")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("the form expired or did not come from this site; reload the page and try again")]
    Csrf,
    /// What a use case answered: mapped to a status here, and only here.
    #[error(transparent)]
    App(#[from] AppError),
    #[error("{0}")]
    Internal(String),
}

pub type WebResult<T> = Result<T, WebError>;

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Malformed(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::App(e) => match e {
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Each field's problem, when a use case refused the request as invalid.
    pub fn problems(&self) -> &[multiplier_app::FieldProblem] {
        match self {
            WebError::App(e) => e.problems(),
            _ => &[],
        }
    }

    /// What the person is told: the message, except for server faults.
    pub fn public_message(&self) -> String {
        if self.status().is_server_error() {
            "something went wrong on the server; the details are in its log".to_string()
        } else {
            self.to_string()
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            let mut chain = self.to_string();
            let mut source = std::error::Error::source(self);
            while let Some(s) = source {
                chain.push_str(": ");
                chain.push_str(&s.to_string());
                source = s.source();
            }
            tracing::error!(error = %chain, "request failed");
        }
    }
}

impl From<tower_sessions::session::Error> for WebError {
    fn from(e: tower_sessions::session::Error) -> Self {
        WebError::Internal(format!("session: {e}"))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let body = crate::layout::error_page(status, &self.public_message());
        (status, body).into_response()
    }
}

/// The JSON API's error: the same mapping, a problem document.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let detail = match self.0 {
            WebError::Unauthorized => crate::api::SIGN_IN_FIRST.to_string(),
            ref e => e.public_message(),
        };
        let problems = self
            .0
            .problems()
            .iter()
            .map(|p| crate::api::FieldProblem::new(&p.field, &p.message))
            .collect();
        crate::api::problem_response(status, detail, problems)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
