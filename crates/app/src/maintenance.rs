//! The database as a whole: verifying the audit log's hash chain, online
//! backups and restoring one, and the housekeeping a server runs on its own.

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::retention::RetentionReport;
use multiplier_store::{
    AuditCheck, CopyReport, MaintenanceStore, RateStore, Scan, ScanStore, TableCopied,
};
use serde::Serialize;
use std::path::Path;

fn require_administrator(actor: &Actor, what: &str) -> AppResult<()> {
    if actor.administers() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only an admin (or the operator on the server's machine) may {what}"
        )))
    }
}

/// What the server's periodic housekeeping did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Housekeeping {
    pub sessions_removed: u64,
    pub failures_removed: u64,
    /// Careers-page rate-limit hits older than their window.
    pub rate_hits_removed: u64,
    pub retention: RetentionReport,
    /// Merge steps that put the full-text index back into one piece (0 when
    /// it was whole enough; see `multiplier_store::SEARCH_SEGMENTS_MAX`).
    pub search_index_merges: u32,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    /// The database written.
    pub database: String,
    /// The restored audit log's check (run on the restored copy).
    pub audit: AuditCheck,
}

impl App {
    /// Walk the audit log's hash chain (admins and the operator).
    pub async fn verify_audit(&self, actor: &Actor) -> AppResult<AuditCheck> {
        require_administrator(actor, "verify the audit log")?;
        Ok(self.store.verify_audit().await?)
    }

    /// Write a consistent copy of the database to `out`, a new file, while the
    /// server keeps running (admins and the operator). Free pages are not
    /// copied, so data erased before the backup is not in it.
    pub async fn backup(&self, actor: &Actor, out: &Path) -> AppResult<()> {
        require_administrator(actor, "back up the database")?;
        Ok(self.store.backup(out).await?)
    }

    /// Forget expired sessions, old failed sign-ins and old rate-limit hits,
    /// and apply the retention period: what `multiplier serve` runs on its
    /// own, as the local operator. With several servers on one database one
    /// of them does it at a time: `None` when another server is doing it now.
    pub async fn housekeeping(&self) -> AppResult<Option<Housekeeping>> {
        let Some(lease) = self.store.try_scan(Scan::Housekeeping).await? else {
            return Ok(None);
        };
        let now = jiff::Timestamp::now();
        let (sessions_removed, failures_removed) = self.purge_sign_in_records().await?;
        let rate_hits_removed = self
            .store
            .purge_rate_hits(now.as_second() - crate::applications::APPLICATION_WINDOW_SECONDS)
            .await?;
        let retention = self.apply_retention(&Actor::Operator, now).await?;
        let search_index_merges = self.store.compact_search_index().await?;
        lease.release().await?;
        Ok(Some(Housekeeping {
            sessions_removed,
            failures_removed,
            rate_hits_removed,
            retention,
            search_index_merges,
        }))
    }
}

/// Restore the backup at `backup` as the database at `location` (the local
/// operator, with the server stopped). The backup is checked first (SQLite's
/// integrity check, and that it is a multiplier database); an existing database
/// is replaced only with `replace`. The restored database is opened, brought up
/// to date and its audit log verified.
pub async fn restore(backup: &Path, location: &str, replace: bool) -> AppResult<RestoreReport> {
    let target = multiplier_store::restore(backup, location, replace).await?;
    let store = multiplier_store::open(&target).await?;
    let audit = store.verify_audit().await?;
    store.close().await?;
    Ok(RestoreReport {
        database: target,
        audit,
    })
}

/// Copy the SQLite database at `from` into the empty PostgreSQL database at
/// `to` (the local operator, with the servers stopped): every table, ids kept,
/// row counts compared before the commit, then the audit chain walked on the
/// target (`CopyReport::verified`). `progress` hears of each table copied.
/// Refused when `from` is not SQLite, `to` is not PostgreSQL, or the target
/// holds any row.
pub async fn migrate(
    from: &str,
    to: &str,
    progress: impl FnMut(&TableCopied),
) -> AppResult<CopyReport> {
    Ok(multiplier_store::copy_sqlite_to_postgres(from, to, progress).await?)
}
