-- Issue 21 (hardening).
--
-- A contact or place form posted twice (a double tap on a bad network) adds
-- its item once: each new-item form carries a random key, claimed by the
-- row it created (one per case).
ALTER TABLE contacts ADD COLUMN form_key TEXT;
ALTER TABLE places ADD COLUMN form_key TEXT;
CREATE UNIQUE INDEX contacts_form_key ON contacts (case_id, form_key);
CREATE UNIQUE INDEX places_form_key ON places (case_id, form_key);

-- What a notified contact corrected on their own page (name, email) is kept
-- apart from what the case wrote: the case never sees it; the contact and
-- the tracers do. NULL: not corrected.
ALTER TABLE contacts ADD COLUMN own_first_name TEXT;
ALTER TABLE contacts ADD COLUMN own_last_name TEXT;
ALTER TABLE contacts ADD COLUMN own_email TEXT;

-- The case changed the symptom onset after sending the list: the dates of
-- the contacts may move; the tracer sees it until the next validation.
ALTER TABLE cases ADD COLUMN onset_changed_at BIGINT;

-- Staff locks expire: 15 minutes, doubling with each lock in a row.
-- NULL `locked_until` with `locked_at` set: locked until an admin unlocks.
ALTER TABLE staff_users ADD COLUMN locked_until BIGINT;
ALTER TABLE staff_users ADD COLUMN locks INTEGER NOT NULL DEFAULT 0;

-- Failed sign-ins under names that are no account, counted and delayed as an
-- account's are, so that the answers do not tell a known name from an
-- unknown one. The name is kept as a keyed hash; rows expire after a day.
CREATE TABLE sign_in_names (
    name_hash      TEXT    PRIMARY KEY,
    failures       INTEGER NOT NULL DEFAULT 0,
    locks          INTEGER NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    last_failed_at BIGINT  NOT NULL
);
CREATE INDEX sign_in_names_age ON sign_in_names (last_failed_at);
