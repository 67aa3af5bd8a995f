-- Accounts for the web application: people who sign in, their browser sessions,
-- and failed sign-ins (for rate limiting).

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL UNIQUE,   -- the same name as in assignments and the audit log
    password_hash  TEXT    NOT NULL,          -- argon2id, PHC string
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'interviewer')),
    created_at     TEXT    NOT NULL
);

-- Sessions as the session layer stores them: an opaque id, an encoded record,
-- and when it expires (Unix seconds).
CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY,
    data        BLOB    NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

-- One row per failed sign-in; the name tried and a key for the client, no password.
CREATE TABLE login_failures (
    name    TEXT    NOT NULL,
    client  TEXT    NOT NULL,
    at      INTEGER NOT NULL                  -- Unix seconds
);
CREATE INDEX login_failures_by_name ON login_failures(name, at);
CREATE INDEX login_failures_by_client ON login_failures(client, at);
