//! Bulk writes for generated data (`multiplier demo seed`): many candidates and
//! everything recorded about them in one transaction, used by the seeder only.
//!
//! Every other write in the store is one action with its own audit entry; a
//! seeded batch is one action too ("demo data"), so it gets **one audit entry per
//! batch**, naming the opening and the counts. The rows themselves are the same
//! rows the use cases write, so every page and query reads them as usual.

use crate::{CandidateId, NewCandidate, OpeningId, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use multiplier_core::pipeline::{Outcome, Reference, Scorecard};
use serde::Serialize;
use std::future::Future;

/// One generated candidate and what was recorded about them. Times are given
/// (spread over past months), not taken from the clock.
#[derive(Debug, Clone)]
pub struct SeedCandidate {
    pub candidate: NewCandidate,
    pub created_at: Timestamp,
    /// (stage, interviewer).
    pub assignments: Vec<(String, String)>,
    /// Submitted scorecards (version 1 unless amended), with their time.
    pub scorecards: Vec<(Scorecard, Timestamp)>,
    /// (reference, who recorded it).
    pub references: Vec<(Reference, String)>,
    /// (kind, source, body as its tool produced it).
    pub evidence: Vec<(String, String, serde_json::Value)>,
    pub decision: Option<SeedDecision>,
    pub offer: Option<SeedOffer>,
}

#[derive(Debug, Clone)]
pub struct SeedDecision {
    pub by: String,
    pub outcome: Outcome,
    pub rationale: String,
    pub meets_bar: bool,
}

#[derive(Debug, Clone)]
pub struct SeedOffer {
    pub body: serde_json::Value,
    /// `made`, `accepted` or `declined`.
    pub status: String,
    pub start: Option<Date>,
}

impl SeedCandidate {
    /// A candidate added at `created_at` with nothing recorded about them yet.
    pub fn new(candidate: NewCandidate, created_at: Timestamp) -> SeedCandidate {
        SeedCandidate {
            candidate,
            created_at,
            assignments: Vec::new(),
            scorecards: Vec::new(),
            references: Vec::new(),
            evidence: Vec::new(),
            decision: None,
            offer: None,
        }
    }
}

/// What a batch wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeedCounts {
    pub candidates: usize,
    pub assignments: usize,
    pub scorecards: usize,
    pub references: usize,
    pub evidence: usize,
    pub decisions: usize,
    pub offers: usize,
}

impl SeedCounts {
    pub fn add(&mut self, other: SeedCounts) {
        self.candidates += other.candidates;
        self.assignments += other.assignments;
        self.scorecards += other.scorecards;
        self.references += other.references;
        self.evidence += other.evidence;
        self.decisions += other.decisions;
        self.offers += other.offers;
    }

    /// The detail of a batch's `demo.seed` audit entry, on every backend.
    pub(crate) fn audit_detail(&self) -> String {
        format!(
            "{} candidates, {} assignments, {} scorecards, {} references, {} evidence, {} decisions, {} offers",
            self.candidates,
            self.assignments,
            self.scorecards,
            self.references,
            self.evidence,
            self.decisions,
            self.offers
        )
    }
}

pub trait SeedStore {
    /// Whether the database holds anything a person entered or a seed wrote
    /// (accounts, roles, openings or candidates).
    fn is_empty(&self) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// Write a batch of generated candidates of one opening in one transaction
    /// with one audit entry (`demo.seed`); answers the new candidates' ids in
    /// the order given, and the counts.
    fn seed_batch(
        &self,
        actor: &str,
        opening: OpeningId,
        batch: &[SeedCandidate],
    ) -> impl Future<Output = Result<(Vec<CandidateId>, SeedCounts), StoreError>> + Send;
    /// After a bulk load: bring the query planner's statistics up to date, so
    /// the first requests on a freshly seeded database are planned for its
    /// real size (PostgreSQL's `ANALYZE`; nothing on SQLite, whose plans for
    /// these queries do not depend on statistics).
    fn after_bulk_load(&self) -> impl Future<Output = Result<(), StoreError>> + Send;
}
