-- The whole debrief beside each summary, as JSON (as on SQLite, migration 0025
-- there): written with the summary's figures, read by an opening's debrief
-- instead of every scorecard of its page. Every summary is marked stale so
-- the next list read computes them all once with it.
ALTER TABLE candidate_summary ADD COLUMN debrief TEXT;
UPDATE candidate_summary SET stale = TRUE, generation = generation + 1;
