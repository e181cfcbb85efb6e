-- Issue 21: a second factor for staff (TOTP, RFC 6238).
--
-- The shared secret (base32) is needed to check codes, so it is kept as is;
-- it is enabled once the member typed a first code from it. The last time
-- step accepted is kept: a code is never accepted twice.
ALTER TABLE staff_users ADD COLUMN totp_secret TEXT;
ALTER TABLE staff_users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE staff_users ADD COLUMN totp_last_step BIGINT;

-- Recovery codes, each usable once, kept as SHA-256 hashes only.
CREATE TABLE staff_recovery_codes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_user_id  INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    code_hash      TEXT    NOT NULL,
    used_at        BIGINT
);
CREATE INDEX staff_recovery_codes_member ON staff_recovery_codes (staff_user_id);

-- A session opened by the password of a member with a second factor waits
-- for the code: it opens no page until then (and lasts minutes).
ALTER TABLE sessions ADD COLUMN factor_pending BOOLEAN NOT NULL DEFAULT FALSE;
