-- Reliability and security (issue 13).
--
-- The audit log becomes a hash chain: each entry keeps the hash of the one before
-- it and its own hash over its fields, so an entry edited or removed in the file
-- breaks the chain at that point. Entries written before this migration are
-- sealed into the chain once, by the store, the first time it opens the database
-- (SQLite has no SHA-256 of its own); `audit_legacy` records up to which id.
ALTER TABLE audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_legacy (
    up_to  INTEGER NOT NULL
);
INSERT INTO audit_legacy (up_to) SELECT COALESCE(MAX(id), 0) FROM audit;

-- An account can be deactivated: it cannot sign in, and its sessions end.
ALTER TABLE users ADD COLUMN deactivated_at TEXT;

-- Each session names the account signed in on it (NULL before sign-in), so a
-- password change, a role change or a deactivation can end that account's
-- sessions in the same transaction.
ALTER TABLE sessions ADD COLUMN account TEXT;
CREATE INDEX sessions_by_account ON sessions(account);

-- When a candidate's personal data were erased (by a person or by the retention
-- period); erased candidates are never erased again.
ALTER TABLE candidates ADD COLUMN erased_at TEXT;
UPDATE candidates SET erased_at = (
    SELECT a.at FROM audit a
    WHERE a.subject = 'candidate:' || candidates.id AND a.action = 'candidate.erase'
    ORDER BY a.id DESC LIMIT 1
);
