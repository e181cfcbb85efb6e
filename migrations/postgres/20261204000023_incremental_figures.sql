-- Issue 22: the daily figures refreshed incrementally. Every change that a
-- case's figures depend on marks the case in `figures_dirty` (triggers, so
-- that no write path can forget it); the refresh recomputes the marked cases
-- only, keeps each case's share in `case_figures`, and sums the shares of
-- the days it touched (store/src/figures.rs). `version` grows with every
-- mark: the refresh clears a mark only if no change came after it read it.
CREATE TABLE figures_dirty (
    case_id  BIGINT PRIMARY KEY,
    version  BIGINT NOT NULL DEFAULT 1
);

-- One case's share of its day's figures (the counts of daily_figures for
-- this one case; each delay in whole hours, NULL when not measured).
CREATE TABLE case_figures (
    case_id                  BIGINT  PRIMARY KEY,
    day                      TEXT    NOT NULL,
    departement              TEXT    NOT NULL DEFAULT '',
    contacts_declared        BIGINT  NOT NULL,
    contacts_validated       BIGINT  NOT NULL,
    cases_called             BIGINT  NOT NULL,
    cases_listed_before_call BIGINT  NOT NULL,
    cases_reached            BIGINT  NOT NULL,
    contacts_to_notify       BIGINT  NOT NULL,
    contacts_reached         BIGINT  NOT NULL,
    cases_without_contact    BIGINT  NOT NULL,
    second_calls             BIGINT  NOT NULL,
    sms_sent                 BIGINT  NOT NULL,
    sms_failed               BIGINT  NOT NULL,
    sms_replied              BIGINT  NOT NULL,
    sample_to_call           BIGINT,
    call_to_notified         BIGINT
);
CREATE INDEX case_figures_day ON case_figures (day);

-- Every case already there is computed once by the next refresh.
INSERT INTO figures_dirty (case_id) SELECT id FROM cases;

-- Rows inserted or deleted: a trigger per statement marks each case of the
-- statement once (a bulk insert of millions of contacts marks each of their
-- cases once, not once per row). The rows are the statement's transition
-- table, `changed_rows`.
CREATE FUNCTION figures_mark_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figures_dirty (case_id) SELECT DISTINCT id FROM changed_rows
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
    RETURN NULL;
END $$;

CREATE FUNCTION figures_mark_cases_of_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figures_dirty (case_id)
        SELECT DISTINCT case_id FROM changed_rows WHERE case_id IS NOT NULL
        ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
    RETURN NULL;
END $$;

-- Rows updated: a trigger per row, on the columns the figures read only
-- (PostgreSQL allows no column list with transition tables), and only when
-- a value they read changed (a statement setting a column to its own value
-- marks nothing).
CREATE FUNCTION figures_mark(p_case BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_case IS NOT NULL THEN
        INSERT INTO figures_dirty (case_id) VALUES (p_case)
            ON CONFLICT (case_id) DO UPDATE SET version = figures_dirty.version + 1;
    END IF;
END $$;

CREATE FUNCTION figures_mark_updated_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figures_mark(NEW.id);
    RETURN NULL;
END $$;

CREATE FUNCTION figures_mark_case_of_updated_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figures_mark(NEW.case_id);
    IF OLD.case_id IS DISTINCT FROM NEW.case_id THEN
        PERFORM figures_mark(OLD.case_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER figures_case_insert AFTER INSERT ON cases
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases();
CREATE TRIGGER figures_case_delete AFTER DELETE ON cases
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases();
CREATE TRIGGER figures_case_update
    AFTER UPDATE OF departement, sample_date, list_submitted_at, created_at ON cases
    FOR EACH ROW WHEN (OLD.departement IS DISTINCT FROM NEW.departement
        OR OLD.sample_date IS DISTINCT FROM NEW.sample_date
        OR OLD.list_submitted_at IS DISTINCT FROM NEW.list_submitted_at
        OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION figures_mark_updated_case();

CREATE TRIGGER figures_call_insert AFTER INSERT ON case_calls
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases_of_rows();
CREATE TRIGGER figures_call_delete AFTER DELETE ON case_calls
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases_of_rows();
CREATE TRIGGER figures_call_update AFTER UPDATE OF case_id, at, outcome ON case_calls
    FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id
        OR OLD.at IS DISTINCT FROM NEW.at OR OLD.outcome IS DISTINCT FROM NEW.outcome)
    EXECUTE FUNCTION figures_mark_case_of_updated_row();

CREATE TRIGGER figures_contact_insert AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases_of_rows();
CREATE TRIGGER figures_contact_delete AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases_of_rows();
CREATE TRIGGER figures_contact_update AFTER UPDATE OF case_id, removed_at, status, sms_answer ON contacts
    FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id
        OR OLD.removed_at IS DISTINCT FROM NEW.removed_at
        OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.sms_answer IS DISTINCT FROM NEW.sms_answer)
    EXECUTE FUNCTION figures_mark_case_of_updated_row();

CREATE TRIGGER figures_outbox_insert AFTER INSERT ON sms_outbox
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases_of_rows();
CREATE TRIGGER figures_outbox_delete AFTER DELETE ON sms_outbox
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases_of_rows();
-- A message's status counts only as sent or failed: claiming it ('pending'
-- to 'sending') or giving it back marks nothing. Two nodes' claims lock no
-- common mark then, whatever the order of their rows (no deadlock between
-- them), and the peak's claims write no marks.
CREATE TRIGGER figures_outbox_update AFTER UPDATE OF case_id, kind, status, sent_at ON sms_outbox
    FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id
        OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.sent_at IS DISTINCT FROM NEW.sent_at
        OR (OLD.status IS DISTINCT FROM NEW.status
            AND (OLD.status IN ('sent', 'failed') OR NEW.status IN ('sent', 'failed'))))
    EXECUTE FUNCTION figures_mark_case_of_updated_row();

CREATE TRIGGER figures_reply_insert AFTER INSERT ON sms_replies
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases_of_rows();
CREATE TRIGGER figures_reply_delete AFTER DELETE ON sms_replies
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_cases_of_rows();
CREATE TRIGGER figures_reply_update AFTER UPDATE OF case_id ON sms_replies
    FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id) EXECUTE FUNCTION figures_mark_case_of_updated_row();

-- The marks come and go like a queue's rows: vacuum them after every ten
-- thousand dead rows rather than a fifth of the table, so that the
-- refresh's walk through the marks never steps over millions of dead ones
-- (a bulk load leaves one per case per statement).
ALTER TABLE figures_dirty SET (autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 10000, autovacuum_vacuum_cost_delay = 0);
