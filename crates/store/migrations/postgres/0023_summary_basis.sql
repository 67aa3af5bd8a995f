-- What the candidates' summaries were computed from (as on SQLite, migration
-- 0023 there): a digest of the framework in use. When the framework changed
-- since the digest recorded, every summary is marked stale in the same
-- transaction. No row until the first list read.
CREATE TABLE summary_basis (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    framework  TEXT NOT NULL
);
