//! The retention period: candidates' personal data are erased a number of months
//! (the framework's `[retention] months`) after the last thing recorded about
//! them. `multiplier serve` runs this daily; `multiplier retention run` on demand.

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::portal::ErasureReason;
use jiff::{Timestamp, ToSpan, tz::TimeZone};
use multiplier_store::{CandidateId, PortalStore, StoreError};
use serde::Serialize;

/// The name the audit log gives erasures made by the retention period.
pub const RETENTION_ACTOR: &str = "retention period";

/// What one retention run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    /// The period applied, from the framework.
    pub months: u32,
    /// Candidates whose last record is older than this were erased.
    pub cutoff: Timestamp,
    pub erased: Vec<CandidateId>,
    /// Every erasure's write-ahead log was emptied afterwards.
    pub flushed: bool,
}

impl App {
    /// Erase every candidate whose last record is older than the retention
    /// period at `now` (admins and the operator). Each erasure is its own
    /// transaction with its own audit entry (actor [`RETENTION_ACTOR`], reason
    /// `retention`), so a failure part-way keeps what was done.
    pub async fn apply_retention(
        &self,
        actor: &Actor,
        now: Timestamp,
    ) -> AppResult<RetentionReport> {
        if !actor.administers() {
            return Err(AppError::Forbidden(
                "only an admin (or the operator on the server's machine) may apply the retention period"
                    .to_string(),
            ));
        }
        let months = self.framework.retention.months;
        let cutoff = now
            .to_zoned_datetime(TimeZone::UTC)
            .checked_sub(i64::from(months).months())
            .map_err(|e| AppError::Internal(format!("cannot compute the retention cutoff: {e}")))?
            .timestamp();
        let due = self.store.inactive_candidates(cutoff).await?;
        let mut erased = Vec::with_capacity(due.len());
        let mut flushed = true;
        for id in due {
            let done = match self
                .store
                .erase_candidate(RETENTION_ACTOR, id, ErasureReason::Retention.id())
                .await
            {
                Ok(done) => done,
                // Erased meanwhile (by a person, or by another server's run):
                // nothing left to do, and not this run's erasure.
                Err(StoreError::Refused(_)) => continue,
                Err(e) => return Err(e.into()),
            };
            flushed &= done.flushed;
            erased.push(id);
        }
        Ok(RetentionReport {
            months,
            cutoff,
            erased,
            flushed,
        })
    }
}
