//! What several servers on one database share besides the records: rate
//! limits counted in the database, and the right to run a periodic scan.
//!
//! Every server runs the same background work (housekeeping, reminders). Work
//! that claims rows (the outbox) or writes idempotently needs nothing more;
//! a scan that would do the same work twice takes a [`ScanLease`] first, and
//! a server that cannot get one skips that round. On PostgreSQL the lease is
//! an advisory lock held for the scan; on SQLite, where one file means one
//! machine, it is always granted.

use crate::StoreError;
use std::future::Future;

/// Rate limits whose hits are kept in the database, so every server that
/// shares it counts the same hits.
pub trait RateStore {
    /// Count one hit on `bucket` at `now` (Unix seconds), unless `max` hits on
    /// it already fell after `window_start`: true when the hit was admitted
    /// (and recorded), false when over the limit (nothing recorded). Counting
    /// and recording are one write transaction, so hits arriving at once on
    /// several servers never pass the limit together.
    fn hit(
        &self,
        bucket: &str,
        now: i64,
        window_start: i64,
        max: u32,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// Forget hits before `before` (Unix seconds); returns how many.
    fn purge_rate_hits(&self, before: i64) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

/// A periodic scan that one server at a time runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scan {
    /// Expired sessions, old sign-in failures and rate hits, the retention period.
    Housekeeping,
    /// Scorecard reminders after interviews.
    Reminders,
}

impl Scan {
    /// The scan's advisory-lock key (the second half of a two-part key whose
    /// first half is [`SCAN_LOCK_SPACE`]).
    pub fn key(self) -> i32 {
        match self {
            Scan::Housekeeping => 1,
            Scan::Reminders => 2,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Scan::Housekeeping => "housekeeping",
            Scan::Reminders => "reminders",
        }
    }
}

/// The first half of every scan's advisory-lock key ("scan" in ASCII). Two-part
/// keys never collide with the one-part key of the write lock.
pub const SCAN_LOCK_SPACE: i32 = 0x7363_616e;

/// The right to run one [`Scan`] now. Held until [`ScanLease::release`] or
/// until dropped (a server that stops mid-scan frees it: on PostgreSQL the
/// lock ends with its transaction, or with the connection).
#[derive(Debug)]
pub struct ScanLease {
    scan: Scan,
    /// Held for its lock; ended by [`ScanLease::release`] or drop.
    held: Held,
}

#[derive(Debug)]
pub(crate) enum Held {
    /// SQLite: one file is one machine; nothing to hold.
    Nothing,
    /// PostgreSQL: a transaction holding `pg_try_advisory_xact_lock`.
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl ScanLease {
    pub(crate) fn new(scan: Scan, held: Held) -> ScanLease {
        ScanLease { scan, held }
    }

    pub fn scan(&self) -> Scan {
        self.scan
    }

    /// End the lease now (rather than when dropped).
    pub async fn release(self) -> Result<(), StoreError> {
        match self.held {
            Held::Nothing => Ok(()),
            Held::Postgres(tx) => tx
                .rollback()
                .await
                .map_err(StoreError::query("release a scan lock")),
        }
    }
}

/// Taking turns at periodic scans across servers.
pub trait ScanStore {
    /// The lease on `scan`, or `None` when another server holds it now (that
    /// server does this round's work; skip it).
    fn try_scan(
        &self,
        scan: Scan,
    ) -> impl Future<Output = Result<Option<ScanLease>, StoreError>> + Send;
}
