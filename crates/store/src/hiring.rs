//! The hiring loop's records and the `HiringStore` capability. Every write takes the
//! acting person and appends an audit entry in the same transaction.

use jiff::Timestamp;
use jiff::civil::Date;
use multiplier_core::pipeline::{FlagResolution, Outcome, PlanStep, Reference, Scorecard};
use serde::Serialize;
use std::fmt;
use std::future::Future;
use std::str::FromStr;

use crate::{RoleId, StoreError};

macro_rules! id_type {
    ($name:ident, $what:literal, $list:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0.to_string())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                s.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .map($name)
                    .ok_or_else(|| {
                        format!(
                            concat!(
                                "`{}` is not ",
                                $what,
                                " id (a positive whole number, see `",
                                $list,
                                "`)"
                            ),
                            s
                        )
                    })
            }
        }
    };
}

id_type!(OpeningId, "an opening", "multiplier opening list");
id_type!(CandidateId, "a candidate", "multiplier candidate search");

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningRecord {
    pub id: OpeningId,
    pub role: RoleId,
    pub title: String,
    pub manager: String,
    pub status: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewCandidate {
    pub opening: OpeningId,
    pub name: String,
    pub email: Option<String>,
    pub internal: bool,
    /// Promotion-trap check for internal candidates: do they want the leadership work?
    pub wants_leadership: Option<String>,
    /// And what will they give up for it?
    pub gives_up: Option<String>,
    pub stage: String,
}

/// A candidate's details as a person may correct them (name, e-mail, the
/// promotion-trap answers); the stage changes through a move, never an edit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateDetails {
    pub name: String,
    pub email: Option<String>,
    pub internal: bool,
    pub wants_leadership: Option<String>,
    pub gives_up: Option<String>,
}

/// Whether a scorecard is the first for its stage and interviewer or replaces it.
/// The store assigns the version inside the write transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submission {
    /// Version 1; refused when one is already in.
    First,
    /// The next version; refused when there is nothing to amend, or when the card
    /// was already amended `at_most` times (checked inside the write
    /// transaction, so amendments at once cannot slip past it).
    Amendment { at_most: u32 },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateRecord {
    pub id: CandidateId,
    pub opening: OpeningId,
    pub name: String,
    pub email: Option<String>,
    pub internal: bool,
    pub wants_leadership: Option<String>,
    pub gives_up: Option<String>,
    pub stage: String,
    pub created_at: Timestamp,
    /// `active`, `on-hold`, `rejected`, `withdrawn` or `hired`
    /// ([`multiplier_core::pipeline::CandidateStatus`]).
    pub status: String,
    /// The rejection reason's id, or the note given with another status.
    pub status_reason: Option<String>,
    /// `added-by-staff`, `applied` or `imported`.
    pub source: String,
    /// The links an applicant gave, one per line.
    pub links: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub stage: String,
    pub interviewer: String,
    /// When the interviewer was assigned: the scorecard is due from then.
    pub assigned_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorecardRecord {
    pub id: i64,
    pub candidate: CandidateId,
    pub card: Scorecard,
    pub submitted_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRecord {
    pub id: i64,
    pub candidate: CandidateId,
    /// e.g. `code-review-grade`, `assessment-flags`.
    pub kind: String,
    /// Where it came from (a file name, a command).
    pub source: String,
    pub body: serde_json::Value,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferenceRecord {
    pub id: i64,
    pub candidate: CandidateId,
    pub reference: Reference,
    /// The account that recorded it (empty for references stored before this
    /// was kept).
    pub recorded_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub candidate: CandidateId,
    pub decided_by: String,
    pub outcome: Outcome,
    pub rationale: String,
    /// What the decision policy said at the time.
    pub meets_bar: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferRecord {
    pub id: i64,
    pub candidate: CandidateId,
    pub offer: serde_json::Value,
    pub status: String,
    pub start_date: Option<Date>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepDone {
    pub step: String,
    pub done_by: String,
    pub note: String,
    pub at: Timestamp,
}

/// One step of a dated onboarding plan with its progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepProgress {
    #[serde(flatten)]
    pub step: PlanStep,
    pub done: Option<StepDone>,
    /// Not done, and its due date is before `today`.
    pub overdue: bool,
}

/// The plan's steps with what is done and what is overdue on `today`.
pub fn onboarding_progress(
    plan: Vec<PlanStep>,
    done: &[StepDone],
    today: Date,
) -> Vec<StepProgress> {
    plan.into_iter()
        .map(|step| {
            let done = done.iter().find(|d| d.step == step.id).cloned();
            let overdue = done.is_none() && step.due < today;
            StepProgress {
                step,
                done,
                overdue,
            }
        })
        .collect()
}

/// The start date of the latest accepted offer: day 0 of the onboarding plan.
pub fn onboarding_start(offers: &[OfferRecord]) -> Option<Date> {
    offers.iter().rev().find_map(|o| o.start_date)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    /// The thing changed, as `kind:id` (e.g. `candidate:3`); never personal data.
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Exact subject, e.g. `candidate:3`.
    pub subject: Option<String>,
    pub since: Option<Timestamp>,
    pub limit: Option<u32>,
    /// Any one of these subjects (empty: no restriction), e.g. an opening and
    /// each of its candidates.
    pub subjects: Vec<String>,
    /// Only entries with an id below this: the cursor for paging back in time.
    pub before: Option<i64>,
    /// Only entries with an id above this: the cursor for paging forward.
    pub after: Option<i64>,
    /// Newest first (the limit then keeps the newest); oldest first otherwise.
    pub newest_first: bool,
}

type R<T> = Result<T, StoreError>;

/// The hiring loop's persistence.
pub trait HiringStore {
    fn add_opening(
        &self,
        actor: &str,
        role: RoleId,
        title: &str,
        manager: &str,
    ) -> impl Future<Output = R<OpeningId>> + Send;
    fn opening(&self, id: OpeningId) -> impl Future<Output = R<Option<OpeningRecord>>> + Send;
    fn openings(&self) -> impl Future<Output = R<Vec<OpeningRecord>>> + Send;
    fn add_candidate(
        &self,
        actor: &str,
        candidate: &NewCandidate,
    ) -> impl Future<Output = R<CandidateId>> + Send;
    /// Replace a candidate's details; audited as `candidate.edit` (naming the
    /// fields changed, never their values).
    fn edit_candidate(
        &self,
        actor: &str,
        id: CandidateId,
        details: &CandidateDetails,
    ) -> impl Future<Output = R<()>> + Send;
    fn candidate(&self, id: CandidateId)
    -> impl Future<Output = R<Option<CandidateRecord>>> + Send;
    /// Candidates of one opening, or of all when `None`, oldest first.
    fn candidates(
        &self,
        opening: Option<OpeningId>,
    ) -> impl Future<Output = R<Vec<CandidateRecord>>> + Send;
    fn move_candidate(
        &self,
        actor: &str,
        id: CandidateId,
        stage: &str,
    ) -> impl Future<Output = R<()>> + Send;
    fn assign(
        &self,
        actor: &str,
        id: CandidateId,
        stage: &str,
        interviewer: &str,
    ) -> impl Future<Output = R<()>> + Send;
    /// Assign one interviewer to several stages in one transaction, one audit
    /// entry (`interviewer.assign`) per stage; a stage already assigned stays.
    fn assign_stages(
        &self,
        actor: &str,
        id: CandidateId,
        stages: &[String],
        interviewer: &str,
    ) -> impl Future<Output = R<()>> + Send;
    /// Remove an interviewer from a stage; audited as `interviewer.unassign`.
    /// Not found when they were not assigned to it.
    fn unassign(
        &self,
        actor: &str,
        id: CandidateId,
        stage: &str,
        interviewer: &str,
    ) -> impl Future<Output = R<()>> + Send;
    fn assignments(&self, id: CandidateId) -> impl Future<Output = R<Vec<Assignment>>> + Send;
    /// Every assignment of one interviewer, across candidates, oldest first.
    fn assignments_of(
        &self,
        interviewer: &str,
    ) -> impl Future<Output = R<Vec<(CandidateId, Assignment)>>> + Send;
    /// Append a scorecard for `card.stage` and `card.interviewer`. The version is
    /// assigned inside the write transaction (1 for a first submission, the next
    /// one for an amendment), whatever `card.version` says; the unique constraint
    /// on (candidate, stage, interviewer, version) backs this up. Refused when a
    /// first submission already exists or an amendment has nothing to amend.
    fn submit_scorecard(
        &self,
        actor: &str,
        id: CandidateId,
        card: &Scorecard,
        submission: Submission,
    ) -> impl Future<Output = R<ScorecardRecord>> + Send;
    fn scorecards(&self, id: CandidateId) -> impl Future<Output = R<Vec<ScorecardRecord>>> + Send;
    fn add_evidence(
        &self,
        actor: &str,
        id: CandidateId,
        kind: &str,
        source: &str,
        body: &serde_json::Value,
    ) -> impl Future<Output = R<i64>> + Send;
    fn evidence(&self, id: CandidateId) -> impl Future<Output = R<Vec<EvidenceRecord>>> + Send;
    fn add_reference(
        &self,
        actor: &str,
        id: CandidateId,
        reference: &Reference,
    ) -> impl Future<Output = R<i64>> + Send;
    fn references(&self, id: CandidateId) -> impl Future<Output = R<Vec<ReferenceRecord>>> + Send;
    fn resolve_flag(
        &self,
        actor: &str,
        id: CandidateId,
        resolution: &FlagResolution,
    ) -> impl Future<Output = R<()>> + Send;
    fn resolutions(&self, id: CandidateId) -> impl Future<Output = R<Vec<FlagResolution>>> + Send;
    fn record_decision(
        &self,
        actor: &str,
        id: CandidateId,
        outcome: Outcome,
        rationale: &str,
        meets_bar: bool,
    ) -> impl Future<Output = R<i64>> + Send;
    fn decisions(&self, id: CandidateId) -> impl Future<Output = R<Vec<DecisionRecord>>> + Send;
    fn record_offer(
        &self,
        actor: &str,
        id: CandidateId,
        offer: &serde_json::Value,
    ) -> impl Future<Output = R<i64>> + Send;
    /// Mark the latest offer accepted with a start date.
    fn accept_offer(
        &self,
        actor: &str,
        id: CandidateId,
        start: Date,
    ) -> impl Future<Output = R<()>> + Send;
    fn offers(&self, id: CandidateId) -> impl Future<Output = R<Vec<OfferRecord>>> + Send;
    fn mark_step_done(
        &self,
        actor: &str,
        id: CandidateId,
        step: &str,
        note: &str,
    ) -> impl Future<Output = R<()>> + Send;
    fn steps_done(&self, id: CandidateId) -> impl Future<Output = R<Vec<StepDone>>> + Send;
    fn audit(&self, filter: &AuditFilter) -> impl Future<Output = R<Vec<AuditEntry>>> + Send;
}

/// A decision's outcome as stored, read back. Text this version cannot read is
/// an error naming the decision, so an operator can find the row to mend.
pub(crate) fn decision_outcome(id: i64, text: &str) -> Result<Outcome, StoreError> {
    Outcome::parse(text).ok_or_else(|| StoreError::Corrupt {
        what: "decision outcome",
        detail: format!("decision {id}: {text:?}"),
    })
}

/// The audit log's query after `SELECT … FROM audit WHERE 1 = 1`: the
/// filters, the order and the limit of `f` (shared by [`HiringStore::audit`]
/// and the query-plan check), on either backend: `like` and `since` are how
/// it spells a prefix match on the action and "at or after" on the time.
pub(crate) fn push_audit_filter<DB>(
    q: &mut sqlx::QueryBuilder<DB>,
    f: &AuditFilter,
    like: &str,
    since_at: &str,
) where
    DB: sqlx::Database,
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    if let Some(actor) = &f.actor {
        q.push(" AND actor = ").push_bind(actor.clone());
    }
    if let Some(action) = &f.action {
        q.push(like).push_bind(format!("{action}%"));
    }
    if let Some(subject) = &f.subject {
        q.push(" AND subject = ").push_bind(subject.clone());
    }
    if let Some(since) = f.since {
        q.push(since_at).push_bind(since.to_string());
    }
    if !f.subjects.is_empty() {
        q.push(" AND subject IN (");
        let mut list = q.separated(", ");
        for s in &f.subjects {
            list.push_bind(s.clone());
        }
        q.push(")");
    }
    if let Some(before) = f.before {
        q.push(" AND id < ").push_bind(before);
    }
    if let Some(after) = f.after {
        q.push(" AND id > ").push_bind(after);
    }
    q.push(if f.newest_first {
        " ORDER BY id DESC"
    } else {
        " ORDER BY id"
    });
    if let Some(limit) = f.limit {
        // Written, not bound: SQLite prepares a statement again every time a
        // bound LIMIT changes (see `push_limit` in sqlite/lists.rs).
        q.push(format!(" LIMIT {limit}"));
    }
}

/// The audit log's columns, before its filters.
pub(crate) const AUDIT_SQL: &str =
    "SELECT id, at, actor, action, subject, detail FROM audit WHERE 1 = 1";

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use multiplier_core::Framework;
    use multiplier_core::pipeline::plan;

    fn done(step: &str) -> StepDone {
        StepDone {
            step: step.to_string(),
            done_by: "hm".to_string(),
            note: String::new(),
            at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_step_is_overdue_only_when_past_due_and_not_done() {
        let fw = Framework::default_framework().expect("framework");
        let start = date(2027, 1, 11);
        let steps = plan(&fw, start);
        let first = steps[0].id.clone();
        let later = onboarding_progress(steps, &[done(&first)], date(2027, 6, 1));
        assert!(later[0].done.is_some() && !later[0].overdue);
        assert!(later[1..].iter().all(|p| p.overdue && p.done.is_none()));
        let day_one = onboarding_progress(plan(&fw, start), &[], start);
        assert!(day_one[0].overdue, "access is due before day one");
        assert!(!day_one[1].overdue);
    }

    #[test]
    fn the_latest_accepted_offer_gives_the_start_date() {
        let offer = |id: i64, start: Option<Date>| OfferRecord {
            id,
            candidate: CandidateId(1),
            offer: serde_json::Value::Null,
            status: if start.is_some() { "accepted" } else { "made" }.to_string(),
            start_date: start,
            created_at: Timestamp::UNIX_EPOCH,
        };
        assert_eq!(onboarding_start(&[]), None);
        assert_eq!(onboarding_start(&[offer(1, None)]), None);
        let offers = [
            offer(1, Some(date(2027, 1, 11))),
            offer(2, Some(date(2027, 2, 1))),
            offer(3, None),
        ];
        assert_eq!(onboarding_start(&offers), Some(date(2027, 2, 1)));
    }
}
