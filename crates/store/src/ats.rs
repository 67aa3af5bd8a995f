//! The records around the loop (issue 17): a candidate's status and where they
//! came from, staff notes, the CV of an application, and an opening's status.
//! Like every write of the store, each one is a transaction with its audit entry.

use crate::StoreError;
use crate::hiring::{CandidateId, NewCandidate, OpeningId};
use jiff::Timestamp;
use serde::Serialize;
use std::future::Future;

type R<T> = Result<T, StoreError>;

/// Where a new candidate comes from, and what came with them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    /// `added-by-staff`, `applied` or `imported`.
    pub source: String,
    /// Links the applicant gave, one per line.
    pub links: Option<String>,
    /// The CV sent with an application.
    pub cv: Option<NewFile>,
    /// Refuse (as a duplicate) when the opening already has a candidate with
    /// the same e-mail address, compared without case, inside the transaction.
    pub unique_email: bool,
    /// The applicant's voluntary self-identification, kept apart from the
    /// candidate row (`self_identification`) in the same transaction; the
    /// audit entry says one was given, never what.
    pub self_id: Option<multiplier_core::fairness::SelfId>,
}

/// A file to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFile {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A kept file without its bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileMeta {
    pub id: i64,
    pub candidate: CandidateId,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: Timestamp,
}

/// A kept file with its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRecord {
    pub meta: FileMeta,
    pub bytes: Vec<u8>,
}

/// What adding a candidate did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Added {
    Created(CandidateId),
    /// The opening already has this e-mail address (on that candidate).
    Duplicate(CandidateId),
}

/// A staff note on a candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteRecord {
    pub id: i64,
    pub candidate: CandidateId,
    pub author: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// The ATS records' persistence.
pub trait AtsStore {
    /// Add a candidate with their origin (and CV) in one transaction, audited
    /// as `candidate.add` (or `candidate.apply` for an application). Refused
    /// when the opening is not open.
    fn add_candidate_from(
        &self,
        actor: &str,
        candidate: &NewCandidate,
        origin: &Origin,
    ) -> impl Future<Output = R<Added>> + Send;
    /// Set the status when it is still `from` (checked in the transaction),
    /// audited as `candidate.status`.
    fn set_candidate_status(
        &self,
        actor: &str,
        id: CandidateId,
        from: &str,
        to: &str,
        reason: Option<&str>,
    ) -> impl Future<Output = R<()>> + Send;
    /// Set an opening's status when it is still `from`, audited as
    /// `opening.close`, `opening.reopen` or `opening.archive`.
    fn set_opening_status(
        &self,
        actor: &str,
        id: OpeningId,
        from: &str,
        to: &str,
    ) -> impl Future<Output = R<()>> + Send;
    fn add_note(
        &self,
        actor: &str,
        id: CandidateId,
        body: &str,
    ) -> impl Future<Output = R<i64>> + Send;
    /// Oldest first.
    fn notes(&self, id: CandidateId) -> impl Future<Output = R<Vec<NoteRecord>>> + Send;
    fn files(&self, id: CandidateId) -> impl Future<Output = R<Vec<FileMeta>>> + Send;
    fn file(
        &self,
        id: CandidateId,
        file: i64,
    ) -> impl Future<Output = R<Option<FileRecord>>> + Send;
}
