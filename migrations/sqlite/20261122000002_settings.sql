-- Values every node must share, such as the key of the IP fingerprints used
-- by rate limits. Created on first use.
CREATE TABLE settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
