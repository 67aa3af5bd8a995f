-- The hiring loop: openings, candidates, assignments, scorecards (append-only
-- versions), evidence, references, red-flag resolutions, decisions, offers,
-- onboarding progress, and the audit log of every state change.

CREATE TABLE openings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    role_id     INTEGER NOT NULL REFERENCES roles(id),
    title       TEXT    NOT NULL,
    manager     TEXT    NOT NULL,          -- the hiring manager's user name
    status      TEXT    NOT NULL DEFAULT 'open',
    created_at  TEXT    NOT NULL
);

CREATE TABLE candidates (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    opening_id        INTEGER NOT NULL REFERENCES openings(id),
    name              TEXT    NOT NULL,
    email             TEXT,
    internal          INTEGER NOT NULL DEFAULT 0,
    wants_leadership  TEXT,               -- promotion-trap check, internal candidates
    gives_up          TEXT,
    stage             TEXT    NOT NULL,
    created_at        TEXT    NOT NULL
);
CREATE INDEX candidates_by_opening ON candidates(opening_id);

CREATE TABLE assignments (
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    stage         TEXT    NOT NULL,
    interviewer   TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (candidate_id, stage, interviewer)
);

-- A submitted scorecard is never updated: an amendment is a new row with the next
-- version and a reason.
CREATE TABLE scorecards (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    stage         TEXT    NOT NULL,
    interviewer   TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    body          TEXT    NOT NULL,        -- JSON of the core Scorecard
    submitted_at  TEXT    NOT NULL,
    UNIQUE (candidate_id, stage, interviewer, version)
);

-- Automatic evidence (a code-review grade, written-assessment flags): never a scorecard.
CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    body          TEXT    NOT NULL,        -- JSON as produced by its tool
    created_at    TEXT    NOT NULL
);

CREATE TABLE candidate_references (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    body          TEXT    NOT NULL,        -- JSON of the core Reference
    created_at    TEXT    NOT NULL
);

CREATE TABLE flag_resolutions (
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    flag          TEXT    NOT NULL,
    resolved_by   TEXT    NOT NULL,
    note          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (candidate_id, flag)
);

CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    decided_by    TEXT    NOT NULL,
    outcome       TEXT    NOT NULL,        -- hire | no-hire | hold
    rationale     TEXT    NOT NULL,
    meets_bar     INTEGER NOT NULL,        -- what the policy said when the person decided
    created_at    TEXT    NOT NULL
);

CREATE TABLE offers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    body          TEXT    NOT NULL,        -- JSON of the core Offer
    status        TEXT    NOT NULL,        -- made | accepted | declined
    start_date    TEXT,                    -- set when accepted
    created_at    TEXT    NOT NULL
);

CREATE TABLE onboarding_done (
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    step          TEXT    NOT NULL,
    done_by       TEXT    NOT NULL,
    note          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (candidate_id, step)
);

-- Append-only: who did what, when. Subjects are ids, never personal data.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT    NOT NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
CREATE INDEX audit_by_subject ON audit(subject);
