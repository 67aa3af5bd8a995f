//! MaintenanceStore on PostgreSQL: the audit chain is walked as on SQLite;
//! backups are the server's business (`pg_dump`), and there is no write-ahead
//! log of ours to empty.

use super::{PgStore, R, corrupt};
use crate::StoreError;
use crate::maintenance::{
    AuditCheck, BrokenEntry, ChainedFields, MaintenanceStore, PG_BACKUP, entry_hash,
};
use sqlx::Row;
use sqlx::postgres::PgRow;
use std::path::Path;

struct Entry {
    id: i64,
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

impl Entry {
    fn read(row: &PgRow) -> R<Entry> {
        let what = "audit entry";
        Ok(Entry {
            id: row.try_get("id").map_err(corrupt(what))?,
            at: row.try_get("at").map_err(corrupt(what))?,
            actor: row.try_get("actor").map_err(corrupt(what))?,
            action: row.try_get("action").map_err(corrupt(what))?,
            subject: row.try_get("subject").map_err(corrupt(what))?,
            detail: row.try_get("detail").map_err(corrupt(what))?,
            prev_hash: row.try_get("prev_hash").map_err(corrupt(what))?,
            hash: row.try_get("hash").map_err(corrupt(what))?,
        })
    }

    fn expected_hash(&self, prev: &str) -> String {
        entry_hash(
            prev,
            &ChainedFields {
                id: self.id,
                at: &self.at,
                actor: &self.actor,
                action: &self.action,
                subject: &self.subject,
                detail: &self.detail,
            },
        )
    }
}

impl MaintenanceStore for PgStore {
    async fn verify_audit(&self) -> R<AuditCheck> {
        // Read in pages so a long log never sits in memory at once.
        let mut after = 0i64;
        let mut prev = String::new();
        let mut entries = 0u64;
        loop {
            let rows = sqlx::query(
                "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit \
                 WHERE id > $1 ORDER BY id LIMIT 1000",
            )
            .bind(after)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read the audit log"))?;
            let Some(last) = rows.last() else { break };
            after = Entry::read(last)?.id;
            for row in &rows {
                let e = Entry::read(row)?;
                entries += 1;
                let broken = |reason: &str| {
                    Ok(AuditCheck {
                        entries,
                        head: prev.clone(),
                        broken: Some(BrokenEntry {
                            id: e.id,
                            reason: reason.to_string(),
                        }),
                    })
                };
                if e.prev_hash != prev {
                    return broken(
                        "it does not link to the entry before it (an entry before it was removed or changed, or this one was inserted)",
                    );
                }
                if e.hash != e.expected_hash(&prev) {
                    return broken("its fields do not match its hash (the entry was edited)");
                }
                prev = e.hash;
            }
        }
        Ok(AuditCheck {
            entries,
            head: prev,
            broken: None,
        })
    }

    /// Refused: a consistent copy of a PostgreSQL database is `pg_dump`'s job,
    /// and this process may not even run on the database's machine.
    async fn backup(&self, _out: &Path) -> R<()> {
        Err(StoreError::Refused(PG_BACKUP.to_string()))
    }

    /// Nothing to do: the server manages its own write-ahead log.
    async fn checkpoint(&self) -> R<()> {
        Ok(())
    }

    /// PostgreSQL keeps its GIN index itself (autovacuum merges the pending
    /// entries): nothing to do.
    async fn compact_search_index(&self) -> R<u32> {
        Ok(0)
    }
}
