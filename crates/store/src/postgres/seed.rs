//! SeedStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl SeedStore for PgStore {
    async fn is_empty(&self) -> Result<bool, StoreError> {
        Err(super::unported("is_empty"))
    }
    async fn seed_batch(
        &self,
        _actor: &str,
        _opening: OpeningId,
        _batch: &[SeedCandidate],
    ) -> Result<(Vec<CandidateId>, SeedCounts), StoreError> {
        Err(super::unported("seed_batch"))
    }
}
