-- A display name for each account (how people are shown on pages); the name
-- stays the sign-in name, the one assignments and the audit log use.
ALTER TABLE users ADD COLUMN display_name TEXT;
