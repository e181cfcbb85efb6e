-- Mutual aid (issue 18): besides the backlog, a lend may give another
-- organisation a share of the new cases of a département for a period: each
-- new case waiting for its first call whose id falls in the share (id % 100
-- below `share`) is lent as the background job sees it, until `until_at`
-- or until the lend is taken back. NULL for a lend of the backlog.
ALTER TABLE lends ADD COLUMN share INTEGER;
ALTER TABLE lends ADD COLUMN until_at INTEGER;
