-- Paging and lists at scale: the indexes every per-candidate lookup and every
-- paged list needs, and a summary of each candidate's judgements so lists,
-- the board and search filters read one row instead of every scorecard.

CREATE INDEX candidate_references_by_candidate ON candidate_references(candidate_id);
CREATE INDEX evidence_by_candidate ON evidence(candidate_id, kind);
CREATE INDEX decisions_by_candidate ON decisions(candidate_id);
CREATE INDEX offers_by_candidate ON offers(candidate_id);
-- An interviewer's candidates, and their own scorecards on them.
CREATE INDEX assignments_by_interviewer ON assignments(interviewer, candidate_id);
CREATE INDEX scorecards_by_interviewer ON scorecards(interviewer, candidate_id, stage);
-- Board columns and stage filters, keyset-ordered by id.
CREATE INDEX candidates_by_opening_stage ON candidates(opening_id, stage, id);
CREATE INDEX candidates_by_stage ON candidates(stage, id);

-- Derived from the candidate's scorecards, references and red-flag resolutions
-- by the framework's decision policy (core's debrief). The triggers below mark
-- a row stale (and bump `generation`) in the same transaction as any write to
-- those tables; the application recomputes stale rows before it reads them, and
-- its update only lands when the generation it read is still current.
CREATE TABLE candidate_summary (
    candidate_id      INTEGER PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
    generation        INTEGER NOT NULL DEFAULT 0,
    stale             INTEGER NOT NULL DEFAULT 1,
    -- Scorecards in: distinct (stage, interviewer), whatever the versions.
    scorecards        INTEGER NOT NULL DEFAULT 0,
    technical_depth   REAL,                       -- the debrief's median
    team_multiplier   REAL,
    meets_bar         INTEGER NOT NULL DEFAULT 0,
    -- Red flags raised in any version, as ' id id ' (the board).
    raised_flags      TEXT    NOT NULL DEFAULT '',
    -- Red flags of the latest versions, as ' id id ' (the debrief, search).
    debrief_flags     TEXT    NOT NULL DEFAULT '',
    -- Of those, how many no one resolved yet.
    unresolved_flags  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX candidate_summary_stale ON candidate_summary(stale) WHERE stale = 1;
INSERT INTO candidate_summary (candidate_id) SELECT id FROM candidates;

-- A new candidate has no judgements yet: its empty summary is already right.
CREATE TRIGGER candidate_summary_new AFTER INSERT ON candidates BEGIN
    INSERT INTO candidate_summary (candidate_id, stale) VALUES (NEW.id, 0);
END;

CREATE TRIGGER candidate_summary_card_in AFTER INSERT ON scorecards BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = NEW.candidate_id;
END;
CREATE TRIGGER candidate_summary_card_out AFTER DELETE ON scorecards BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = OLD.candidate_id;
END;
CREATE TRIGGER candidate_summary_reference_in AFTER INSERT ON candidate_references BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = NEW.candidate_id;
END;
CREATE TRIGGER candidate_summary_reference_out AFTER DELETE ON candidate_references BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = OLD.candidate_id;
END;
-- An assignment changes whether every assigned scorecard is in (the verdict is
-- "incomplete" until it is).
CREATE TRIGGER candidate_summary_assigned AFTER INSERT ON assignments BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = NEW.candidate_id;
END;
CREATE TRIGGER candidate_summary_unassigned AFTER DELETE ON assignments BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = OLD.candidate_id;
END;
CREATE TRIGGER candidate_summary_resolution_in AFTER INSERT ON flag_resolutions BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = NEW.candidate_id;
END;
CREATE TRIGGER candidate_summary_resolution_change AFTER UPDATE ON flag_resolutions BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = NEW.candidate_id;
END;
CREATE TRIGGER candidate_summary_resolution_out AFTER DELETE ON flag_resolutions BEGIN
    UPDATE candidate_summary SET stale = 1, generation = generation + 1
    WHERE candidate_id = OLD.candidate_id;
END;
