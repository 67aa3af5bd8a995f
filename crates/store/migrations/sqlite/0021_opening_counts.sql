-- How many candidates each opening has, kept by triggers in the same
-- transaction as every write of a candidate. The openings list shows an
-- admin this count for each opening; counting it each time read every
-- candidate's index entry (10,000 of them at 10,000 candidates) to show twenty
-- numbers. An interviewer's count (only the candidates assigned to them) is
-- still counted, from their assignments.

CREATE TABLE opening_counts (
    opening_id  INTEGER PRIMARY KEY REFERENCES openings(id) ON DELETE CASCADE,
    candidates  INTEGER NOT NULL DEFAULT 0
);

INSERT INTO opening_counts (opening_id, candidates)
SELECT o.id, (SELECT COUNT(*) FROM candidates c WHERE c.opening_id = o.id) FROM openings o;

CREATE TRIGGER opening_counts_opening AFTER INSERT ON openings BEGIN
    INSERT INTO opening_counts (opening_id) VALUES (NEW.id);
END;
CREATE TRIGGER opening_counts_in AFTER INSERT ON candidates BEGIN
    UPDATE opening_counts SET candidates = candidates + 1 WHERE opening_id = NEW.opening_id;
END;
CREATE TRIGGER opening_counts_out AFTER DELETE ON candidates BEGIN
    UPDATE opening_counts SET candidates = candidates - 1 WHERE opening_id = OLD.opening_id;
END;
CREATE TRIGGER opening_counts_moved AFTER UPDATE OF opening_id ON candidates
WHEN NEW.opening_id IS NOT OLD.opening_id BEGIN
    UPDATE opening_counts SET candidates = candidates - 1 WHERE opening_id = OLD.opening_id;
    UPDATE opening_counts SET candidates = candidates + 1 WHERE opening_id = NEW.opening_id;
END;
