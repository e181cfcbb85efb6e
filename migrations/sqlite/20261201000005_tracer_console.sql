-- The tracers' console: the call queues, calls and their outcomes, what each
-- tracer last saw of a case, the tracer's own classification of a contact,
-- and what a tracer typed that could not be saved yet (their draft).

-- Which queue a case waits in: the first call, a second call (at
-- call_back_at), or none (done).
ALTER TABLE cases ADD COLUMN queue TEXT NOT NULL DEFAULT 'first'
    CHECK (queue IN ('first', 'second', 'done'));
ALTER TABLE cases ADD COLUMN call_back_at INTEGER;
ALTER TABLE cases ADD COLUMN last_call_at INTEGER;
ALTER TABLE cases ADD COLUMN last_call_outcome TEXT;
ALTER TABLE cases ADD COLUMN validated_at INTEGER;
-- "last first", lower case without accents: the index of the name search.
ALTER TABLE cases ADD COLUMN name_key TEXT;
UPDATE cases SET name_key = lower(coalesce(last_name, '') || ' ' || coalesce(first_name, ''));
UPDATE cases SET queue = 'done' WHERE status = 'closed';
CREATE INDEX cases_first_queue ON cases (queue, sample_date, id);
CREATE INDEX cases_second_queue ON cases (queue, call_back_at, id);
CREATE INDEX cases_name_key ON cases (name_key);
CREATE INDEX cases_phone ON cases (phone);

-- A tracer's decision on a contact, with why; NULL keeps the rules' one.
ALTER TABLE contacts ADD COLUMN tracer_classification TEXT;
ALTER TABLE contacts ADD COLUMN tracer_reason TEXT;
-- The staff member who last changed the contact; NULL when the case did.
ALTER TABLE contacts ADD COLUMN changed_by_staff INTEGER;

CREATE TABLE case_calls (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    staff_user_id  INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    outcome        TEXT    NOT NULL,
    call_back_at   INTEGER,
    at             INTEGER NOT NULL
);
CREATE INDEX case_calls_case ON case_calls (case_id, at);

CREATE TABLE staff_case_views (
    staff_user_id  INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    seen_at        INTEGER NOT NULL,
    PRIMARY KEY (staff_user_id, case_id)
);

CREATE TABLE staff_drafts (
    staff_user_id  INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    fields         TEXT    NOT NULL,
    conflict       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (staff_user_id, case_id)
);

CREATE INDEX sms_outbox_contact ON sms_outbox (contact_id);
CREATE INDEX sms_outbox_case ON sms_outbox (case_id);
