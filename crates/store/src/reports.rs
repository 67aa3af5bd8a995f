//! What the reports read (issue 19): the anonymous journeys the funnel is
//! computed on, the outcomes and instrument scores the adverse-impact tables
//! are computed on, and the voluntary self-identification they group by.
//!
//! The rule of this module: **a candidate's category never leaves the store
//! beside who they are.** Writes take a candidate id (the apply form and the
//! portal know whose answer it is); every read is aggregated (counts and sums
//! per category) or anonymous (journeys carry no id, no name, no category).
//! The one per-candidate read, [`ReportStore::self_id_given`], says only
//! whether and when an answer was given, never what it was.

use crate::StoreError;
use crate::hiring::{CandidateId, OpeningId};
use jiff::Timestamp;
use multiplier_core::fairness::{Outcome, ScoreCell, SelfId};
use multiplier_core::funnel::Journey;
use std::future::Future;

type R<T> = Result<T, StoreError>;

/// The evidence kinds whose scores the adverse-impact report breaks down by
/// category: the code-review grader (three 1–4 dimensions) and the written
/// answer analyzer (flags raised over all answers).
pub const INSTRUMENTS: [&str; 4] = [
    "code-review.issues",
    "code-review.prioritization",
    "code-review.teaching",
    "written-assessment.flags",
];

/// The reports' reads and the self-identification writes.
pub trait ReportStore {
    /// Replace the candidate's self-identification, audited as
    /// `candidate.self-id` with neither answer in the entry. An answer that
    /// says nothing (both "prefer not to say") deletes the row.
    fn set_self_id(
        &self,
        actor: &str,
        candidate: CandidateId,
        id: &SelfId,
    ) -> impl Future<Output = R<()>> + Send;
    /// When the candidate's answer was given, if there is one (never what).
    fn self_id_given(
        &self,
        candidate: CandidateId,
    ) -> impl Future<Output = R<Option<Timestamp>>> + Send;
    /// Every candidate's journey (of one opening, or all), without who they
    /// are, with the opening it belongs to; oldest candidate first.
    fn journeys(
        &self,
        opening: Option<OpeningId>,
    ) -> impl Future<Output = R<Vec<(OpeningId, Journey)>>> + Send;
    /// Candidates counted by self-identification, stages entered and hired.
    fn outcomes(&self, opening: Option<OpeningId>) -> impl Future<Output = R<Vec<Outcome>>> + Send;
    /// The latest automatic score per candidate and [`INSTRUMENTS`] entry,
    /// summed by self-identification.
    fn score_cells(
        &self,
        opening: Option<OpeningId>,
    ) -> impl Future<Output = R<Vec<ScoreCell>>> + Send;
}

/// A stored answer, read leniently: an id this version does not know counts
/// as "prefer not to say" rather than failing a report.
pub(crate) fn stored_self_id(
    sex: Option<String>,
    race: Option<String>,
) -> Option<multiplier_core::fairness::SelfId> {
    use multiplier_core::fairness::{Race, SelfId, Sex};
    match (sex, race) {
        (None, None) => None,
        (s, r) => Some(SelfId {
            sex: s.and_then(|s| s.parse::<Sex>().ok()).unwrap_or_default(),
            race: r.and_then(|r| r.parse::<Race>().ok()).unwrap_or_default(),
        }),
    }
}
