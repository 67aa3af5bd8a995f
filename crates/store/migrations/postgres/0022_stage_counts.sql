-- How many candidates each opening has at each stage and status, kept by
-- triggers in the same transaction as every write of a candidate (as on
-- SQLite, migration 0022 there): an admin's board reads nine numbers instead
-- of counting the opening's candidates. Counts for an interviewer, or under a
-- filter, are still counted. A row left at zero stays; readers skip it.

CREATE TABLE stage_counts (
    opening_id  BIGINT NOT NULL REFERENCES openings(id) ON DELETE CASCADE,
    stage       TEXT NOT NULL,
    status      TEXT NOT NULL,
    candidates  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (opening_id, stage, status)
);

INSERT INTO stage_counts (opening_id, stage, status, candidates)
SELECT opening_id, stage, status, COUNT(*) FROM candidates GROUP BY opening_id, stage, status;

CREATE FUNCTION stage_counts_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE stage_counts SET candidates = candidates - 1
        WHERE opening_id = OLD.opening_id AND stage = OLD.stage AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO stage_counts (opening_id, stage, status, candidates)
        VALUES (NEW.opening_id, NEW.stage, NEW.status, 1)
        ON CONFLICT (opening_id, stage, status)
        DO UPDATE SET candidates = stage_counts.candidates + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stage_counts_candidate AFTER INSERT OR DELETE ON candidates
    FOR EACH ROW EXECUTE FUNCTION stage_counts_candidate();
CREATE TRIGGER stage_counts_moved AFTER UPDATE OF opening_id, stage, status ON candidates
    FOR EACH ROW WHEN (NEW.opening_id IS DISTINCT FROM OLD.opening_id
        OR NEW.stage IS DISTINCT FROM OLD.stage OR NEW.status IS DISTINCT FROM OLD.status)
    EXECUTE FUNCTION stage_counts_candidate();
