//! PortalStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl PortalStore for PgStore {
    async fn create_link(&self, _actor: &str, _link: &NewLink) -> Result<PortalLink, StoreError> {
        Err(super::unported("create_link"))
    }
    async fn live_link(
        &self,
        _token: &TokenHash,
        _now: Timestamp,
    ) -> Result<Option<PortalLink>, StoreError> {
        Err(super::unported("live_link"))
    }
    async fn links(&self, _candidate: CandidateId) -> Result<Vec<PortalLink>, StoreError> {
        Err(super::unported("links"))
    }
    async fn revoke_link(
        &self,
        _actor: &str,
        _candidate: CandidateId,
        _link: i64,
    ) -> Result<(), StoreError> {
        Err(super::unported("revoke_link"))
    }
    async fn mark_opened(&self, _link: i64) -> Result<(), StoreError> {
        Err(super::unported("mark_opened"))
    }
    async fn save_work(
        &self,
        _link: i64,
        _task: Task,
        _body: &serde_json::Value,
    ) -> Result<Timestamp, StoreError> {
        Err(super::unported("save_work"))
    }
    async fn work(&self, _link: i64, _task: Task) -> Result<Option<Work>, StoreError> {
        Err(super::unported("work"))
    }
    async fn submit_work(
        &self,
        _link: i64,
        _task: Task,
        _body: &serde_json::Value,
        _evidence: &SubmittedEvidence,
    ) -> Result<Timestamp, StoreError> {
        Err(super::unported("submit_work"))
    }
    async fn request_erasure(&self, _link: i64) -> Result<ErasureRequest, StoreError> {
        Err(super::unported("request_erasure"))
    }
    async fn erasure_requests(
        &self,
        _candidate: CandidateId,
    ) -> Result<Vec<ErasureRequest>, StoreError> {
        Err(super::unported("erasure_requests"))
    }
    async fn erase_candidate(
        &self,
        _actor: &str,
        _candidate: CandidateId,
        _reason: &str,
    ) -> Result<Erased, StoreError> {
        Err(super::unported("erase_candidate"))
    }
    async fn inactive_candidates(
        &self,
        _cutoff: Timestamp,
    ) -> Result<Vec<CandidateId>, StoreError> {
        Err(super::unported("inactive_candidates"))
    }
}
