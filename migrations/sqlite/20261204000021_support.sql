-- Issue 19: support during isolation.
--
-- A new staff role, 'support', for the isolation-support cells. SQLite
-- cannot change a CHECK constraint in place: the table is copied. Other
-- tables reference staff_users (ON DELETE SET NULL or CASCADE); with
-- foreign keys on, dropping the old table would run those actions on every
-- row pointing to it. The store runs the SQLite migrations on a connection
-- with foreign keys off, and checks them all once done (see
-- `Db::migrate`), as SQLite's documentation prescribes for such a copy.
CREATE TABLE staff_users_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('tracer', 'supervisor', 'admin', 'support')),
    password_hash  TEXT    NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    last_failed_at INTEGER,
    locked_at      INTEGER,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     INTEGER NOT NULL,
    organisation_id INTEGER NOT NULL DEFAULT 1,
    locked_until   BIGINT,
    locks          INTEGER NOT NULL DEFAULT 0,
    totp_secret    TEXT,
    totp_enabled_at BIGINT,
    totp_last_step BIGINT
);
INSERT INTO staff_users_new (id, username, display_name, role, password_hash, failed_logins,
    last_failed_at, locked_at, disabled, created_at, organisation_id, locked_until, locks,
    totp_secret, totp_enabled_at, totp_last_step)
SELECT id, username, display_name, role, password_hash, failed_logins,
    last_failed_at, locked_at, disabled, created_at, organisation_id, locked_until, locks,
    totp_secret, totp_enabled_at, totp_last_step
FROM staff_users;
-- The ids of accounts deleted before are not given again.
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'staff_users')
WHERE name = 'staff_users_new';
DROP TABLE staff_users;
ALTER TABLE staff_users_new RENAME TO staff_users;

-- A request for help during isolation: from the case (their declaration),
-- an at-risk contact (their page), the tracer (the case's answer on the
-- call) or a "3" answered to a follow-up text. Only with `consent` does the
-- support cell of `departement` (the case's when it was made) see it;
-- without, it stays with the tracers. Deleted with its case by the purge.
CREATE TABLE support_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    contact_id      INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    origin          TEXT NOT NULL CHECK (origin IN ('case', 'contact', 'tracer', 'sms')),
    -- The needs' machine names, comma separated ('' when the person asked
    -- by text: the cell asks on the phone).
    needs           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    callback_phone  TEXT,
    -- Where the help goes (a nurse's visit, a delivery), if given.
    address         TEXT NOT NULL DEFAULT '',
    best_time       TEXT NOT NULL DEFAULT 'any',
    consent         BOOLEAN NOT NULL,
    departement     TEXT,
    -- The last day of the isolation (or quarantine) the help is for.
    until_day       TEXT,
    state           TEXT NOT NULL DEFAULT 'new'
                    CHECK (state IN ('new', 'taken', 'done', 'unreachable', 'refused')),
    taken_by        INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    taken_at        INTEGER,
    closed_at       INTEGER,
    state_note      TEXT NOT NULL DEFAULT '',
    -- One request per follow-up text answered "3", however often it comes.
    dedupe_key      TEXT UNIQUE,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX support_requests_queue ON support_requests (departement, consent, state, created_at, id);
CREATE INDEX support_requests_case ON support_requests (case_id);
CREATE INDEX support_requests_created ON support_requests (created_at, id);

-- The answers to the follow-up texts ("How are you? 1 all right, 2 worse,
-- 3 I need help"): each answer to one text is acted on once (the advice
-- sent, the case flagged, the request opened), whichever node receives it.
CREATE TABLE wellbeing_answers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id     INTEGER NOT NULL,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    contact_id      INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    answer          TEXT NOT NULL CHECK (answer IN ('all_right', 'worse', 'need_help')),
    received_at     INTEGER NOT NULL,
    UNIQUE (question_id, answer)
);
CREATE INDEX wellbeing_answers_case ON wellbeing_answers (case_id);

-- What a case or a contact typed in the request form, kept when the form
-- is sent back with a problem to fix (JSON; cleared once sent).
ALTER TABLE cases ADD COLUMN support_draft TEXT;
ALTER TABLE contacts ADD COLUMN support_draft TEXT;

-- The follow-up texts ("How are you?") carry the last day of the isolation
-- or quarantine they follow: a request opened by answering "3" says it.
ALTER TABLE sms_outbox ADD COLUMN until_day TEXT;
-- The dashboard counts the cases sent one in a period.
CREATE INDEX sms_outbox_kind_sent ON sms_outbox (kind, sent_at);

-- A case (or one of its contacts) answered "2 worse" to a follow-up text:
-- the tracer sees it on the case until they mark it seen.
ALTER TABLE cases ADD COLUMN feels_worse_at INTEGER;
ALTER TABLE cases ADD COLUMN feels_worse_seen_at INTEGER;
