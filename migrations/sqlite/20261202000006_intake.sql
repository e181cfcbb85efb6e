-- The integration API (issue 7): keys of the other systems (the lab-results
-- feed, the national tracing tool). Only the SHA-256 of a 256-bit random key
-- is kept; `rights` is a comma-separated list of `intake`, `export`.
CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL UNIQUE,
    key_hash      TEXT    NOT NULL UNIQUE,
    rights        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    last_used_at  INTEGER
);

-- The bulk export walks contacts by the time their case's list was validated.
CREATE INDEX cases_validated ON cases (validated_at, id);
