//! AtsStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl AtsStore for PgStore {
    async fn add_candidate_from(
        &self,
        _actor: &str,
        _candidate: &NewCandidate,
        _origin: &Origin,
    ) -> Result<Added, StoreError> {
        Err(super::unported("add_candidate_from"))
    }
    async fn set_candidate_status(
        &self,
        _actor: &str,
        _id: CandidateId,
        _from: &str,
        _to: &str,
        _reason: Option<&str>,
    ) -> Result<(), StoreError> {
        Err(super::unported("set_candidate_status"))
    }
    async fn set_opening_status(
        &self,
        _actor: &str,
        _id: OpeningId,
        _from: &str,
        _to: &str,
    ) -> Result<(), StoreError> {
        Err(super::unported("set_opening_status"))
    }
    async fn add_note(
        &self,
        _actor: &str,
        _id: CandidateId,
        _body: &str,
    ) -> Result<i64, StoreError> {
        Err(super::unported("add_note"))
    }
    async fn notes(&self, _id: CandidateId) -> Result<Vec<NoteRecord>, StoreError> {
        Err(super::unported("notes"))
    }
    async fn files(&self, _id: CandidateId) -> Result<Vec<FileMeta>, StoreError> {
        Err(super::unported("files"))
    }
    async fn file(&self, _id: CandidateId, _file: i64) -> Result<Option<FileRecord>, StoreError> {
        Err(super::unported("file"))
    }
}
