-- What the case says of their own vaccination (the rules of January 2022
-- on) and the test they took to end their isolation early. NULL: not said.
-- Dates are ISO text; the result is a TestResult machine name.
ALTER TABLE cases ADD COLUMN vaccination TEXT;
ALTER TABLE cases ADD COLUMN last_dose TEXT;
ALTER TABLE cases ADD COLUMN release_sampled_on TEXT;
ALTER TABLE cases ADD COLUMN release_result TEXT;
ALTER TABLE cases ADD COLUMN release_symptom_free BOOLEAN;
