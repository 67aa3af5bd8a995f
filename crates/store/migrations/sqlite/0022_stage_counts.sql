-- How many candidates each opening has at each stage and status, kept by
-- triggers in the same transaction as every write of a candidate. An admin's
-- board shows a count for every stage; counting them read each of the
-- opening's candidates (500 rows at 10,000 candidates, 0.15 ms in SQLite) to
-- show nine numbers. Counts for an interviewer, or under a filter, are still
-- counted from the candidates. A row left at zero stays; readers skip it.

CREATE TABLE stage_counts (
    opening_id  INTEGER NOT NULL REFERENCES openings(id) ON DELETE CASCADE,
    stage       TEXT NOT NULL,
    status      TEXT NOT NULL,
    candidates  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (opening_id, stage, status)
) WITHOUT ROWID;

INSERT INTO stage_counts (opening_id, stage, status, candidates)
SELECT opening_id, stage, status, COUNT(*) FROM candidates GROUP BY opening_id, stage, status;

CREATE TRIGGER stage_counts_in AFTER INSERT ON candidates BEGIN
    INSERT INTO stage_counts (opening_id, stage, status, candidates)
    VALUES (NEW.opening_id, NEW.stage, NEW.status, 1)
    ON CONFLICT (opening_id, stage, status) DO UPDATE SET candidates = candidates + 1;
END;
CREATE TRIGGER stage_counts_out AFTER DELETE ON candidates BEGIN
    UPDATE stage_counts SET candidates = candidates - 1
    WHERE opening_id = OLD.opening_id AND stage = OLD.stage AND status = OLD.status;
END;
CREATE TRIGGER stage_counts_moved AFTER UPDATE OF opening_id, stage, status ON candidates
WHEN NEW.opening_id IS NOT OLD.opening_id OR NEW.stage IS NOT OLD.stage
    OR NEW.status IS NOT OLD.status BEGIN
    UPDATE stage_counts SET candidates = candidates - 1
    WHERE opening_id = OLD.opening_id AND stage = OLD.stage AND status = OLD.status;
    INSERT INTO stage_counts (opening_id, stage, status, candidates)
    VALUES (NEW.opening_id, NEW.stage, NEW.status, 1)
    ON CONFLICT (opening_id, stage, status) DO UPDATE SET candidates = candidates + 1;
END;
