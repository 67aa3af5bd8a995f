-- Scheduled interviews and the slots offered to a candidate.
-- An interview keeps a stable calendar UID; each move raises its sequence so a
-- recipient's calendar updates the same event.

CREATE TABLE interviews (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    stage         TEXT    NOT NULL,
    starts_at     TEXT    NOT NULL,             -- RFC 3339, UTC
    ends_at       TEXT    NOT NULL,
    place         TEXT    NOT NULL DEFAULT '',  -- a room or address
    video_link    TEXT    NOT NULL DEFAULT '',
    uid           TEXT    NOT NULL UNIQUE,
    sequence      INTEGER NOT NULL DEFAULT 0,
    cancelled_at  TEXT,
    created_by    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);
CREATE INDEX interviews_by_candidate ON interviews(candidate_id);

CREATE TABLE interview_people (
    interview_id  INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    interviewer   TEXT    NOT NULL,
    PRIMARY KEY (interview_id, interviewer)
);
CREATE INDEX interview_people_by_name ON interview_people(interviewer);

-- Times offered to the candidate for one interview; picking one books it.
CREATE TABLE interview_slots (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    stage         TEXT    NOT NULL,
    starts_at     TEXT    NOT NULL,
    ends_at       TEXT    NOT NULL,
    place         TEXT    NOT NULL DEFAULT '',
    video_link    TEXT    NOT NULL DEFAULT '',
    interviewers  TEXT    NOT NULL,             -- JSON array of account names
    created_by    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    taken_by      INTEGER REFERENCES interviews(id)  -- the interview it became
);
CREATE INDEX interview_slots_by_candidate ON interview_slots(candidate_id);
