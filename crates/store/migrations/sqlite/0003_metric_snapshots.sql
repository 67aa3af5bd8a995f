-- Delivery-metric snapshots of an opening's team: the baseline when the role is
-- opened, then the 6- and 12-month measurements compared against it.
CREATE TABLE metric_snapshots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    opening_id  INTEGER NOT NULL REFERENCES openings(id),
    kind        TEXT    NOT NULL,          -- git | deploys | prs
    source      TEXT    NOT NULL,          -- the file it was read from
    body        TEXT    NOT NULL,          -- the report's JSON, as printed
    created_at  TEXT    NOT NULL
);
CREATE INDEX metric_snapshots_by_opening ON metric_snapshots(opening_id);
