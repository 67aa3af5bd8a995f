//! Rate hits and scan leases on PostgreSQL.

use super::{PgStore, R, commit, get};
use crate::StoreError;
use crate::shared::{Held, RateStore, SCAN_LOCK_SPACE, Scan, ScanLease, ScanStore};

impl RateStore for PgStore {
    async fn hit(&self, bucket: &str, now: i64, window_start: i64, max: u32) -> R<bool> {
        // Under the write lock: count-then-insert is one step across servers.
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM rate_hits WHERE bucket = $1 AND at > $2")
            .bind(bucket)
            .bind(window_start)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::query("count rate hits"))?;
        let seen: i64 = get(&row, "n", "rate hits")?;
        if seen >= i64::from(max) {
            return Ok(false);
        }
        sqlx::query("INSERT INTO rate_hits (bucket, at) VALUES ($1, $2)")
            .bind(bucket)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("record a rate hit"))?;
        commit(tx).await?;
        Ok(true)
    }

    async fn purge_rate_hits(&self, before: i64) -> R<u64> {
        let done = sqlx::query("DELETE FROM rate_hits WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("forget old rate hits"))?;
        Ok(done.rows_affected())
    }
}

impl ScanStore for PgStore {
    async fn try_scan(&self, scan: Scan) -> R<Option<ScanLease>> {
        // A transaction-scoped advisory lock, held by a transaction kept open
        // for the scan: it ends with the transaction, however the scan ends
        // (release, drop, a server that dies), never left behind on a pooled
        // connection. The scan's own writes go through other connections.
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("start a scan"))?;
        let row = sqlx::query("SELECT pg_try_advisory_xact_lock($1, $2) AS got")
            .bind(SCAN_LOCK_SPACE)
            .bind(scan.key())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::query("try a scan lock"))?;
        let got: bool = get(&row, "got", "scan lock")?;
        if !got {
            tx.rollback()
                .await
                .map_err(StoreError::query("end a scan lock attempt"))?;
            return Ok(None);
        }
        Ok(Some(ScanLease::new(scan, Held::Postgres(tx))))
    }
}
