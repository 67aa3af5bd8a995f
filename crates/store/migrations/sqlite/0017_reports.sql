-- Reports and adverse impact (issue 19 items 2–4).
--
-- 1. self_identification: what a candidate chose to say about their sex and
--    race/ethnicity (EEO-1 categories, ids in multiplier_core::fairness), kept
--    apart from the candidate row so that no candidate query can pick it up by
--    accident. One row per candidate at most; no row means no answer. Only the
--    aggregate reports read it. Erasure deletes the row in its transaction (and
--    ON DELETE CASCADE covers a candidate row deleted outright).
CREATE TABLE self_identification (
    candidate_id  INTEGER PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
    sex           TEXT    NOT NULL DEFAULT 'prefer-not-to-say',
    race          TEXT    NOT NULL DEFAULT 'prefer-not-to-say',
    given_at      TEXT    NOT NULL
);

-- 2. candidate_history: each stage a candidate entered and each status they
--    took, with when. The audit log says the same in prose; the reports need
--    it as data (time in stage, time to hire). Triggers keep it in the same
--    transaction as every write to candidates.stage / candidates.status, so
--    no write path can forget it. Ordered by id (insertion order); `at` is
--    RFC 3339 UTC.
CREATE TABLE candidate_history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id  INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,      -- 'stage' | 'status'
    value         TEXT    NOT NULL,
    at            TEXT    NOT NULL
);
CREATE INDEX candidate_history_by_candidate ON candidate_history(candidate_id, id);

-- Backfill from what was recorded before this migration. The first stage is
-- read from the candidate's `candidate.add`/`candidate.apply` audit entry
-- ("…, stage X, …"); without one, a candidate never moved started where they
-- are now. Moves and status changes come from their audit entries, in order.
INSERT INTO candidate_history (candidate_id, kind, value, at)
SELECT c.id, 'stage',
       COALESCE(
         (SELECT CASE WHEN instr(r.rest, ',') > 0 THEN substr(r.rest, 1, instr(r.rest, ',') - 1) ELSE r.rest END
          FROM (SELECT substr(a.detail, instr(a.detail, 'stage ') + 6) AS rest
                FROM audit a
                WHERE a.subject = 'candidate:' || c.id
                  AND a.action IN ('candidate.add', 'candidate.apply')
                  AND instr(a.detail, 'stage ') > 0
                ORDER BY a.id LIMIT 1) r),
         CASE WHEN NOT EXISTS (SELECT 1 FROM audit m WHERE m.subject = 'candidate:' || c.id AND m.action = 'candidate.move')
              THEN c.stage END),
       c.created_at
FROM candidates c
WHERE COALESCE(
         (SELECT 1 FROM audit a WHERE a.subject = 'candidate:' || c.id
            AND a.action IN ('candidate.add', 'candidate.apply') AND instr(a.detail, 'stage ') > 0 LIMIT 1),
         CASE WHEN NOT EXISTS (SELECT 1 FROM audit m WHERE m.subject = 'candidate:' || c.id AND m.action = 'candidate.move')
              THEN 1 END) IS NOT NULL
ORDER BY c.id;

INSERT INTO candidate_history (candidate_id, kind, value, at)
SELECT c.id, 'status', 'active', c.created_at FROM candidates c ORDER BY c.id;

INSERT INTO candidate_history (candidate_id, kind, value, at)
SELECT c.id,
       CASE a.action WHEN 'candidate.move' THEN 'stage' ELSE 'status' END,
       CASE a.action
         WHEN 'candidate.move' THEN substr(a.detail, 10)
         ELSE CASE WHEN instr(substr(a.detail, instr(a.detail, ' to ') + 4), ',') > 0
                   THEN substr(substr(a.detail, instr(a.detail, ' to ') + 4), 1,
                               instr(substr(a.detail, instr(a.detail, ' to ') + 4), ',') - 1)
                   ELSE substr(a.detail, instr(a.detail, ' to ') + 4) END
       END,
       a.at
FROM audit a
JOIN candidates c ON a.subject = 'candidate:' || c.id
WHERE (a.action = 'candidate.move' AND a.detail LIKE 'to stage %')
   OR (a.action = 'candidate.status' AND instr(a.detail, ' to ') > 0)
ORDER BY a.id;

CREATE TRIGGER candidate_history_new AFTER INSERT ON candidates BEGIN
    INSERT INTO candidate_history (candidate_id, kind, value, at)
    VALUES (NEW.id, 'stage', NEW.stage, NEW.created_at);
    INSERT INTO candidate_history (candidate_id, kind, value, at)
    VALUES (NEW.id, 'status', NEW.status, NEW.created_at);
END;

CREATE TRIGGER candidate_history_stage AFTER UPDATE OF stage ON candidates
WHEN NEW.stage IS NOT OLD.stage BEGIN
    INSERT INTO candidate_history (candidate_id, kind, value, at)
    VALUES (NEW.id, 'stage', NEW.stage, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER candidate_history_status AFTER UPDATE OF status ON candidates
WHEN NEW.status IS NOT OLD.status BEGIN
    INSERT INTO candidate_history (candidate_id, kind, value, at)
    VALUES (NEW.id, 'status', NEW.status, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
