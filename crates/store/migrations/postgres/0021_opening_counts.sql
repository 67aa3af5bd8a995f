-- How many candidates each opening has, kept by triggers in the same
-- transaction as every write of a candidate (as on SQLite, migration 0021
-- there). The openings list shows an admin this count for each opening instead
-- of counting every candidate's index entry each time; an interviewer's count
-- (only the candidates assigned to them) is still counted.

CREATE TABLE opening_counts (
    opening_id  BIGINT PRIMARY KEY REFERENCES openings(id) ON DELETE CASCADE,
    candidates  BIGINT NOT NULL DEFAULT 0
);

INSERT INTO opening_counts (opening_id, candidates)
SELECT o.id, (SELECT COUNT(*) FROM candidates c WHERE c.opening_id = o.id) FROM openings o;

CREATE FUNCTION opening_counts_opening() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO opening_counts (opening_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER opening_counts_opening AFTER INSERT ON openings
    FOR EACH ROW EXECUTE FUNCTION opening_counts_opening();

CREATE FUNCTION opening_counts_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE opening_counts SET candidates = candidates - 1 WHERE opening_id = OLD.opening_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE opening_counts SET candidates = candidates + 1 WHERE opening_id = NEW.opening_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER opening_counts_candidate AFTER INSERT OR DELETE ON candidates
    FOR EACH ROW EXECUTE FUNCTION opening_counts_candidate();
CREATE TRIGGER opening_counts_moved AFTER UPDATE OF opening_id ON candidates
    FOR EACH ROW WHEN (NEW.opening_id IS DISTINCT FROM OLD.opening_id)
    EXECUTE FUNCTION opening_counts_candidate();
