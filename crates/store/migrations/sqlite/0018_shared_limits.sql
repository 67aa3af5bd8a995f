-- Rate limits kept in the database, so every server that shares it counts the
-- same hits: one row per admitted hit, named by its bucket (for instance
-- `apply:<client address>`), at Unix seconds. Housekeeping deletes rows older
-- than the longest window.

CREATE TABLE rate_hits (
    bucket  TEXT    NOT NULL,
    at      INTEGER NOT NULL                  -- Unix seconds
);
CREATE INDEX rate_hits_by_bucket ON rate_hits(bucket, at);
CREATE INDEX rate_hits_by_time ON rate_hits(at);
