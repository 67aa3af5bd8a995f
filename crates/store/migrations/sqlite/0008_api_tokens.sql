-- API tokens: a script or an integration acts as one account through
-- `Authorization: Bearer`. Only a SHA-256 hash of each token is kept (the token
-- is shown once, when it is made); each has a scope and an expiry, and stays
-- listed after it is revoked or expires.

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label         TEXT    NOT NULL,          -- what it is for, e.g. "ci" or "ats sync"
    token_hash    TEXT    NOT NULL UNIQUE,   -- hex SHA-256 of the token; the token is never stored
    scope         TEXT    NOT NULL CHECK (scope IN ('read-only', 'read-write')),
    created_by    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    revoked_at    TEXT,
    last_used_at  TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);
