//! ListStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl ListStore for PgStore {
    async fn candidate_page(&self, _q: &CandidateQuery) -> Result<Vec<CandidateRow>, StoreError> {
        Err(super::unported("candidate_page"))
    }
    async fn stage_counts(
        &self,
        _q: &CandidateQuery,
    ) -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
        Err(super::unported("stage_counts"))
    }
    async fn opening_page(
        &self,
        _after: Option<OpeningId>,
        _limit: u32,
        _archived: bool,
    ) -> Result<Vec<OpeningRecord>, StoreError> {
        Err(super::unported("opening_page"))
    }
    async fn opening_counts(
        &self,
        _viewer: &ListViewer,
        _openings: &[OpeningId],
    ) -> Result<std::collections::BTreeMap<OpeningId, u64>, StoreError> {
        Err(super::unported("opening_counts"))
    }
    async fn stale_summaries(&self, _limit: u32) -> Result<Vec<(CandidateId, i64)>, StoreError> {
        Err(super::unported("stale_summaries"))
    }
    async fn save_summaries(
        &self,
        _summaries: &[(CandidateId, i64, Summary)],
    ) -> Result<usize, StoreError> {
        Err(super::unported("save_summaries"))
    }
    async fn debrief_inputs(
        &self,
        _ids: &[CandidateId],
    ) -> Result<std::collections::BTreeMap<CandidateId, DebriefInputs>, StoreError> {
        Err(super::unported("debrief_inputs"))
    }
}
