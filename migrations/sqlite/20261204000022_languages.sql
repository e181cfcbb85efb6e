-- Issue 20: the language each contact reads, as the case or a tracer said
-- it. NULL: not said, and the contact's texts and page go in the case's
-- language (what every contact got before this column).
ALTER TABLE contacts ADD COLUMN lang TEXT;
-- Whether the case chose their language themselves, on the site. The
-- intake's language (cases.lang) says which language their SMS go in; only
-- their own choice opens their link in it, else the browser's decides.
ALTER TABLE cases ADD COLUMN lang_chosen INTEGER NOT NULL DEFAULT 0;
