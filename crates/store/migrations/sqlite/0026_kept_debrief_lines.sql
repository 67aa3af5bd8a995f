-- Beside the kept debrief, its line (core's DebriefLine, JSON): each signal's
-- median, bar and raters, the flags that block, the verdict. An opening's
-- debrief page reads these ~300 bytes instead of the ~4 KB debrief. Written by
-- the same update as the debrief, so it is exactly as fresh. NULL for the
-- summaries saved before this migration: the page then reads the line out of
-- the whole debrief (`coalesce`), so nothing needs computing again.
ALTER TABLE candidate_summary ADD COLUMN debrief_line TEXT;
