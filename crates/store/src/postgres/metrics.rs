//! MetricsStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl MetricsStore for PgStore {
    async fn save_snapshot(
        &self,
        _actor: &str,
        _opening: OpeningId,
        _kind: &str,
        _source: &str,
        _body: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        Err(super::unported("save_snapshot"))
    }
    async fn snapshots(&self, _opening: OpeningId) -> Result<Vec<SnapshotRecord>, StoreError> {
        Err(super::unported("snapshots"))
    }
}
