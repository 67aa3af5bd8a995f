//! The multiplier web application: server-rendered pages for hiring managers and
//! interviewers, a candidate portal, and a JSON API over the same store and core.
//!
//! [`app`] builds the router from an [`AppState`]; [`serve`] runs it on a listener
//! until a shutdown signal, so `main` and the tests start it the same way (tests on
//! port 0).
//!
//! - [`auth`]: sign-in, sessions, roles ([`auth::CurrentUser`] is the extractor).
//! - [`csrf`]: one middleware checks a token on every unsafe request.
//! - [`sessions`]: tower-sessions' store over multiplier's database.
//! - [`layout`]: the page frame; [`error`]: errors to status codes, in one place.
//! - [`flash`]: the one-time message after an action, shown by the frame.
//! - [`pages`]: the HTML pages, one module per area.
//! - [`portal`]: the candidate portal behind a private, expiring link.
//! - [`api`]: the JSON API under `/api/v1` and its generated OpenAPI document.
//! - [`demo`]: the seeded demo for `multiplier serve --demo`.
//! - [`threads`]: [`serve`] on several threads, each with an event loop and a
//!   pool of database connections of its own ([`Config::threads`]).

pub mod api;
pub mod auth;
pub mod csrf;
pub mod demo;
pub mod error;
pub mod flash;
pub mod layout;
pub mod pages;
pub mod portal;
pub mod sessions;
pub mod threads;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use multiplier_core::Framework;
use multiplier_store::Store;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// What every handler can reach: the use cases, and the framework for rendering.
#[derive(Clone)]
pub struct AppState {
    /// Every use case (`multiplier_app`); handlers call these and nothing below.
    pub app: multiplier_app::App,
    /// The framework in use, for rendering (stage names, questions, rubrics).
    pub framework: Arc<Framework>,
    /// Cookies set by hand (the sign-in token's) are `Secure` too; [`app`] sets
    /// this from [`Config::secure_cookies`].
    pub secure_cookies: bool,
    /// Who the candidate portal says is hiring, and whom to write to
    /// (`multiplier serve --employer NAME --contact ADDRESS`).
    pub employer: Employer,
}

/// The employer the candidate portal names, and a contact for questions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Employer {
    pub name: Option<String>,
    /// An e-mail address (shown as a mailto link) or any other way to reach
    /// the hiring team.
    pub contact: Option<String>,
}

impl AppState {
    pub fn new(store: Store, framework: Arc<Framework>) -> AppState {
        AppState {
            app: multiplier_app::App::new(store, Arc::clone(&framework)),
            framework,
            secure_cookies: false,
            employer: Employer::default(),
        }
    }
}

/// How the application is built.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark the session cookie `Secure` (serve behind HTTPS) and send HSTS.
    pub secure_cookies: bool,
    /// A signed-in session ends after this long without a request.
    pub idle_timeout: Duration,
    /// A request that has not been answered by then gets 503 (the body read
    /// included).
    pub request_timeout: Duration,
    /// A connection that has not sent a whole request head by then is closed
    /// (slow or idle clients do not hold connections open).
    pub header_read_timeout: Duration,
    /// How many threads answer requests. With one, [`serve`] answers on the
    /// runtime it is called from; with more, each thread runs an event loop and
    /// a pool of database connections of its own, and takes a share of the
    /// connections accepted (see [`threads`]).
    pub threads: usize,
    /// With several [`Config::threads`], one for each core this process may
    /// run on, keep each thread (and its database threads) on its own core.
    pub pin_threads: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            idle_timeout: Duration::from_secs(8 * 60 * 60),
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            threads: 1,
            pin_threads: false,
        }
    }
}

/// HSTS when served over HTTPS: a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The whole application.
pub fn app(mut state: AppState, config: &Config) -> Router {
    state.secure_cookies = config.secure_cookies;
    let hsts = config.secure_cookies;
    let idle = tower_sessions::cookie::time::Duration::seconds(
        i64::try_from(config.idle_timeout.as_secs()).unwrap_or(i64::MAX),
    );
    let sessions = SessionManagerLayer::new(sessions::DbSessions::new(state.app.store().clone()))
        .with_name("multiplier_session")
        .with_secure(config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(idle));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .merge(auth::router())
        .merge(pages::router())
        .merge(portal::router())
        .merge(api::router())
        .fallback(not_found)
        .layer(middleware::from_fn(csrf::protect))
        .layer(middleware::from_fn(flash::carry))
        .layer(middleware::from_fn(layout::remember_viewer))
        .layer(sessions)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ))
        .layer(middleware::from_fn(log_request))
        .layer(middleware::from_fn(move |request, next| {
            security_headers(hsts, request, next)
        }))
        .with_state(state)
}

/// An address nothing answers: the error page (the API has its own fallback,
/// which answers with a problem document).
async fn not_found() -> Response {
    error::WebError::NotFound("there is no page at this address".to_string()).into_response()
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        layout::CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        layout::JS,
    )
}

/// One log line per request: method, route pattern (never the concrete path, which
/// may hold a candidate link's token), status and time. No personal data.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_string(), |m| m.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// Headers on every response. Nothing is cached (`no-store`) except the static
/// files, which say otherwise themselves: staff pages, the portal and the API
/// carry personal data. HSTS when served over HTTPS.
async fn security_headers(hsts: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    if hsts {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // The candidate portal sets a stricter policy of its own; keep it.
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    response
}

/// Serve `app` on `listener` until `shutdown` completes, finishing requests in
/// flight (for at most the request timeout), then empty the write-ahead log and
/// close the database. Housekeeping (expired sessions, old failed sign-ins, the
/// retention period) runs at start and hourly meanwhile.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app_handle = state.app.clone();
    let housekeeping = tokio::spawn(sessions::housekeeping(
        state.app.clone(),
        Duration::from_secs(60 * 60),
    ));
    let result = if config.threads > 1 {
        threads::run(listener, state, &config, shutdown).await
    } else {
        let router = app(state, &config);
        run(listener, router, &config, shutdown).await
    };
    housekeeping.abort();
    match app_handle.store().close().await {
        Ok(()) => tracing::info!("database closed"),
        Err(e) => {
            tracing::warn!(error = %e, "the database closed without emptying its log; it is replayed on the next start")
        }
    }
    result
}

/// Accept connections until `shutdown`: each is served over HTTP/1.1 with a
/// header-read timeout, and knows its peer's address (for the sign-in limits).
async fn run(
    listener: tokio::net::TcpListener,
    router: Router,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = accept(&listener) => accepted,
            () = &mut shutdown => break,
        };
        spawn_connection(stream, peer, &router, config, &graceful, ());
    }
    drop(listener);
    drain(graceful, config).await;
    Ok(())
}

/// The next connection. Out of file descriptors and the like: say so, back
/// off, and keep accepting.
async fn accept(
    listener: &tokio::net::TcpListener,
) -> (tokio::net::TcpStream, std::net::SocketAddr) {
    loop {
        match listener.accept().await {
            Ok(accepted) => return accepted,
            Err(e) => {
                tracing::warn!(error = %e, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Serve one connection on the current runtime, watched by `graceful`;
/// `keep` is dropped when the connection ends.
fn spawn_connection(
    stream: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    router: &Router,
    config: &Config,
    graceful: &hyper_util::server::graceful::GracefulShutdown,
    keep: impl Send + 'static,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let service = router.clone().map_request(
        move |mut request: axum::http::Request<hyper::body::Incoming>| {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            request.map(axum::body::Body::new)
        },
    );
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    let connection = builder.serve_connection(
        TokioIo::new(stream),
        hyper_util::service::TowerToHyperService::new(service),
    );
    let connection = graceful.watch(connection);
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "a connection ended with an error");
        }
        drop(keep);
    });
}

/// Let the requests in flight finish, for at most the request timeout.
async fn drain(graceful: hyper_util::server::graceful::GracefulShutdown, config: &Config) {
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(config.request_timeout + Duration::from_secs(1)) => {
            tracing::warn!("requests still running after the request timeout were cut off");
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM. The SIGTERM handler is installed when this is
/// called (inside the runtime), not when the future is first polled, so a
/// SIGTERM that arrives as soon as the server says it is listening is a clean
/// shutdown rather than the default, abrupt end.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        let term = async move {
            match term {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
