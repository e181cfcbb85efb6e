-- Organisations and mutual aid (issue 18). Every staff account belongs to one
-- organisation; an organisation covers territories (départements), and its
-- staff see the cases of those départements, plus the cases lent to it. A
-- 'national' organisation sees the whole country. The accounts made before
-- belong to the national organisation created here (id 1), so that nothing
-- they saw disappears.
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL CHECK (kind IN ('fund', 'agency', 'support_cell', 'national')),
    name        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

INSERT INTO organisations (id, kind, name, created_at) VALUES (1, 'national', 'National', 0);

-- The départements an organisation covers (none for a national one).
CREATE TABLE organisation_departements (
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    departement      TEXT    NOT NULL REFERENCES departements (code),
    PRIMARY KEY (organisation_id, departement)
);
CREATE INDEX organisation_departements_departement ON organisation_departements (departement);

-- (SQLite cannot add a REFERENCES column with a default: the store checks
-- the organisation exists before it writes one.)
ALTER TABLE staff_users ADD COLUMN organisation_id INTEGER NOT NULL DEFAULT 1;

-- The export API keys are scoped to an organisation like staff (national:
-- every case, as before).
ALTER TABLE api_keys ADD COLUMN organisation_id INTEGER NOT NULL DEFAULT 1;

-- A lend: part of a queue (the oldest cases not yet called of a
-- département) given to another organisation for a while. The lent cases
-- carry the lend; taking it back returns those not yet opened by the
-- helping team.
CREATE TABLE lends (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    from_org         INTEGER NOT NULL REFERENCES organisations (id),
    to_org           INTEGER NOT NULL REFERENCES organisations (id),
    departement      TEXT    NOT NULL REFERENCES departements (code),
    asked            INTEGER NOT NULL,
    lent             INTEGER NOT NULL,
    created_by       INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    taken_back_at    INTEGER,
    taken_back       INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE cases ADD COLUMN lend_id INTEGER REFERENCES lends (id);
ALTER TABLE cases ADD COLUMN lent_to INTEGER REFERENCES organisations (id);
CREATE INDEX cases_lent_to ON cases (lent_to, queue, sample_date, id);
CREATE INDEX cases_lend ON cases (lend_id);
-- A local queue reads its départements' cases in queue order.
CREATE INDEX cases_departement_queue ON cases (departement, queue, sample_date, id);

-- The dashboard's figures are kept by département too (one row per day and
-- département, '' for the cases without one and for the days computed
-- before), so that a fund's, a region's and the national dashboards all
-- read pre-aggregated rows. SQLite changes a primary key by a copy.
CREATE TABLE daily_figures_by_departement (
    day                      TEXT    NOT NULL,
    departement              TEXT    NOT NULL DEFAULT '',
    cases                    INTEGER  NOT NULL,
    contacts_declared        INTEGER  NOT NULL,
    contacts_validated       INTEGER  NOT NULL,
    cases_called             INTEGER  NOT NULL,
    cases_listed_before_call INTEGER  NOT NULL,
    cases_reached            INTEGER  NOT NULL,
    contacts_to_notify       INTEGER  NOT NULL,
    contacts_reached         INTEGER  NOT NULL,
    cases_without_contact    INTEGER  NOT NULL,
    second_calls             INTEGER  NOT NULL,
    sms_sent                 INTEGER  NOT NULL,
    sms_failed               INTEGER  NOT NULL,
    sms_replied              INTEGER  NOT NULL,
    sample_to_call           TEXT    NOT NULL,
    call_to_notified         TEXT    NOT NULL,
    computed_at              INTEGER  NOT NULL,
    PRIMARY KEY (day, departement)
);
INSERT INTO daily_figures_by_departement (day, departement, cases, contacts_declared,
    contacts_validated, cases_called, cases_listed_before_call, cases_reached,
    contacts_to_notify, contacts_reached, cases_without_contact, second_calls, sms_sent,
    sms_failed, sms_replied, sample_to_call, call_to_notified, computed_at)
SELECT day, '', cases, contacts_declared, contacts_validated, cases_called,
    cases_listed_before_call, cases_reached, contacts_to_notify, contacts_reached,
    cases_without_contact, second_calls, sms_sent, sms_failed, sms_replied, sample_to_call,
    call_to_notified, computed_at FROM daily_figures;
DROP TABLE daily_figures;
ALTER TABLE daily_figures_by_departement RENAME TO daily_figures;
