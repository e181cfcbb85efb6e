-- Issue 22: the daily figures refreshed incrementally. Every change that a
-- case's figures depend on marks the case in `figures_dirty` (triggers, so
-- that no write path can forget it); the refresh recomputes the marked cases
-- only, keeps each case's share in `case_figures`, and sums the shares of
-- the days it touched (store/src/figures.rs). `version` grows with every
-- mark: the refresh clears a mark only if no change came after it read it.
--
-- A migration that rebuilds one of these tables (CREATE new, copy, DROP,
-- RENAME) drops its triggers on SQLite: it must create them again.
CREATE TABLE figures_dirty (
    case_id  INTEGER PRIMARY KEY,
    version  INTEGER NOT NULL DEFAULT 1
);

-- One case's share of its day's figures (the counts of daily_figures for
-- this one case; each delay in whole hours, NULL when not measured).
CREATE TABLE case_figures (
    case_id                  INTEGER PRIMARY KEY,
    day                      TEXT    NOT NULL,
    departement              TEXT    NOT NULL DEFAULT '',
    contacts_declared        INTEGER NOT NULL,
    contacts_validated       INTEGER NOT NULL,
    cases_called             INTEGER NOT NULL,
    cases_listed_before_call INTEGER NOT NULL,
    cases_reached            INTEGER NOT NULL,
    contacts_to_notify       INTEGER NOT NULL,
    contacts_reached         INTEGER NOT NULL,
    cases_without_contact    INTEGER NOT NULL,
    second_calls             INTEGER NOT NULL,
    sms_sent                 INTEGER NOT NULL,
    sms_failed               INTEGER NOT NULL,
    sms_replied              INTEGER NOT NULL,
    sample_to_call           INTEGER,
    call_to_notified         INTEGER
);
CREATE INDEX case_figures_day ON case_figures (day);

-- Every case already there is computed once by the next refresh.
INSERT INTO figures_dirty (case_id) SELECT id FROM cases;

CREATE TRIGGER figures_case_insert AFTER INSERT ON cases BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (NEW.id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_case_update
    AFTER UPDATE OF departement, sample_date, list_submitted_at, created_at ON cases
    WHEN OLD.departement IS NOT NEW.departement OR OLD.sample_date IS NOT NEW.sample_date
        OR OLD.list_submitted_at IS NOT NEW.list_submitted_at
        OR OLD.created_at IS NOT NEW.created_at BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (NEW.id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_case_delete AFTER DELETE ON cases BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (OLD.id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;

CREATE TRIGGER figures_call_insert AFTER INSERT ON case_calls BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (NEW.case_id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_call_update AFTER UPDATE OF case_id, at, outcome ON case_calls
    WHEN OLD.case_id IS NOT NEW.case_id OR OLD.at IS NOT NEW.at
        OR OLD.outcome IS NOT NEW.outcome BEGIN
    INSERT INTO figures_dirty (case_id)
        SELECT id FROM (SELECT NEW.case_id AS id UNION SELECT OLD.case_id) WHERE id IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_call_delete AFTER DELETE ON case_calls BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (OLD.case_id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;

CREATE TRIGGER figures_contact_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (NEW.case_id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_contact_update
    AFTER UPDATE OF case_id, removed_at, status, sms_answer ON contacts
    WHEN OLD.case_id IS NOT NEW.case_id OR OLD.removed_at IS NOT NEW.removed_at
        OR OLD.status IS NOT NEW.status OR OLD.sms_answer IS NOT NEW.sms_answer BEGIN
    INSERT INTO figures_dirty (case_id)
        SELECT id FROM (SELECT NEW.case_id AS id UNION SELECT OLD.case_id) WHERE id IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_contact_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (OLD.case_id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;

CREATE TRIGGER figures_outbox_insert AFTER INSERT ON sms_outbox
    WHEN NEW.case_id IS NOT NULL BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (NEW.case_id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
-- A message's status counts only as sent or failed: claiming it ('pending'
-- to 'sending') or giving it back marks nothing.
CREATE TRIGGER figures_outbox_update
    AFTER UPDATE OF case_id, kind, status, sent_at ON sms_outbox
    WHEN OLD.case_id IS NOT NEW.case_id OR OLD.kind IS NOT NEW.kind
        OR OLD.sent_at IS NOT NEW.sent_at
        OR (OLD.status IS NOT NEW.status
            AND (OLD.status IN ('sent', 'failed') OR NEW.status IN ('sent', 'failed'))) BEGIN
    INSERT INTO figures_dirty (case_id)
        SELECT id FROM (SELECT NEW.case_id AS id UNION SELECT OLD.case_id) WHERE id IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_outbox_delete AFTER DELETE ON sms_outbox
    WHEN OLD.case_id IS NOT NULL BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (OLD.case_id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;

CREATE TRIGGER figures_reply_insert AFTER INSERT ON sms_replies BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (NEW.case_id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_reply_update AFTER UPDATE OF case_id ON sms_replies
    WHEN OLD.case_id IS NOT NEW.case_id BEGIN
    INSERT INTO figures_dirty (case_id)
        SELECT id FROM (SELECT NEW.case_id AS id UNION SELECT OLD.case_id) WHERE id IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
CREATE TRIGGER figures_reply_delete AFTER DELETE ON sms_replies BEGIN
    INSERT INTO figures_dirty (case_id) VALUES (OLD.case_id)
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
END;
