//! The outcome of a hire (issue 19): the repository an opening's delivery
//! snapshots are read from, the opening's hires with their start dates, and the
//! reminders sent 6 and 12 months after a start date, each queued once.
//!
//! Tables (migration 0016): `opening_repositories` (one row per opening) and
//! `outcome_reminders` (one row per hire and milestone, primary key
//! `(candidate_id, months)`, written in the transaction that queues the message).

use crate::mail::NewMessage;
use crate::{CandidateId, OpeningId, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use std::future::Future;

/// The hires (migration 0028), with the backend's filter by opening (`$f`, a
/// string literal): candidates marked hired and those with an offer that has
/// a start date, each set from its partial index, with the latest start date.
/// The outcome-reminder pass runs this at start and every hour; written as
/// `status = 'hired' OR EXISTS (an offer)` it read every candidate of the
/// file, and on SQLite left the whole table's pages in a pooled connection's
/// cache.
macro_rules! hires_sql {
    ($f:literal) => {
        concat!(
            "SELECT c.id, c.opening_id, c.erased_at,
                 (SELECT o.start_date FROM offers o
                   WHERE o.candidate_id = c.id AND o.start_date IS NOT NULL
                   ORDER BY o.id DESC LIMIT 1) AS start_date
             FROM candidates c
             WHERE c.id IN (SELECT h.id FROM candidates h WHERE h.status = 'hired'
                            UNION SELECT o.candidate_id FROM offers o WHERE o.start_date IS NOT NULL)
               AND ",
            $f,
            " ORDER BY c.id"
        )
    };
}
pub(crate) use hires_sql;

/// How an opening's deployments show in its repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "by", content = "value")]
pub enum DeployRule {
    /// Tags whose short name matches this glob (`v*`).
    Tags(String),
    /// Every first-parent commit of this branch.
    Branch(String),
}

/// Where an opening's team history lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepoSetting {
    /// A path on the server's machine (a working tree or a bare repository).
    pub path: String,
    pub deploy: DeployRule,
}

/// A repository setting as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepoRecord {
    pub opening: OpeningId,
    pub setting: RepoSetting,
    pub set_by: String,
    pub set_at: Timestamp,
}

/// A candidate hired into an opening: status `hired`, or an accepted offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HireRecord {
    pub candidate: CandidateId,
    pub opening: OpeningId,
    /// The start date of the latest accepted offer (none after erasure, which
    /// deletes the offers, or before an offer is accepted).
    pub start_date: Option<Date>,
    /// The candidate's personal data were erased.
    pub erased: bool,
}

/// An outcome reminder that was queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderRecord {
    pub candidate: CandidateId,
    pub opening: OpeningId,
    /// 6 or 12: months after the start date.
    pub months: u32,
    pub sent_at: Timestamp,
}

/// One outcome reminder to queue: the hire, the milestones it settles (a late
/// scan that finds both 6 and 12 due sends one message and settles both) and
/// the messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReminder {
    pub candidate: CandidateId,
    pub opening: OpeningId,
    pub months: Vec<u32>,
    pub mail: Vec<NewMessage>,
}

pub trait OutcomeStore {
    /// Set (or, with `None`, clear) the opening's repository; audited as
    /// `opening.repository`.
    fn set_repository(
        &self,
        actor: &str,
        opening: OpeningId,
        setting: Option<&RepoSetting>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn repository(
        &self,
        opening: OpeningId,
    ) -> impl Future<Output = Result<Option<RepoRecord>, StoreError>> + Send;
    /// The hires of one opening, or of every opening with `None`, by candidate id.
    fn hires(
        &self,
        opening: Option<OpeningId>,
    ) -> impl Future<Output = Result<Vec<HireRecord>, StoreError>> + Send;
    /// The outcome reminders queued, for one opening or all, oldest first.
    fn outcome_reminders(
        &self,
        opening: Option<OpeningId>,
    ) -> impl Future<Output = Result<Vec<ReminderRecord>, StoreError>> + Send;
    /// Record the reminder's milestones and queue its messages in one
    /// transaction (audited as `mail.outcome-reminder`). `false`, with nothing
    /// written, when any of the milestones was recorded already.
    fn queue_outcome_reminder(
        &self,
        actor: &str,
        reminder: &NewReminder,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}
