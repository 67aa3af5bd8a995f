-- Full-text search over what people wrote about candidates and what candidates
-- wrote themselves. `search_docs` says what each indexed text is (whose, from
-- which row) so visibility is decided in SQL; `search_text` (FTS5, its rowid
-- the doc's id) holds the words. Triggers keep both in step inside the same
-- transaction as every write, erasure included; FTS5's secure-delete removes
-- deleted words from the index itself, not just from the document table.
--
-- Sources: `name` (the candidate's name), `scorecard` (an interviewer's notes,
-- author = the interviewer), `reference` (the answer and example, author = who
-- recorded it), `work` (what the candidate wrote: their answers and their
-- review) and `evidence` (the rest of an evidence record, tools' verdicts
-- included). Control characters 1 and 2 mark highlights, so they are removed.

CREATE TABLE search_docs (
    id            INTEGER PRIMARY KEY,
    candidate_id  INTEGER NOT NULL,
    source        TEXT    NOT NULL,
    source_id     INTEGER NOT NULL,
    author        TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX search_docs_by_source ON search_docs(source, source_id);
CREATE INDEX search_docs_by_candidate ON search_docs(candidate_id);

CREATE VIRTUAL TABLE search_text USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_text (search_text, rank) VALUES ('secure-delete', 1);

-- Names.
CREATE TRIGGER search_name_in AFTER INSERT ON candidates BEGIN
    INSERT INTO search_docs (candidate_id, source, source_id) VALUES (NEW.id, 'name', NEW.id);
    INSERT INTO search_text (rowid, body)
    SELECT id, replace(replace(NEW.name, char(1), ' '), char(2), ' ')
    FROM search_docs WHERE source = 'name' AND source_id = NEW.id;
END;
CREATE TRIGGER search_name_change AFTER UPDATE OF name ON candidates BEGIN
    UPDATE search_text SET body = replace(replace(NEW.name, char(1), ' '), char(2), ' ')
    WHERE rowid = (SELECT id FROM search_docs WHERE source = 'name' AND source_id = NEW.id);
END;
CREATE TRIGGER search_name_out AFTER DELETE ON candidates BEGIN
    DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_docs WHERE candidate_id = OLD.id);
    DELETE FROM search_docs WHERE candidate_id = OLD.id;
END;

-- Scorecard notes (every version).
CREATE TRIGGER search_scorecard_in AFTER INSERT ON scorecards BEGIN
    INSERT INTO search_docs (candidate_id, source, source_id, author)
    VALUES (NEW.candidate_id, 'scorecard', NEW.id, NEW.interviewer);
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
    INSERT INTO search_docs (candidate_id, source, source_id, author)
    VALUES (NEW.candidate_id, 'reference', NEW.id, NEW.recorded_by);
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
    INSERT INTO search_docs (candidate_id, source, source_id) VALUES (NEW.candidate_id, 'work', NEW.id);
    INSERT INTO search_text (rowid, body)
    SELECT d.id, replace(replace(coalesce((SELECT group_concat(t.value, ' ') FROM json_tree(NEW.body) t
                     WHERE t.type = 'text' AND (t.fullkey LIKE '$.answers%' OR t.fullkey LIKE '$.review%')), ''), char(1), ' '), char(2), ' ')
    FROM search_docs d WHERE d.source = 'work' AND d.source_id = NEW.id;
    INSERT INTO search_docs (candidate_id, source, source_id) VALUES (NEW.candidate_id, 'evidence', NEW.id);
    INSERT INTO search_text (rowid, body)
    SELECT d.id, replace(replace(NEW.kind || ' ' || NEW.source || ' ' || coalesce((SELECT group_concat(t.value, ' ') FROM json_tree(NEW.body) t
                     WHERE t.type = 'text' AND NOT (t.fullkey LIKE '$.answers%' OR t.fullkey LIKE '$.review%')), ''), char(1), ' '), char(2), ' ')
    FROM search_docs d WHERE d.source = 'evidence' AND d.source_id = NEW.id;
END;
CREATE TRIGGER search_evidence_out AFTER DELETE ON evidence BEGIN
    DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_docs WHERE source IN ('work', 'evidence') AND source_id = OLD.id);
    DELETE FROM search_docs WHERE source IN ('work', 'evidence') AND source_id = OLD.id;
END;

-- What is already stored.
INSERT INTO search_docs (candidate_id, source, source_id) SELECT id, 'name', id FROM candidates;
INSERT INTO search_docs (candidate_id, source, source_id, author) SELECT candidate_id, 'scorecard', id, interviewer FROM scorecards;
INSERT INTO search_docs (candidate_id, source, source_id, author) SELECT candidate_id, 'reference', id, recorded_by FROM candidate_references;
INSERT INTO search_docs (candidate_id, source, source_id) SELECT candidate_id, 'work', id FROM evidence;
INSERT INTO search_docs (candidate_id, source, source_id) SELECT candidate_id, 'evidence', id FROM evidence;

INSERT INTO search_text (rowid, body)
SELECT d.id, replace(replace(c.name, char(1), ' '), char(2), ' ')
FROM search_docs d JOIN candidates c ON c.id = d.source_id WHERE d.source = 'name';
INSERT INTO search_text (rowid, body)
SELECT d.id, replace(replace(coalesce((SELECT group_concat(value, ' ') FROM json_each(s.body, '$.notes')), ''), char(1), ' '), char(2), ' ')
FROM search_docs d JOIN scorecards s ON s.id = d.source_id WHERE d.source = 'scorecard';
INSERT INTO search_text (rowid, body)
SELECT d.id, replace(replace(coalesce(json_extract(r.body, '$.answer'), '') || ' ' || coalesce(json_extract(r.body, '$.example'), ''), char(1), ' '), char(2), ' ')
FROM search_docs d JOIN candidate_references r ON r.id = d.source_id WHERE d.source = 'reference';
INSERT INTO search_text (rowid, body)
SELECT d.id, replace(replace(coalesce((SELECT group_concat(t.value, ' ') FROM json_tree(e.body) t
                 WHERE t.type = 'text' AND (t.fullkey LIKE '$.answers%' OR t.fullkey LIKE '$.review%')), ''), char(1), ' '), char(2), ' ')
FROM search_docs d JOIN evidence e ON e.id = d.source_id WHERE d.source = 'work';
INSERT INTO search_text (rowid, body)
SELECT d.id, replace(replace(e.kind || ' ' || e.source || ' ' || coalesce((SELECT group_concat(t.value, ' ') FROM json_tree(e.body) t
                 WHERE t.type = 'text' AND NOT (t.fullkey LIKE '$.answers%' OR t.fullkey LIKE '$.review%')), ''), char(1), ' '), char(2), ' ')
FROM search_docs d JOIN evidence e ON e.id = d.source_id WHERE d.source = 'evidence';
