-- What the candidates' summaries were computed from: a digest of the framework
-- in use (its signals' bars, the decision policy, the red flags…). The
-- application records it at its first list read after a start; when the
-- framework changed since the digest recorded, every summary is marked stale in
-- the same transaction, so no list shows a verdict from the old policy. No row
-- until the first read.
CREATE TABLE summary_basis (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    framework  TEXT NOT NULL
);
