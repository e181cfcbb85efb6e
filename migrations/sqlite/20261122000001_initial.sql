-- Relais — first schema (SQLite). Same tables, columns and meaning as
-- migrations/postgres; only the type names differ. Dates are ISO-8601 text
-- (YYYY-MM-DD), instants are Unix seconds (UTC), booleans are BOOLEAN.

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    reference         TEXT    NOT NULL UNIQUE,
    lab_reference     TEXT    UNIQUE,
    first_name        TEXT,
    last_name         TEXT,
    birth_date        TEXT,
    phone             TEXT,
    email             TEXT,
    lang              TEXT    NOT NULL DEFAULT 'fr',
    sample_date       TEXT    NOT NULL,
    test_type         TEXT    NOT NULL DEFAULT 'pcr',
    has_symptoms      BOOLEAN,
    symptom_onset     TEXT,
    status            TEXT    NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'declaring', 'submitted', 'in_progress', 'closed')),
    list_submitted_at INTEGER,
    dob_failures      INTEGER NOT NULL DEFAULT 0,
    locked_at         INTEGER,
    source_case_id    INTEGER REFERENCES cases (id) ON DELETE SET NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    closed_at         INTEGER,
    purged_at         INTEGER
);
CREATE INDEX cases_queue ON cases (status, sample_date, id);
CREATE INDEX cases_created ON cases (created_at);

CREATE TABLE contacts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id              INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    first_name           TEXT,
    last_name            TEXT,
    phone                TEXT,
    phone_can_sms        BOOLEAN NOT NULL DEFAULT TRUE,
    email                TEXT,
    relationship         TEXT    NOT NULL DEFAULT 'other',
    last_contact         TEXT,
    household            BOOLEAN NOT NULL DEFAULT FALSE,
    exposures            TEXT    NOT NULL DEFAULT '',
    protection           TEXT    NOT NULL DEFAULT '',
    minor                BOOLEAN NOT NULL DEFAULT FALSE,
    guardian_phone       TEXT,
    vaccination          TEXT    NOT NULL DEFAULT 'none',
    classification       TEXT,
    status               TEXT    NOT NULL DEFAULT 'declared'
                         CHECK (status IN ('declared', 'validated', 'rejected')),
    added_by             TEXT    NOT NULL DEFAULT 'case' CHECK (added_by IN ('case', 'tracer')),
    changed_after_submit BOOLEAN NOT NULL DEFAULT FALSE,
    notified_at          INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX contacts_case ON contacts (case_id);
CREATE INDEX contacts_phone ON contacts (phone);

CREATE TABLE places (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    name        TEXT,
    town        TEXT,
    visited_on  TEXT    NOT NULL,
    attendance  INTEGER,
    indoors     BOOLEAN,
    masks       BOOLEAN,
    created_at  INTEGER NOT NULL
);
CREATE INDEX places_case ON places (case_id);

-- SMS links: only the SHA-256 of the 128-bit token is kept.
CREATE TABLE link_tokens (
    token_hash  TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('case', 'contact')),
    case_id     INTEGER REFERENCES cases (id) ON DELETE CASCADE,
    contact_id  INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE staff_users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('tracer', 'supervisor', 'admin')),
    password_hash  TEXT    NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    last_failed_at INTEGER,
    locked_at      INTEGER,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     INTEGER NOT NULL
);

-- Sessions of staff, cases and contacts. The cookie holds a random id; only
-- its SHA-256 is stored, so a copy of the database opens no session.
CREATE TABLE sessions (
    id_hash        TEXT    PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('staff', 'case', 'contact')),
    staff_user_id  INTEGER REFERENCES staff_users (id) ON DELETE CASCADE,
    case_id        INTEGER REFERENCES cases (id) ON DELETE CASCADE,
    contact_id     INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Every attempt to prove who one is (staff sign-in, date of birth), kept for
-- per-IP and per-subject rate limits across nodes. The IP is kept hashed.
CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    subject_id  INTEGER,
    ip_hash     TEXT    NOT NULL,
    succeeded   BOOLEAN NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX login_attempts_ip ON login_attempts (kind, ip_hash, at);

-- Who (staff) read or changed which record, when. No personal data.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             INTEGER NOT NULL,
    staff_user_id  INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    action         TEXT    NOT NULL,
    case_id        INTEGER,
    contact_id     INTEGER,
    detail         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_case ON audit_log (case_id, at);
CREATE INDEX audit_staff ON audit_log (staff_user_id, at);

-- Messages to send, written in the same transaction as their cause.
CREATE TABLE sms_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL,
    dedupe_key      TEXT    UNIQUE,
    to_phone        TEXT,
    body            TEXT,
    lang            TEXT    NOT NULL DEFAULT 'fr',
    case_id         INTEGER,
    contact_id      INTEGER,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    claimed_until   INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at);
