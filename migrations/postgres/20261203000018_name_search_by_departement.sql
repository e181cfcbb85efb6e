-- A fund's search by name reads its départements' names in order (issue
-- 18): with a million cases, a common name's prefix matches thousands of
-- cases of other départements that a search filtered afterwards would walk.
CREATE INDEX cases_departement_name ON cases (departement, name_key);
-- The mutual-aid page counts each fund's cases lent away from this index,
-- reading the lent rows only.
CREATE INDEX cases_departement_lent ON cases (departement, queue, lent_to);
