-- Supervision and data lifecycle (issue 8); the same schema on both engines.
--
-- The dashboard's figures, one row per day: the cases created that day
-- (Europe/Paris) and what became of them. Counts only, no identities: these
-- rows outlive the purge of the personal data (retention), so the dashboard
-- still shows the past. The two delays are histograms in whole hours
-- ("hours:count,…", relais::figures::Histogram) so that days merge exactly.
CREATE TABLE daily_figures (
    day                      TEXT    PRIMARY KEY,
    cases                    BIGINT  NOT NULL,
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
    sample_to_call           TEXT    NOT NULL,
    call_to_notified         TEXT    NOT NULL,
    computed_at              BIGINT  NOT NULL
);

-- Backward tracing's clusters read the places of recent days.
CREATE INDEX places_visited ON places (visited_on);

-- The purge deletes cases with everything that points at them. Each foreign
-- key a deleted row is looked up by needs an index, or every deleted contact
-- would scan these tables.
CREATE INDEX link_tokens_case ON link_tokens (case_id);
CREATE INDEX link_tokens_contact ON link_tokens (contact_id);
CREATE INDEX sessions_case ON sessions (case_id);
CREATE INDEX sessions_contact ON sessions (contact_id);
CREATE INDEX sms_replies_contact ON sms_replies (contact_id);
CREATE INDEX sms_replies_inbound ON sms_replies (inbound_id);
CREATE INDEX staff_case_views_case ON staff_case_views (case_id);
CREATE INDEX staff_drafts_case ON staff_drafts (case_id);
CREATE INDEX cases_source_case ON cases (source_case_id);
CREATE INDEX sms_inbound_received ON sms_inbound (received_at);
CREATE INDEX sms_opt_outs_created ON sms_opt_outs (created_at);
CREATE INDEX login_attempts_at ON login_attempts (at);
