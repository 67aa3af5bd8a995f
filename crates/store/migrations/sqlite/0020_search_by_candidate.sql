-- Search documents numbered by candidate (SQLite only; PostgreSQL's search keeps
-- its tsvector on search_docs and is unchanged).
--
-- A document's id, which is also its FTS5 rowid, becomes the candidate's id
-- times 2^32 plus the document's number among that candidate's documents
-- (1, 2, …). A match then names its candidate by its rowid alone (rowid >> 32),
-- without looking the document up, and the documents of a run of candidates are
-- one range of rowids, which FTS5 can seek to. Before this, a search for a
-- common word looked up each of the tens of thousands of matching documents
-- just to learn whose it was.
--
-- Candidate ids stay below 2^31 (the trigger on candidates refuses larger
-- ones, which would overflow the shift); a candidate would need four billion
-- documents to reach the next one's range.

DROP TRIGGER search_name_in;
DROP TRIGGER search_name_change;
DROP TRIGGER search_name_out;
DROP TRIGGER search_scorecard_in;
DROP TRIGGER search_scorecard_out;
DROP TRIGGER search_reference_in;
DROP TRIGGER search_reference_out;
DROP TRIGGER search_evidence_in;
DROP TRIGGER search_evidence_out;

CREATE TABLE search_docs_renumbered (
    id            INTEGER PRIMARY KEY,
    candidate_id  INTEGER NOT NULL,
    source        TEXT    NOT NULL,
    source_id     INTEGER NOT NULL,
    author        TEXT    NOT NULL DEFAULT ''
);
INSERT INTO search_docs_renumbered (id, candidate_id, source, source_id, author)
SELECT (candidate_id << 32) + row_number() OVER (PARTITION BY candidate_id ORDER BY id),
       candidate_id, source, source_id, author
FROM search_docs;

CREATE VIRTUAL TABLE search_text_renumbered USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_text_renumbered (search_text_renumbered, rank) VALUES ('secure-delete', 1);
INSERT INTO search_text_renumbered (rowid, body)
SELECT n.id, t.body
FROM search_docs_renumbered n
JOIN search_docs o ON o.source = n.source AND o.source_id = n.source_id
JOIN search_text t ON t.rowid = o.id
ORDER BY n.id;

DROP TABLE search_text;
DROP TABLE search_docs;
ALTER TABLE search_docs_renumbered RENAME TO search_docs;
ALTER TABLE search_text_renumbered RENAME TO search_text;
CREATE UNIQUE INDEX search_docs_by_source ON search_docs(source, source_id);
CREATE INDEX search_docs_by_candidate ON search_docs(candidate_id);

-- The next document id of candidate NEW.candidate_id (or NEW.id for a name) is
-- one past the highest in its range: a seek on the primary key.

-- Names.
CREATE TRIGGER search_name_in AFTER INSERT ON candidates BEGIN
    SELECT RAISE(ABORT, 'candidate ids above 2147483647 cannot be indexed for search')
    WHERE NEW.id > 2147483647 OR NEW.id < 0;
    INSERT INTO search_docs (id, candidate_id, source, source_id)
    SELECT coalesce(max(id), NEW.id << 32) + 1, NEW.id, 'name', NEW.id
    FROM search_docs WHERE id BETWEEN NEW.id << 32 AND (NEW.id << 32) + 4294967295;
    INSERT INTO search_text (rowid, body)
    SELECT id, replace(replace(NEW.name, char(1), ' '), char(2), ' ')
    FROM search_docs WHERE source = 'name' AND source_id = NEW.id;
END;
CREATE TRIGGER search_name_change AFTER UPDATE OF name ON candidates BEGIN
    UPDATE search_text SET body = replace(replace(NEW.name, char(1), ' '), char(2), ' ')
    WHERE rowid = (SELECT id FROM search_docs WHERE source = 'name' AND source_id = NEW.id);
END;
CREATE TRIGGER search_name_out AFTER DELETE ON candidates BEGIN
    DELETE FROM search_text WHERE rowid BETWEEN OLD.id << 32 AND (OLD.id << 32) + 4294967295;
    DELETE FROM search_docs WHERE id BETWEEN OLD.id << 32 AND (OLD.id << 32) + 4294967295;
END;

-- Scorecard notes (every version).
CREATE TRIGGER search_scorecard_in AFTER INSERT ON scorecards BEGIN
    INSERT INTO search_docs (id, candidate_id, source, source_id, author)
    SELECT coalesce(max(id), NEW.candidate_id << 32) + 1, NEW.candidate_id, 'scorecard', NEW.id, NEW.interviewer
    FROM search_docs WHERE id BETWEEN NEW.candidate_id << 32 AND (NEW.candidate_id << 32) + 4294967295;
    INSERT INTO search_text (rowid, body)
    SELECT d.id, replace(replace(coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.body, '$.notes')), ''), char(1), ' '), char(2), ' ')
    FROM search_docs d WHERE d.source = 'scorecard' AND d.source_id = NEW.id;
END;
CREATE TRIGGER search_scorecard_out AFTER DELETE ON scorecards BEGIN
    DELETE FROM search_text WHERE rowid = (SELECT id FROM search_docs WHERE source = 'scorecard' AND source_id = OLD.id);
    DELETE FROM search_docs WHERE source = 'scorecard' AND source_id = OLD.id;
END;

-- References: the answer to the key question and the example.
CREATE TRIGGER search_reference_in AFTER INSERT ON candidate_references BEGIN
    INSERT INTO search_docs (id, candidate_id, source, source_id, author)
    SELECT coalesce(max(id), NEW.candidate_id << 32) + 1, NEW.candidate_id, 'reference', NEW.id, NEW.recorded_by
    FROM search_docs WHERE id BETWEEN NEW.candidate_id << 32 AND (NEW.candidate_id << 32) + 4294967295;
    INSERT INTO search_text (rowid, body)
    SELECT d.id, replace(replace(coalesce(json_extract(NEW.body, '$.answer'), '') || ' ' || coalesce(json_extract(NEW.body, '$.example'), ''), char(1), ' '), char(2), ' ')
    FROM search_docs d WHERE d.source = 'reference' AND d.source_id = NEW.id;
END;
CREATE TRIGGER search_reference_out AFTER DELETE ON candidate_references BEGIN
    DELETE FROM search_text WHERE rowid = (SELECT id FROM search_docs WHERE source = 'reference' AND source_id = OLD.id);
    DELETE FROM search_docs WHERE source = 'reference' AND source_id = OLD.id;
END;

-- Evidence: the candidate's own words (answers, review) apart from the rest.
CREATE TRIGGER search_evidence_in AFTER INSERT ON evidence BEGIN
    INSERT INTO search_docs (id, candidate_id, source, source_id)
    SELECT coalesce(max(id), NEW.candidate_id << 32) + 1, NEW.candidate_id, 'work', NEW.id
    FROM search_docs WHERE id BETWEEN NEW.candidate_id << 32 AND (NEW.candidate_id << 32) + 4294967295;
    INSERT INTO search_text (rowid, body)
    SELECT d.id, replace(replace(coalesce((SELECT group_concat(t.value, ' ') FROM json_tree(NEW.body) t
                     WHERE t.type = 'text' AND (t.fullkey LIKE '$.answers%' OR t.fullkey LIKE '$.review%')), ''), char(1), ' '), char(2), ' ')
    FROM search_docs d WHERE d.source = 'work' AND d.source_id = NEW.id;
    INSERT INTO search_docs (id, candidate_id, source, source_id)
    SELECT coalesce(max(id), NEW.candidate_id << 32) + 1, NEW.candidate_id, 'evidence', NEW.id
    FROM search_docs WHERE id BETWEEN NEW.candidate_id << 32 AND (NEW.candidate_id << 32) + 4294967295;
    INSERT INTO search_text (rowid, body)
    SELECT d.id, replace(replace(NEW.kind || ' ' || NEW.source || ' ' || coalesce((SELECT group_concat(t.value, ' ') FROM json_tree(NEW.body) t
                     WHERE t.type = 'text' AND NOT (t.fullkey LIKE '$.answers%' OR t.fullkey LIKE '$.review%')), ''), char(1), ' '), char(2), ' ')
    FROM search_docs d WHERE d.source = 'evidence' AND d.source_id = NEW.id;
END;
CREATE TRIGGER search_evidence_out AFTER DELETE ON evidence BEGIN
    DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_docs WHERE source IN ('work', 'evidence') AND source_id = OLD.id);
    DELETE FROM search_docs WHERE source IN ('work', 'evidence') AND source_id = OLD.id;
END;
