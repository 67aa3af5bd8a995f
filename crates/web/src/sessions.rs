//! tower-sessions' `SessionStore` over multiplier's own database, so sessions live
//! wherever the rest of the data lives (SQLite file or, later, PostgreSQL).

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
                .create_session(&record.id.to_string(), &data, expires)
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

/// Remove expired sessions every `period`, until the process ends.
pub async fn purge_expired(store: Store, period: std::time::Duration) {
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        match store.purge_sessions(now()).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(removed = n, "expired sessions removed"),
            Err(e) => tracing::warn!(error = %e, "cannot remove expired sessions"),
        }
    }
}
