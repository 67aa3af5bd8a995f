//! Metric snapshots on PostgreSQL (the same behaviour as `sqlite/metrics.rs`).

use super::{PgStore, audit, commit, missing_or, now, timestamp};
use crate::metrics::{MetricsStore, SnapshotRecord};
use crate::{OpeningId, StoreError};
use sqlx::Row;

impl MetricsStore for PgStore {
    async fn save_snapshot(
        &self,
        actor: &str,
        opening: OpeningId,
        kind: &str,
        source: &str,
        body: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let text = serde_json::to_string(body).map_err(|e| StoreError::Encode {
            what: "metrics snapshot",
            detail: e.to_string(),
        })?;
        let id: i64 = sqlx::query("INSERT INTO metric_snapshots (opening_id, kind, source, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(opening.0)
            .bind(kind)
            .bind(source)
            .bind(text)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(missing_or("opening", opening.to_string(), "save a metrics snapshot"))?
            .try_get("id")
            .map_err(StoreError::query("read the snapshot id"))?;
        audit(
            &mut tx,
            actor,
            "metrics.save",
            format!("opening:{opening}"),
            format!("{kind} snapshot {id}"),
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn snapshots(&self, opening: OpeningId) -> Result<Vec<SnapshotRecord>, StoreError> {
        sqlx::query("SELECT id, kind, source, body, created_at FROM metric_snapshots WHERE opening_id = $1 ORDER BY id")
            .bind(opening.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list metrics snapshots"))?
            .iter()
            .map(|row| {
                let get = |e: sqlx::Error| StoreError::Corrupt { what: "metrics snapshot", detail: e.to_string() };
                let body: String = row.try_get("body").map_err(get)?;
                Ok(SnapshotRecord {
                    id: row.try_get("id").map_err(get)?,
                    opening,
                    kind: row.try_get("kind").map_err(get)?,
                    source: row.try_get("source").map_err(get)?,
                    body: serde_json::from_str(&body).map_err(|e| StoreError::Corrupt { what: "metrics snapshot", detail: e.to_string() })?,
                    created_at: timestamp(&row.try_get::<String, _>("created_at").map_err(get)?)?,
                })
            })
            .collect()
    }
}
