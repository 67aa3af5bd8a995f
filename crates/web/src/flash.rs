//! A one-time message after an action ("Scorecard v2 stored for code-review"):
//! a page handler that redirects after a POST calls [`set`]; the next page
//! drawn with the frame ([`crate::layout::page`]) shows it once.
//!
//! The message waits in the session. [`carry`] (a middleware inside the session
//! layer) lends it to the request that follows; the frame takes it when it
//! draws a page, and only then is it removed from the session, so a redirect or
//! a JSON answer in between does not swallow it.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::cell::RefCell;
use tower_sessions::Session;

const KEY: &str = "flash";

tokio::task_local! {
    /// The waiting message and whether a page has shown it.
    static FLASH: RefCell<(Option<String>, bool)>;
}

/// Keep `message` for the next page this browser is shown.
pub async fn set(session: &Session, message: impl Into<String>) -> crate::error::WebResult<()> {
    session.insert(KEY, message.into()).await?;
    Ok(())
}

/// The waiting message, taken (the frame calls this once per page).
pub fn take() -> Option<String> {
    FLASH
        .try_with(|cell| {
            let mut c = cell.borrow_mut();
            let message = c.0.take();
            if message.is_some() {
                c.1 = true;
            }
            message
        })
        .ok()
        .flatten()
}

/// Lend the session's waiting message to this request; forget it once a page
/// has shown it.
pub async fn carry(session: Session, request: Request, next: Next) -> Response {
    if !crate::layout::draws_pages(request.uri().path()) {
        return next.run(request).await;
    }
    let waiting: Option<String> = session.get(KEY).await.ok().flatten();
    if waiting.is_none() {
        return next.run(request).await;
    }
    let (response, shown) = FLASH
        .scope(RefCell::new((waiting, false)), async move {
            let response = next.run(request).await;
            let shown = FLASH.with(|c| c.borrow().1);
            (response, shown)
        })
        .await;
    if shown && let Err(e) = session.remove::<String>(KEY).await {
        tracing::warn!(error = %e, "a shown message could not be removed from the session");
    }
    response
}
