-- The outcome of a hire (issue 19); the same as SQLite's 0016: where an opening's team history lives, and
-- which outcome reminders went out.

-- The repository an opening's delivery snapshots are read from, and how its
-- deployments are marked: tags matching a glob, or the first-parent commits of a
-- branch (exactly one of the two is set). One row per opening at most.
CREATE TABLE opening_repositories (
    opening_id     BIGINT  PRIMARY KEY REFERENCES openings(id),
    path           TEXT    NOT NULL,
    deploy_tags    TEXT,
    deploy_branch  TEXT,
    set_by         TEXT    NOT NULL,
    set_at         TEXT    NOT NULL,
    CHECK ((deploy_tags IS NULL) <> (deploy_branch IS NULL))
);

-- One row per hire and milestone (6 or 12 months after the start date) whose
-- reminder was queued, written in the transaction that queues it: the primary
-- key keeps a second server, or a restart, from queueing it again. The start
-- date itself is not copied here: erasure deletes the offers that hold it.
CREATE TABLE outcome_reminders (
    candidate_id  BIGINT  NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    months        BIGINT  NOT NULL,
    opening_id    BIGINT  NOT NULL REFERENCES openings(id),
    sent_at       TEXT    NOT NULL,
    PRIMARY KEY (candidate_id, months)
);
CREATE INDEX outcome_reminders_by_opening ON outcome_reminders(opening_id);
