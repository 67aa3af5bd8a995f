-- Mail: accounts get an e-mail address, and the outbox holds every message the
-- product sends, written in the same transaction as the action that causes it.
-- A delivery worker claims a message, hands it to the SMTP server and marks it
-- sent; each attempt's outcome is kept.

ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL,          -- portal-link, assigned, interview, reminder, rejection, offer
    candidate_id     INTEGER REFERENCES candidates(id) ON DELETE CASCADE,  -- erased with the candidate
    recipient        TEXT    NOT NULL,          -- the address
    recipient_name   TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,          -- plain text
    calendar         TEXT,                      -- an iCalendar (RFC 5545) part, when an invitation
    dedupe_key       TEXT    UNIQUE,            -- reminders are queued once per key
    state            TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,          -- pending: not before this time
    claimed_until    TEXT,                      -- sending: the claim lapses then (a crashed worker)
    created_by       TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    sent_at          TEXT,
    last_error       TEXT
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_by_candidate ON outbox(candidate_id);

CREATE TABLE outbox_attempts (
    message_id  INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          TEXT    NOT NULL,
    outcome     TEXT    NOT NULL CHECK (outcome IN ('sent', 'failed', 'gave-up')),
    detail      TEXT    NOT NULL,             -- the server's answer or the error
    PRIMARY KEY (message_id, attempt)
);
