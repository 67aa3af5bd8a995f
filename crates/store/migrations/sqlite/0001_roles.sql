-- Roles defined through intake. The answers are kept as the role file's TOML so
-- they are re-read through the same parser (and the framework in use) every time.
CREATE TABLE roles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT    NOT NULL,
    role_toml   TEXT    NOT NULL,
    created_at  TEXT    NOT NULL   -- RFC 3339, UTC
);
