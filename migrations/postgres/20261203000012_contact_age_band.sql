-- The contact's age band, as the case or a tracer declares it (rule sets
-- from January 2022 on treat children under 12 apart): a machine name of
-- relais::AgeBand (`adult`, `12_17`, `under_12`). NULL for the rows written
-- before it: then read from `minor` (a minor is 12 to 17, an adult adult).
ALTER TABLE contacts ADD COLUMN age_band TEXT;
