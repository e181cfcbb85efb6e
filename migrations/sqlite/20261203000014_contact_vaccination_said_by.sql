-- Who said the contact's vaccination (the columns `vaccination`,
-- `last_dose`): `contact` (on their own page), `case` (the case's form) or
-- `tracer`. NULL: nothing said, or said before this column.
ALTER TABLE contacts ADD COLUMN vaccination_said_by TEXT;
-- Before it, only the contact's own statement wrote `immunocompromised`.
UPDATE contacts SET vaccination_said_by = 'contact'
WHERE vaccination IS NOT NULL AND immunocompromised IS NOT NULL;
