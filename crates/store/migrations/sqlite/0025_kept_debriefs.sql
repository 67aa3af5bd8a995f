-- The whole debrief beside each summary, as JSON, written by the same update
-- that writes the summary's figures (so it is exactly as fresh as they are:
-- a write about the candidate marks both stale in its own transaction). An
-- opening's debrief reads these instead of loading every scorecard, reference
-- and assignment of its page. NULL until a summary is computed with it: every
-- summary is marked stale here so the next list read computes them all once.
ALTER TABLE candidate_summary ADD COLUMN debrief TEXT;
UPDATE candidate_summary SET stale = 1, generation = generation + 1;
