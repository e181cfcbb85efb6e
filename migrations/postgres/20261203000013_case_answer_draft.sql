-- What the case typed in a form about themselves (their situation, their
-- early-release test) that could not be saved yet, as JSON, so that the
-- form shows it again: kept on the server, never in an address. NULL: none.
ALTER TABLE cases ADD COLUMN answer_draft TEXT;
