-- The hires by their own indexes, as on SQLite (migration 0028 there): the
-- candidates marked hired and the offers that name a start date, each a
-- partial index holding only those rows, so the outcome reminders and the
-- outcomes page no longer read every candidate.
CREATE INDEX candidates_hired ON candidates(id) WHERE status = 'hired';
CREATE INDEX offers_with_start ON offers(candidate_id, id) WHERE start_date IS NOT NULL;
