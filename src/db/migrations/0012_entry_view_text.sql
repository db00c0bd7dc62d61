-- Each entry's API JSON, written once when the entry is appended, so a long chronology is one
-- string_agg instead of thousands of rows rebuilt on every read. Verification recomputes it from the
-- hashed columns and names an entry whose stored copy differs. Entries written before this
-- migration have none and are built by the query as before.
ALTER TABLE entries ADD COLUMN view_text text;

-- The chronology reads a child's entries newest first: an index in exactly that order lets it skip
-- the sort (the time an entry happened, then its place in the chain).
DROP INDEX entries_child_occurred;
CREATE INDEX entries_child_timeline ON entries (child_id, occurred_at DESC, seq DESC);
