-- Scheduled messages and inbound replies (issue 7, items 3 and 4).
--
-- The outbox gains two final statuses: `cancelled` (a scheduled message that
-- became pointless before it was due: the contact recorded a test result,
-- answered, or is no longer validated) and `opted_out` (never sent: the
-- number answered STOP). `for_day` is the day a scheduled message is about
-- (the test day it reminds of, or the last test day the follow-up question
-- asks about). SQLite cannot change a CHECK: the table is rebuilt.
CREATE TABLE sms_outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL,
    dedupe_key      TEXT    UNIQUE,
    to_phone        TEXT,
    body            TEXT,
    lang            TEXT    NOT NULL DEFAULT 'fr',
    case_id         INTEGER,
    contact_id      INTEGER,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'opted_out')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    claimed_until   INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    for_day         TEXT
);
INSERT INTO sms_outbox_new (id, kind, dedupe_key, to_phone, body, lang, case_id, contact_id,
    status, attempts, next_attempt_at, claimed_by, claimed_until, last_error, created_at, sent_at)
SELECT id, kind, dedupe_key, to_phone, body, lang, case_id, contact_id,
    status, attempts, next_attempt_at, claimed_by, claimed_until, last_error, created_at, sent_at
FROM sms_outbox;
DROP TABLE sms_outbox;
ALTER TABLE sms_outbox_new RENAME TO sms_outbox;
CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at);
CREATE INDEX sms_outbox_contact ON sms_outbox (contact_id);
CREATE INDEX sms_outbox_case ON sms_outbox (case_id);
CREATE INDEX sms_outbox_phone ON sms_outbox (to_phone, kind);

-- Numbers that answered STOP (E.164): nothing is ever sent to them again.
CREATE TABLE sms_opt_outs (
    phone       TEXT    PRIMARY KEY,
    created_at  INTEGER NOT NULL
);

-- Every inbound message the gateway handed over, by its own id, so that a
-- message delivered twice is acted on once. No personal data: the phone
-- and the text are kept only where a tracer needs them (sms_replies).
CREATE TABLE sms_inbound (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    gateway_id  TEXT    NOT NULL UNIQUE,
    outcome     TEXT    NOT NULL,
    received_at INTEGER NOT NULL
);

-- A free-text reply, for the tracers of the case (one row per case or
-- contact the number belongs to). Deleted with the case.
CREATE TABLE sms_replies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    inbound_id  INTEGER NOT NULL REFERENCES sms_inbound (id) ON DELETE CASCADE,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    contact_id  INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    from_phone  TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    read_at     INTEGER,
    read_by     INTEGER REFERENCES staff_users (id) ON DELETE SET NULL
);
CREATE INDEX sms_replies_case ON sms_replies (case_id, read_at);

-- A contact's answer to the follow-up question by SMS:
-- negative, positive or not_tested.
ALTER TABLE contacts ADD COLUMN sms_answer TEXT;
ALTER TABLE contacts ADD COLUMN sms_answer_at INTEGER;
