-- The list of out-of-date summaries is read, in candidate order, before every
-- list is drawn. An index of the stale rows by candidate answers it from the few
-- stale rows whatever the planner's statistics say (the index on `stale` alone
-- left PostgreSQL walking every summary in key order when its statistics were
-- old, as after a bulk load: 20 ms a list at 10,000 candidates).
DROP INDEX candidate_summary_stale;
CREATE INDEX candidate_summary_stale ON candidate_summary(candidate_id) WHERE stale = 1;
