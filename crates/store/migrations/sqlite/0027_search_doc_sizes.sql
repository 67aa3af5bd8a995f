-- Each search document's length in characters beside it (SQLite only).
--
-- A search shows each candidate's shortest matching document. Before this,
-- knowing a match's length meant reading its text out of FTS5's content table
-- (`length(search_text.body)`), one row per match, about a fifth of the
-- highlights query. The length now sits on the `search_docs` row the query
-- reads anyway for the document's source.
--
-- Kept by the triggers that write the text (migration 0020's, made again here
-- with one more step each): after a document's text is written, its length is
-- read back from the row just written. A document written by an older version
-- gets its length below.

ALTER TABLE search_docs ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
UPDATE search_docs SET size = coalesce((SELECT length(body) FROM search_text WHERE rowid = search_docs.id), 0);

DROP TRIGGER search_name_in;
DROP TRIGGER search_name_change;
DROP TRIGGER search_scorecard_in;
DROP TRIGGER search_reference_in;
DROP TRIGGER search_evidence_in;

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
    UPDATE search_docs SET size = (SELECT length(body) FROM search_text WHERE rowid = search_docs.id)
    WHERE source = 'name' AND source_id = NEW.id;
END;
CREATE TRIGGER search_name_change AFTER UPDATE OF name ON candidates BEGIN
    UPDATE search_text SET body = replace(replace(NEW.name, char(1), ' '), char(2), ' ')
    WHERE rowid = (SELECT id FROM search_docs WHERE source = 'name' AND source_id = NEW.id);
    UPDATE search_docs SET size = (SELECT length(body) FROM search_text WHERE rowid = search_docs.id)
    WHERE source = 'name' AND source_id = NEW.id;
END;

-- Scorecard notes (every version).
CREATE TRIGGER search_scorecard_in AFTER INSERT ON scorecards BEGIN
    INSERT INTO search_docs (id, candidate_id, source, source_id, author)
    SELECT coalesce(max(id), NEW.candidate_id << 32) + 1, NEW.candidate_id, 'scorecard', NEW.id, NEW.interviewer
    FROM search_docs WHERE id BETWEEN NEW.candidate_id << 32 AND (NEW.candidate_id << 32) + 4294967295;
    INSERT INTO search_text (rowid, body)
    SELECT d.id, replace(replace(coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.body, '$.notes')), ''), char(1), ' '), char(2), ' ')
    FROM search_docs d WHERE d.source = 'scorecard' AND d.source_id = NEW.id;
    UPDATE search_docs SET size = (SELECT length(body) FROM search_text WHERE rowid = search_docs.id)
    WHERE source = 'scorecard' AND source_id = NEW.id;
END;

-- References: the answer to the key question and the example.
CREATE TRIGGER search_reference_in AFTER INSERT ON candidate_references BEGIN
    INSERT INTO search_docs (id, candidate_id, source, source_id, author)
    SELECT coalesce(max(id), NEW.candidate_id << 32) + 1, NEW.candidate_id, 'reference', NEW.id, NEW.recorded_by
    FROM search_docs WHERE id BETWEEN NEW.candidate_id << 32 AND (NEW.candidate_id << 32) + 4294967295;
    INSERT INTO search_text (rowid, body)
    SELECT d.id, replace(replace(coalesce(json_extract(NEW.body, '$.answer'), '') || ' ' || coalesce(json_extract(NEW.body, '$.example'), ''), char(1), ' '), char(2), ' ')
    FROM search_docs d WHERE d.source = 'reference' AND d.source_id = NEW.id;
    UPDATE search_docs SET size = (SELECT length(body) FROM search_text WHERE rowid = search_docs.id)
    WHERE source = 'reference' AND source_id = NEW.id;
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
    UPDATE search_docs SET size = (SELECT length(body) FROM search_text WHERE rowid = search_docs.id)
    WHERE source IN ('work', 'evidence') AND source_id = NEW.id;
END;
