-- The clusters of the last 14 days, computed by the background job with the
-- daily figures, so that the supervisors' page does not read every place
-- of the period at each visit (settings.recent_clusters says which period
-- and when). Emptied by the purge: they name places.
CREATE TABLE recent_clusters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_order INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    town          TEXT    NOT NULL,
    first_day     TEXT    NOT NULL,
    last_day      TEXT    NOT NULL,
    cases         INTEGER NOT NULL,
    visits        INTEGER NOT NULL
);
