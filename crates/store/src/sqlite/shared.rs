//! Rate hits and scan leases on SQLite.

use super::SqliteStore;
use super::hiring::commit;
use crate::StoreError;
use crate::shared::{Held, RateStore, Scan, ScanLease, ScanStore};
use sqlx::Row;

type R<T> = Result<T, StoreError>;

impl RateStore for SqliteStore {
    async fn hit(&self, bucket: &str, now: i64, window_start: i64, max: u32) -> R<bool> {
        let mut tx = self.begin().await?;
        let seen: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM rate_hits WHERE bucket = ? AND at > ?")
                .bind(bucket)
                .bind(window_start)
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::query("count rate hits"))?
                .try_get("n")
                .map_err(StoreError::query("read rate hits"))?;
        if seen >= i64::from(max) {
            return Ok(false);
        }
        sqlx::query("INSERT INTO rate_hits (bucket, at) VALUES (?, ?)")
            .bind(bucket)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("record a rate hit"))?;
        commit(tx).await?;
        Ok(true)
    }

    async fn purge_rate_hits(&self, before: i64) -> R<u64> {
        let done = sqlx::query("DELETE FROM rate_hits WHERE at < ?")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("forget old rate hits"))?;
        Ok(done.rows_affected())
    }
}

impl ScanStore for SqliteStore {
    async fn try_scan(&self, scan: Scan) -> R<Option<ScanLease>> {
        Ok(Some(ScanLease::new(scan, Held::Nothing)))
    }
}
