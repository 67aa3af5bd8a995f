//! Keeping the database itself sound: the audit log's hash chain, online backups,
//! and flushing the write-ahead log into the main file.

use crate::StoreError;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::path::Path;

type R<T> = Result<T, StoreError>;

/// The answer to a backup asked of a PostgreSQL database.
pub(crate) const PG_BACKUP: &str = "`multiplier backup` copies SQLite files only; back up a PostgreSQL database with `pg_dump --format=custom --file=multiplier.dump postgres://…` (safe while the servers run; see docs/operations.md, \"Backups on PostgreSQL\")";

/// The answer to a restore into a PostgreSQL database.
pub(crate) const PG_RESTORE: &str = "`multiplier restore` writes SQLite files only; restore a PostgreSQL database from a `pg_dump` file with `pg_restore --clean --if-exists --dbname=postgres://… multiplier.dump` with the servers stopped, or copy a SQLite backup into an empty PostgreSQL database with `multiplier migrate --from sqlite:BACKUP --to postgres://…` (see docs/operations.md)";

/// The fields of one audit entry that its hash covers.
#[derive(Debug, Clone, Copy)]
pub struct ChainedFields<'a> {
    pub id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// The hash of an audit entry: SHA-256 (hex) over the previous entry's hash and
/// every field of this one, each preceded by its length so no two different
/// entries can encode the same way.
pub fn entry_hash(prev_hash: &str, fields: &ChainedFields<'_>) -> String {
    let mut h = Sha256::new();
    let id = fields.id.to_string();
    for part in [
        prev_hash,
        id.as_str(),
        fields.at,
        fields.actor,
        fields.action,
        fields.subject,
        fields.detail,
    ] {
        h.update(part.len().to_string().as_bytes());
        h.update(b":");
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The first entry where the chain does not hold, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenEntry {
    pub id: i64,
    pub reason: String,
}

/// The result of walking the audit log's hash chain from its first entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    /// Entries walked.
    pub entries: u64,
    /// The last entry's hash (empty for an empty log). Note it somewhere else to
    /// detect later that entries were cut off the end.
    pub head: String,
    /// `None` when every entry is intact and in its place.
    pub broken: Option<BrokenEntry>,
}

/// Operations on the database as a whole.
pub trait MaintenanceStore {
    /// Walk the audit log and check every entry's hash and link.
    fn verify_audit(&self) -> impl Future<Output = R<AuditCheck>> + Send;
    /// Write a consistent copy of the whole database to `out` (which must not
    /// exist) while others keep reading and writing.
    fn backup(&self, out: &Path) -> impl Future<Output = R<()>> + Send;
    /// Move everything in the write-ahead log into the main file and empty the
    /// log, so no older copy of a page remains in it.
    fn checkpoint(&self) -> impl Future<Output = R<()>> + Send;
    /// Merge the full-text index into one piece when it has come to be made of
    /// more than [`SEARCH_SEGMENTS_MAX`], in short write transactions, and say
    /// how many merge steps that took (0 when it was left as it was).
    fn compact_search_index(&self) -> impl Future<Output = R<u32>> + Send;
}

/// How many pieces (FTS5 segments) the SQLite full-text index may be made of
/// before housekeeping merges them. Every write that indexes text adds one, and
/// SQLite merges them only level by level: after `demo seed --candidates
/// 10000` the index was 27 pieces, and each search read every one. Looking up
/// the words of a search took 88 µs in 27 pieces and 29 µs in one, and its
/// window of documents 65 µs and 9 µs (docs/performance.md).
pub const SEARCH_SEGMENTS_MAX: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(detail: &str) -> ChainedFields<'_> {
        ChainedFields {
            id: 1,
            at: "2026-01-01T00:00:00Z",
            actor: "ana",
            action: "candidate.add",
            subject: "candidate:1",
            detail,
        }
    }

    #[test]
    fn a_hash_changes_with_any_field_and_with_the_previous_hash() {
        let a = entry_hash("", &fields("x"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, entry_hash("", &fields("y")));
        assert_ne!(a, entry_hash("00", &fields("x")));
        // Moving bytes from one field to the next changes the hash too.
        let mut f = fields("");
        f.subject = "candidate:1x";
        assert_ne!(entry_hash("", &f), entry_hash("", &fields("x")));
    }
}
