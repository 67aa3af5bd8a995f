//! The candidate portal's records and the `PortalStore` capability: private links
//! (kept as a hash of their token only), the candidate's work on each task, and
//! requests to erase a candidate's personal data.
//!
//! A link is *live* until it expires or is revoked; only a live link is found by its
//! token. Creating a link revokes the candidate's earlier live links, so at most one
//! works at a time. Work on a task is a draft until it is submitted; a submitted task
//! is frozen and its evidence is attached to the candidate in the same transaction.

use crate::{CandidateId, StoreError};
use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::future::Future;

type R<T> = Result<T, StoreError>;

/// Who the audit log names for what a candidate does through their link.
pub const PORTAL_ACTOR: &str = "candidate (portal)";

/// The SHA-256 of `text`, in lowercase hex: a link token's hash, and the
/// digest of the framework the summaries follow (`ListStore::summaries_follow`).
pub(crate) fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The SHA-256 of a link's token, in hex: what the database keeps and looks up.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenHash(String);

impl TokenHash {
    /// Hash a token as given in a link.
    pub fn of(token: &str) -> TokenHash {
        TokenHash(sha256_hex(token))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenHash {
    /// Not secret, but there is no reason to print it either.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

/// The two tasks a candidate does through the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// The written assessment.
    Assessment,
    /// The code-review exercise.
    Review,
}

impl Task {
    pub fn id(self) -> &'static str {
        match self {
            Task::Assessment => "assessment",
            Task::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<Task> {
        match s {
            "assessment" => Some(Task::Assessment),
            "review" => Some(Task::Review),
            _ => None,
        }
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A link to create. `token_hash` is [`TokenHash::of`] the token handed out.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub candidate: CandidateId,
    pub token_hash: TokenHash,
    /// The code-review exercise's slug.
    pub exercise: String,
    pub expires_at: Timestamp,
}

/// A link as stored, with the state of both tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalLink {
    pub id: i64,
    pub candidate: CandidateId,
    pub exercise: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    /// The candidate's first visit.
    pub opened_at: Option<Timestamp>,
    pub assessment_submitted_at: Option<Timestamp>,
    pub review_submitted_at: Option<Timestamp>,
}

impl PortalLink {
    /// Neither revoked nor expired at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }

    pub fn submitted_at(&self, task: Task) -> Option<Timestamp> {
        match task {
            Task::Assessment => self.assessment_submitted_at,
            Task::Review => self.review_submitted_at,
        }
    }
}

/// The candidate's work on one task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Work {
    pub task: Task,
    pub body: serde_json::Value,
    pub saved_at: Timestamp,
    /// Set once submitted; the work no longer changes.
    pub submitted_at: Option<Timestamp>,
}

/// Evidence attached to the candidate when a task is submitted.
#[derive(Debug, Clone)]
pub struct SubmittedEvidence {
    /// e.g. `written-assessment`, `code-review`.
    pub kind: String,
    /// Where it came from, e.g. `candidate portal`.
    pub source: String,
    pub body: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErasureRequest {
    pub id: i64,
    pub candidate: CandidateId,
    pub requested_at: Timestamp,
    pub erased_at: Option<Timestamp>,
    pub erased_by: Option<String>,
}

/// What an erasure removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Erased {
    pub work_deleted: u64,
    pub evidence_deleted: u64,
    /// Scorecards, references, red-flag notes, decisions, offers, onboarding
    /// notes and interview assignments.
    pub records_deleted: u64,
    pub links_revoked: u64,
    /// The write-ahead log was emptied afterwards, so no older copy of the erased
    /// data remains in it. False only when readers kept old snapshots open for
    /// seconds; the next retention run or clean shutdown empties it.
    pub flushed: bool,
}

/// The name an erased candidate is shown under.
pub fn erased_name(id: CandidateId) -> String {
    format!("Erased candidate {id}")
}

/// The candidate portal's persistence.
pub trait PortalStore {
    /// Store a new link and revoke the candidate's other live links.
    fn create_link(
        &self,
        actor: &str,
        link: &NewLink,
    ) -> impl Future<Output = R<PortalLink>> + Send;
    /// The live link with this token hash, if any (expired and revoked links are
    /// not found, exactly like unknown ones).
    fn live_link(
        &self,
        token: &TokenHash,
        now: Timestamp,
    ) -> impl Future<Output = R<Option<PortalLink>>> + Send;
    /// A candidate's links, newest first.
    fn links(&self, candidate: CandidateId) -> impl Future<Output = R<Vec<PortalLink>>> + Send;
    /// Revoke one of the candidate's links (not found unless it is theirs).
    fn revoke_link(
        &self,
        actor: &str,
        candidate: CandidateId,
        link: i64,
    ) -> impl Future<Output = R<()>> + Send;
    /// Record the first visit (later visits change nothing).
    fn mark_opened(&self, link: i64) -> impl Future<Output = R<()>> + Send;
    /// Save a draft; refused once the task is submitted. Returns when it was saved.
    fn save_work(
        &self,
        link: i64,
        task: Task,
        body: &serde_json::Value,
    ) -> impl Future<Output = R<Timestamp>> + Send;
    fn work(&self, link: i64, task: Task) -> impl Future<Output = R<Option<Work>>> + Send;
    /// Freeze the task with `body` and attach `evidence` to the link's candidate,
    /// in one transaction; refused when the task was already submitted.
    fn submit_work(
        &self,
        link: i64,
        task: Task,
        body: &serde_json::Value,
        evidence: &SubmittedEvidence,
    ) -> impl Future<Output = R<Timestamp>> + Send;
    /// Record the candidate's request to erase their data (an open request is
    /// returned as it is rather than recorded twice).
    fn request_erasure(&self, link: i64) -> impl Future<Output = R<ErasureRequest>> + Send;
    fn erasure_requests(
        &self,
        candidate: CandidateId,
    ) -> impl Future<Output = R<Vec<ErasureRequest>>> + Send;
    /// Erase the candidate's personal data: name and email replaced by a
    /// placeholder, their own words (drafts, answers, reviews and the evidence
    /// derived from them) and everything others recorded about them
    /// (scorecards, references, notes, decisions, offers) deleted, links revoked,
    /// open requests closed; then the write-ahead log is emptied. Deleted content
    /// is overwritten with zeros (`secure_delete`). The audit trail stays and
    /// records `reason`; it never held personal data.
    fn erase_candidate(
        &self,
        actor: &str,
        candidate: CandidateId,
        reason: &str,
    ) -> impl Future<Output = R<Erased>> + Send;
    /// Candidates not yet erased whose last recorded change (or, without one,
    /// their creation) is older than `cutoff`.
    fn inactive_candidates(
        &self,
        cutoff: Timestamp,
    ) -> impl Future<Output = R<Vec<CandidateId>>> + Send;
}

/// Candidates the retention scan reads at a time (the `LIMIT` below, written
/// as a number: SQLite prepares a statement again whenever a bound `LIMIT`
/// changes).
pub(crate) const INACTIVE_PAGE: usize = 500;

/// One page of the retention scan: candidates not erased, after an id, each
/// with the time of the last audit entry about them.
pub(crate) const INACTIVE_PAGE_SQL_SQLITE: &str = "SELECT c.id, c.created_at,
        (SELECT a.at FROM audit a WHERE a.subject = 'candidate:' || c.id
         ORDER BY a.id DESC LIMIT 1) AS last_at
     FROM candidates c WHERE c.erased_at IS NULL AND c.id > ? ORDER BY c.id LIMIT 500";

/// [`INACTIVE_PAGE_SQL_SQLITE`] for PostgreSQL.
pub(crate) const INACTIVE_PAGE_SQL_POSTGRES: &str = "SELECT c.id, c.created_at,
        (SELECT a.at FROM audit a WHERE a.subject = 'candidate:' || c.id
         ORDER BY a.id DESC LIMIT 1) AS last_at
     FROM candidates c WHERE c.erased_at IS NULL AND c.id > $1 ORDER BY c.id LIMIT 500";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_hash_is_the_hex_sha256_of_the_token() {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        assert_eq!(
            TokenHash::of("abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(TokenHash::of("abc"), TokenHash::of("abd"));
        assert_eq!(format!("{:?}", TokenHash::of("abc")), "TokenHash(..)");
    }

    #[test]
    fn tasks_round_trip_through_their_ids() {
        for t in [Task::Assessment, Task::Review] {
            assert_eq!(Task::parse(t.id()), Some(t));
        }
        assert_eq!(Task::parse("scores"), None);
    }
}
