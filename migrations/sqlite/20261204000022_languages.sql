-- Issue 20: the language each contact reads, as the case or a tracer said
-- it. NULL: not said, and the contact's texts and page go in the case's
-- language (what every contact got before this column).
ALTER TABLE contacts ADD COLUMN lang TEXT;
