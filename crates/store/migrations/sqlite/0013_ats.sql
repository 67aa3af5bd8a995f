-- The ATS around the loop (issue 17): candidate lifecycle, where a candidate came
-- from, staff notes, and the CV an applicant sent.
--
-- status: active | on-hold | rejected | withdrawn | hired (rules in
-- multiplier_core::pipeline::lifecycle); status_reason: the rejection reason id
-- (from the framework) or a short note. source: added-by-staff | applied |
-- imported. Openings already have a status column: open | closed | archived.
ALTER TABLE candidates ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE candidates ADD COLUMN status_reason TEXT;
ALTER TABLE candidates ADD COLUMN source TEXT NOT NULL DEFAULT 'added-by-staff';
-- The links an applicant gave (one per line): personal data, erased with them.
ALTER TABLE candidates ADD COLUMN links TEXT;
-- Finding an earlier candidate with the same address in an opening (imports
-- and applications do not create the same person twice).
CREATE INDEX candidates_by_email ON candidates(opening_id, lower(email));

-- Notes by staff on a candidate; deleted when the candidate is erased.
CREATE TABLE candidate_notes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    author        TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);
CREATE INDEX candidate_notes_by_candidate ON candidate_notes(candidate_id);

-- Files a candidate sent (the CV of an application), kept in the database so
-- the backup holds them; deleted when the candidate is erased.
CREATE TABLE candidate_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,      -- 'cv'
    file_name     TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    bytes         BLOB    NOT NULL,
    created_at    TEXT    NOT NULL
);
CREATE INDEX candidate_files_by_candidate ON candidate_files(candidate_id);
