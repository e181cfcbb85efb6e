-- The contact's vaccination, as the contact states it on their own page
-- (rule sets from July 2021 on use it). All nullable: NULL is "not stated"
-- (treated like unknown). The initial schema had a `vaccination` column
-- (NOT NULL DEFAULT 'none') that nothing ever wrote or read: it is
-- replaced by a nullable one holding a machine name of
-- relais::VaccinationStatus.
ALTER TABLE contacts DROP COLUMN vaccination;
ALTER TABLE contacts ADD COLUMN vaccination TEXT;
-- The day of the last dose of a complete schedule (ISO date).
ALTER TABLE contacts ADD COLUMN last_dose TEXT;
-- A single-dose vaccine (its schedule counts after 28 days, not 7).
ALTER TABLE contacts ADD COLUMN single_dose BOOLEAN;
-- Severely immunocompromised: treated as not vaccinated.
ALTER TABLE contacts ADD COLUMN immunocompromised BOOLEAN;
