-- The chronology shows, for each entry, the newest entry that corrects it. Without an index on
-- supersedes_id that lookup scanned the child's whole record once per entry (5,000 entries: 6 s).
-- Partial: only corrections are indexed, so ordinary appends pay nothing for it.
CREATE INDEX entries_supersedes ON entries (supersedes_id, seq) WHERE supersedes_id IS NOT NULL;

-- Entries from agency systems have no author practitioner. The author index serves "has this
-- practitioner written about this child" (author_id = $1), which never asks for NULL: leaving those
-- rows out saves an index insert for every entry an agency system appends.
DROP INDEX entries_author;
CREATE INDEX entries_author ON entries (author_id, child_id) WHERE author_id IS NOT NULL;
