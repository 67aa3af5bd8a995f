-- The candidate portal: private links (only a SHA-256 hash of each token is kept),
-- the candidate's work on each task (a draft until it is submitted, then frozen),
-- and requests to erase a candidate's personal data.

CREATE TABLE portal_links (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    token_hash    TEXT    NOT NULL UNIQUE,   -- hex SHA-256 of the token; the token is never stored
    exercise      TEXT    NOT NULL,          -- the code-review exercise's slug
    created_by    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    revoked_at    TEXT,
    opened_at     TEXT                       -- the candidate's first visit
);
CREATE INDEX portal_links_by_candidate ON portal_links(candidate_id);

-- One row per link and task: the latest draft, frozen once submitted_at is set.
CREATE TABLE portal_work (
    link_id       INTEGER NOT NULL REFERENCES portal_links(id) ON DELETE CASCADE,
    task          TEXT    NOT NULL CHECK (task IN ('assessment', 'review')),
    body          TEXT    NOT NULL,          -- JSON: answers, or a review's summary and comments
    saved_at      TEXT    NOT NULL,
    submitted_at  TEXT,
    PRIMARY KEY (link_id, task)
);

CREATE TABLE erasure_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    requested_at  TEXT    NOT NULL,
    erased_at     TEXT,
    erased_by     TEXT
);
CREATE INDEX erasure_requests_by_candidate ON erasure_requests(candidate_id);
