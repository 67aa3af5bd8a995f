//! tower-sessions' `SessionStore` over multiplier's own database, so sessions live
//! wherever the rest of the data lives (SQLite file or PostgreSQL), and a
//! session begun on one server is good on every server sharing the database.

use async_trait::async_trait;
use multiplier_store::{AccountStore, Store};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, Error, SessionStore};

#[derive(Debug, Clone)]
pub struct DbSessions {
    store: Store,
}

impl DbSessions {
    pub fn new(store: Store) -> Self {
        DbSessions { store }
    }
}

fn backend(e: multiplier_store::StoreError) -> Error {
    Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    serde_json::to_vec(record).map_err(|e| Error::Encode(e.to_string()))
}

/// The account signed in on a session, as the sign-in recorded it (see
/// `auth::USER_KEY`), so ending an account's sessions can find them.
fn account_of(record: &Record) -> Option<&str> {
    record
        .data
        .get(crate::auth::USER_KEY)
        .and_then(|u| u.get("name"))
        .and_then(|n| n.as_str())
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

#[async_trait]
impl SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id collides with vanishing odds; draw again if it does.
        loop {
            let data = encode(record)?;
            let expires = record.expiry_date.unix_timestamp();
            if self
                .store
                .create_session(&record.id.to_string(), account_of(record), &data, expires)
                .await
                .map_err(backend)?
            {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        self.store
            .save_session(
                &record.id.to_string(),
                account_of(record),
                &data,
                record.expiry_date.unix_timestamp(),
            )
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self
            .store
            .load_session(&id.to_string(), now())
            .await
            .map_err(backend)?
        {
            Some(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| Error::Decode(e.to_string())),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store
            .delete_session(&id.to_string())
            .await
            .map_err(backend)
    }
}

/// Every `period`, until the process ends: forget expired sessions, old
/// failed sign-ins and old rate-limit hits, and apply the retention period
/// (the first run at once; with several servers, whichever gets the turn).
pub async fn housekeeping(app: multiplier_app::App, period: std::time::Duration) {
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        match app.housekeeping().await {
            Ok(None) => {
                tracing::debug!("another server is doing the housekeeping; skipped this round")
            }
            Ok(Some(done)) => {
                if done.sessions_removed + done.failures_removed + done.rate_hits_removed > 0 {
                    tracing::debug!(
                        sessions = done.sessions_removed,
                        failures = done.failures_removed,
                        rate_hits = done.rate_hits_removed,
                        "expired sign-in and rate-limit records removed"
                    );
                }
                if done.search_index_merges > 0 {
                    tracing::info!(
                        steps = done.search_index_merges,
                        "full-text index merged into one piece"
                    );
                }
                if !done.retention.erased.is_empty() {
                    tracing::info!(
                        erased = done.retention.erased.len(),
                        months = done.retention.months,
                        "candidates erased at the end of the retention period"
                    );
                }
            }
            Err(e) => tracing::warn!(error = %e, "housekeeping failed; it runs again in an hour"),
        }
    }
}
