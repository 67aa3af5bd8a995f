-- Who recorded each reference: they may read it back while the blind rule still
-- hides everyone else's (older rows keep an empty name: nobody's own).
ALTER TABLE candidate_references ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
