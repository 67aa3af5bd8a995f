//! The audit log's hash chain, online backups and checkpoints on SQLite.

use super::hiring::corrupt;
use super::{SqliteStore, now};
use crate::StoreError;
use crate::maintenance::{AuditCheck, BrokenEntry, ChainedFields, MaintenanceStore, entry_hash};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use std::path::Path;

type R<T> = Result<T, StoreError>;

/// Append one entry to the audit log inside `tx`, chained to the entry before it.
/// Every write transaction runs as a writer (`BEGIN IMMEDIATE`), so no other entry
/// can slip in between reading the last hash and inserting.
pub(crate) async fn append_audit(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> R<()> {
    let prev: String = sqlx::query("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::query("read the last audit entry"))?
        .map(|row| row.try_get("hash"))
        .transpose()
        .map_err(corrupt("audit entry"))?
        .unwrap_or_default();
    let at = now();
    let id: i64 = sqlx::query(
        "INSERT INTO audit (at, actor, action, subject, detail, prev_hash) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&at)
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(&prev)
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::query("append to the audit log"))?
    .try_get("id")
    .map_err(corrupt("audit entry"))?;
    let hash = entry_hash(
        &prev,
        &ChainedFields {
            id,
            at: &at,
            actor,
            action,
            subject,
            detail,
        },
    );
    sqlx::query("UPDATE audit SET hash = ? WHERE id = ?")
        .bind(hash)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::query("seal an audit entry"))?;
    Ok(())
}

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
    fn read(row: &SqliteRow) -> R<Entry> {
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

macro_rules! select_entries {
    () => {
        "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit"
    };
}

impl SqliteStore {
    /// Chain the entries written before the audit log was chained (once, on the
    /// first open after migration 0007), then forget where they ended.
    pub(crate) async fn seal_legacy_audit(&self) -> R<()> {
        let up_to: i64 = sqlx::query("SELECT COALESCE(MAX(up_to), 0) AS up_to FROM audit_legacy")
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::query("read the audit log's legacy mark"))?
            .try_get("up_to")
            .map_err(corrupt("audit legacy mark"))?;
        if up_to == 0 {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        let rows = sqlx::query(concat!(select_entries!(), " WHERE id <= ? ORDER BY id"))
            .bind(up_to)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::query("read the audit log"))?;
        let mut prev = String::new();
        for row in &rows {
            let e = Entry::read(row)?;
            let hash = e.expected_hash(&prev);
            sqlx::query("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?")
                .bind(&prev)
                .bind(&hash)
                .bind(e.id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("seal the audit log"))?;
            prev = hash;
        }
        sqlx::query("DELETE FROM audit_legacy")
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("clear the audit log's legacy mark"))?;
        super::hiring::commit(tx).await
    }

    /// Empty the write-ahead log into the main file (`wal_checkpoint(TRUNCATE)`),
    /// waiting for readers on older snapshots to finish.
    async fn truncate_wal(&self) -> R<()> {
        for _ in 0..50 {
            let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::query("checkpoint the write-ahead log"))?;
            let busy: i64 = row.try_get(0).map_err(corrupt("checkpoint result"))?;
            if busy == 0 {
                return Ok(());
            }
            // A reader still holds an older snapshot; give it a moment.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Err(StoreError::Refused(
            "the write-ahead log could not be emptied: readers kept older snapshots open for 5 seconds; run `multiplier retention run` again later to finish".to_string(),
        ))
    }
}

impl MaintenanceStore for SqliteStore {
    async fn verify_audit(&self) -> R<AuditCheck> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::query("read the audit log"))?;
        // Read in pages so a long log never sits in memory at once.
        let mut after = 0i64;
        let mut prev = String::new();
        let mut entries = 0u64;
        loop {
            let rows = sqlx::query(concat!(
                select_entries!(),
                " WHERE id > ? ORDER BY id LIMIT 1000"
            ))
            .bind(after)
            .fetch_all(&mut *conn)
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

    async fn backup(&self, out: &Path) -> R<()> {
        let Some(text) = out.to_str() else {
            return Err(StoreError::Refused(format!(
                "{} is not a path SQLite can write to (it is not valid UTF-8)",
                out.display()
            )));
        };
        if out.exists() {
            return Err(StoreError::Refused(format!(
                "{} already exists; choose a new file name for the backup",
                out.display()
            )));
        }
        // VACUUM INTO reads one consistent snapshot and writes a compact copy:
        // free pages (and whatever was erased from them) are not carried over.
        sqlx::query("VACUUM INTO ?")
            .bind(text)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("write a backup"))?;
        Ok(())
    }

    async fn checkpoint(&self) -> R<()> {
        self.truncate_wal().await
    }

    /// FTS5's `merge` with a negative page count merges every segment into
    /// one, [`MERGE_PAGES`] pages a statement; each statement is its own write
    /// transaction, so writers wait at most one step (73 steps took about
    /// 0.6 s at 10,000 candidates), and a step that changed fewer than two
    /// rows found nothing left to merge (FTS5's documented test). On a
    /// [`SqliteStore::pass_connection`].
    async fn compact_search_index(&self) -> R<u32> {
        const WHAT: &str = "merge the full-text index";
        let segments: i64 = sqlx::query_scalar("SELECT count(DISTINCT segid) FROM search_text_idx")
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::query("count the full-text index's segments"))?;
        if segments <= i64::from(crate::maintenance::SEARCH_SEGMENTS_MAX) {
            return Ok(0);
        }
        let mut conn = self.pass_connection(WHAT).await?;
        let mut steps = 0_u32;
        // Every step merges MERGE_PAGES pages; the cap only guards against
        // an index that never reports being done.
        while steps < 100_000 {
            let before: i64 = sqlx::query_scalar("SELECT total_changes()")
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::query(WHAT))?;
            sqlx::query("INSERT INTO search_text(search_text, rank) VALUES ('merge', ?)")
                .bind(-MERGE_PAGES)
                .execute(&mut *conn)
                .await
                .map_err(StoreError::query(WHAT))?;
            steps += 1;
            let after: i64 = sqlx::query_scalar("SELECT total_changes()")
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::query(WHAT))?;
            if after - before < 2 {
                break;
            }
        }
        Ok(steps)
    }
}

/// Pages of the full-text index one merge statement writes (400 KiB).
const MERGE_PAGES: i64 = 100;

/// Restore the SQLite backup at `backup` as the database file `target`. The
/// backup is opened read-only and must pass SQLite's integrity check and hold
/// multiplier's migrations table. It is written next to the target through
/// `VACUUM INTO`, then moved into place, removing the old database's
/// write-ahead log and shared-memory files; the server must be stopped.
pub(crate) async fn restore_file(backup: &Path, target: &Path, replace: bool) -> R<()> {
    use sqlx::ConnectOptions;
    use sqlx::sqlite::SqliteConnectOptions;
    let location = target.display().to_string();
    if !backup.is_file() {
        return Err(StoreError::NotFound {
            what: "backup file",
            id: backup.display().to_string(),
        });
    }
    if target.exists() && !replace {
        return Err(StoreError::Refused(format!(
            "{location} already exists; stop the server and pass --replace to overwrite it, or restore to a new path"
        )));
    }
    let refuse = |why: String| {
        StoreError::Refused(format!(
            "{} is not a usable backup: {why}",
            backup.display()
        ))
    };
    let mut conn = SqliteConnectOptions::new()
        .filename(backup)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| refuse(e.to_string()))?;
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| refuse(e.to_string()))?
        .try_get(0)
        .map_err(|e| refuse(e.to_string()))?;
    if check != "ok" {
        return Err(refuse(format!("SQLite's integrity check says: {check}")));
    }
    let migrated = sqlx::query(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'candidates', 'audit')",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(|e| refuse(e.to_string()))?
    .try_get::<i64, _>(0)
    .map_err(|e| refuse(e.to_string()))?;
    if migrated != 3 {
        return Err(refuse("it is not a multiplier database".to_string()));
    }
    let staging = target.with_file_name(format!(
        ".{}.restoring",
        target
            .file_name()
            .map_or_else(|| "multiplier.db".into(), |n| n.to_string_lossy())
    ));
    let _ = std::fs::remove_file(&staging);
    let Some(staging_text) = staging.to_str() else {
        return Err(StoreError::Refused(format!(
            "{location} is not a path SQLite can write to (it is not valid UTF-8)"
        )));
    };
    sqlx::query("VACUUM INTO ?")
        .bind(staging_text)
        .execute(&mut conn)
        .await
        .map_err(StoreError::query("copy the backup"))?;
    drop(conn);
    let io = |action: &'static str| {
        move |e: std::io::Error| StoreError::Refused(format!("cannot {action} for {location}: {e}"))
    };
    for suffix in ["-wal", "-shm"] {
        let side = target.with_file_name(format!(
            "{}{suffix}",
            target
                .file_name()
                .map_or_else(Default::default, |n| n.to_string_lossy())
        ));
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("remove the old write-ahead log")(e)),
        }
    }
    std::fs::rename(&staging, target).map_err(io("move the restored copy into place"))?;
    Ok(())
}
