-- The contact's follow-up (the contact journey, /c/<token>): what the
-- contact reports after being notified. Symptoms and a phone change are
-- flagged for the tracer (follow_up_at); each recorded test is a row; a
-- positive test opens a new case linked to the contact and to the original
-- case, at most once per contact.
ALTER TABLE contacts ADD COLUMN symptoms_since TEXT;
ALTER TABLE contacts ADD COLUMN requested_phone TEXT;
-- A follow-up form that failed validation: what was typed, as JSON.
ALTER TABLE contacts ADD COLUMN follow_up_draft TEXT;
ALTER TABLE contacts ADD COLUMN follow_up_at INTEGER;
ALTER TABLE cases ADD COLUMN source_contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX cases_source_contact ON cases (source_contact_id);

CREATE TABLE contact_tests (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    sampled_on  TEXT    NOT NULL,
    result      TEXT    NOT NULL CHECK (result IN ('negative', 'positive', 'pending')),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX contact_tests_contact ON contact_tests (contact_id, sampled_on);
