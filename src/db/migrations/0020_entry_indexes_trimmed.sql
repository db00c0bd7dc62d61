-- An index every append paid for and no query needs: (author_agency_id, child_id) was for an agency
-- filter that now reads the child's timeline index and filters (record/chronology-json.ts). One
-- index fewer on entries: a cheaper append (docs/BENCHMARKS.md).
DROP INDEX entries_agency;
