-- The kept debrief's line beside it, as on SQLite (migration 0026 there): what
-- an opening's debrief page shows of each candidate, read instead of the whole
-- debrief. NULL for summaries saved before; the page reads the line out of the
-- whole debrief for those.
ALTER TABLE candidate_summary ADD COLUMN debrief_line TEXT;
