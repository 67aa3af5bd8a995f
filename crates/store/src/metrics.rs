//! Saved delivery-metric snapshots per opening.

use crate::{OpeningId, StoreError};
use jiff::Timestamp;
use multiplier_core::delivery::Baseline;
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

/// A snapshot whose body is not a metrics report.
#[derive(Debug, thiserror::Error)]
#[error("snapshot {id} is not a metrics report")]
pub struct NotABaseline {
    pub id: i64,
    #[source]
    pub source: serde_json::Error,
}

/// An opening's baseline: the first snapshot of each kind (measured before the
/// hire), merged. `snapshots` oldest first, as [`MetricsStore::snapshots`] returns
/// them; no snapshot gives the empty baseline.
pub fn baseline(snapshots: &[SnapshotRecord]) -> Result<Baseline, NotABaseline> {
    let mut baseline = Baseline::default();
    let mut kinds: Vec<&str> = Vec::new();
    for s in snapshots {
        if kinds.contains(&s.kind.as_str()) {
            continue;
        }
        let b: Baseline = serde_json::from_value(s.body.clone())
            .map_err(|source| NotABaseline { id: s.id, source })?;
        baseline = baseline.merge(b);
        kinds.push(&s.kind);
    }
    Ok(baseline)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(id: i64, kind: &str, body: serde_json::Value) -> SnapshotRecord {
        SnapshotRecord {
            id,
            opening: OpeningId(1),
            kind: kind.to_string(),
            source: "test".to_string(),
            body,
            created_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_baseline_is_the_first_snapshot_of_each_kind() {
        let first = snapshot(1, "git", serde_json::json!({"deployments": 10}));
        let later = snapshot(2, "git", serde_json::json!({"deployments": 99}));
        let b = baseline(&[first, later]).unwrap();
        assert_eq!(b.deployments, Some(10));
        assert_eq!(baseline(&[]).unwrap(), Baseline::default());
        let bad = snapshot(3, "prs", serde_json::json!({"deployments": "many"}));
        assert_eq!(baseline(&[bad]).unwrap_err().id, 3);
    }
}
