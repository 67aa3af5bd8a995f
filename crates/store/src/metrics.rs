//! Saved delivery-metric snapshots per opening.

use crate::{OpeningId, StoreError};
use jiff::Timestamp;
use serde::Serialize;
use std::future::Future;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotRecord {
    pub id: i64,
    pub opening: OpeningId,
    /// `git`, `deploys` or `prs`: which command produced it.
    pub kind: String,
    pub source: String,
    pub body: serde_json::Value,
    pub created_at: Timestamp,
}

pub trait MetricsStore {
    fn save_snapshot(
        &self,
        actor: &str,
        opening: OpeningId,
        kind: &str,
        source: &str,
        body: &serde_json::Value,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// Oldest first: the first is the baseline.
    fn snapshots(
        &self,
        opening: OpeningId,
    ) -> impl Future<Output = Result<Vec<SnapshotRecord>, StoreError>> + Send;
}
