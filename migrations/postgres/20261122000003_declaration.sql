-- The case's declaration: a form that failed validation is kept as a draft
-- (what was typed, as JSON) so that nothing is lost; a contact or place the
-- case removes after sending stays for the tracer, marked as removed.
ALTER TABLE cases ADD COLUMN contact_draft TEXT;
ALTER TABLE cases ADD COLUMN place_draft TEXT;
ALTER TABLE contacts ADD COLUMN removed_at BIGINT;
ALTER TABLE places ADD COLUMN removed_at BIGINT;
ALTER TABLE places ADD COLUMN changed_after_submit BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE places ADD COLUMN updated_at BIGINT;
