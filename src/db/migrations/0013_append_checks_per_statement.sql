-- Appending a batch of 500 entries for 100 children ran about 1,700 per-row trigger calls that
-- re-proved the same few facts: four foreign-key checks per entry (a locking SELECT on persons,
-- agencies, api_tokens or practitioners each, nearly always the same child, agency and token
-- again) and one checkpoint insert per head. This migration proves the same things once per
-- statement, over the statement's new rows (transition tables). What is guaranteed does not change:

-- 1. Every state a chain head holds is kept in chain_checkpoints (migration 0005), now with one
--    INSERT ... SELECT per statement instead of one INSERT per head. Transition tables allow one
--    event per trigger, hence two triggers.
DROP TRIGGER chain_heads_checkpoint ON chain_heads;
DROP FUNCTION sightline_checkpoint_head();
CREATE FUNCTION sightline_checkpoint_heads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO chain_checkpoints (child_id, seq, hash, seal)
    SELECT child_id, seq, hash, seal FROM new_heads ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER chain_heads_checkpoint_insert AFTER INSERT ON chain_heads
  REFERENCING NEW TABLE AS new_heads FOR EACH STATEMENT EXECUTE FUNCTION sightline_checkpoint_heads();
CREATE TRIGGER chain_heads_checkpoint_update AFTER UPDATE ON chain_heads
  REFERENCING NEW TABLE AS new_heads FOR EACH STATEMENT EXECUTE FUNCTION sightline_checkpoint_heads();

-- 2. Every entry names a child with a chain, an existing agency and, when given, an existing
--    practitioner and API token. The four foreign keys below checked that row by row; one check per
--    statement now looks up each distinct value once.
--    - child_id is checked against chain_heads rather than persons: stricter (a person with a chain
--      is a child whose record was started), and a head is never deleted, truncated or moved to
--      another child (migration 0005), while its own foreign key keeps the person from being
--      deleted. So a child that passes the check stays valid without a lock; appends through the
--      door hold the child's head row locked anyway (record/store.ts#appendEntries).
--    - agencies, practitioners and API tokens are never deleted by Sightline (accounts are
--      deactivated, tokens revoked): the triggers below refuse DELETE and a change of id, so a
--      row that passes the check also stays valid without a lock. TRUNCATE of any of them already
--      reaches audit_events through foreign keys and is refused there (migration 0003).
--    supersedes_id keeps its foreign key: it is NULL, and so unchecked, for everything but corrections.
ALTER TABLE entries
  DROP CONSTRAINT entries_child_id_fkey,
  DROP CONSTRAINT entries_author_id_fkey,
  DROP CONSTRAINT entries_author_agency_id_fkey,
  DROP CONSTRAINT entries_via_token_id_fkey;

CREATE FUNCTION sightline_entries_refer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT m INTO missing FROM (
    SELECT 'child ' || x.id || ' (no chain head)' AS m FROM (SELECT DISTINCT child_id AS id FROM new_entries) x
      WHERE NOT EXISTS (SELECT 1 FROM chain_heads h WHERE h.child_id = x.id)
    UNION ALL
    SELECT 'agency ' || x.id FROM (SELECT DISTINCT author_agency_id AS id FROM new_entries) x
      WHERE NOT EXISTS (SELECT 1 FROM agencies a WHERE a.id = x.id)
    UNION ALL
    SELECT 'practitioner ' || x.id FROM (SELECT DISTINCT author_id AS id FROM new_entries WHERE author_id IS NOT NULL) x
      WHERE NOT EXISTS (SELECT 1 FROM practitioners p WHERE p.id = x.id)
    UNION ALL
    SELECT 'API token ' || x.id FROM (SELECT DISTINCT via_token_id AS id FROM new_entries WHERE via_token_id IS NOT NULL) x
      WHERE NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.id = x.id)
  ) m LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert on entries names a missing %', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER entries_refer AFTER INSERT ON entries
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION sightline_entries_refer();

CREATE FUNCTION sightline_refuse_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is refused: the record names these rows, so they are kept (deactivate or revoke instead)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER agencies_kept BEFORE DELETE ON agencies FOR EACH ROW EXECUTE FUNCTION sightline_refuse_removal();
CREATE TRIGGER agencies_id_kept BEFORE UPDATE OF id ON agencies FOR EACH ROW
  WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION sightline_refuse_removal();
CREATE TRIGGER practitioners_kept BEFORE DELETE ON practitioners FOR EACH ROW EXECUTE FUNCTION sightline_refuse_removal();
CREATE TRIGGER practitioners_id_kept BEFORE UPDATE OF id ON practitioners FOR EACH ROW
  WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION sightline_refuse_removal();
CREATE TRIGGER api_tokens_kept BEFORE DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION sightline_refuse_removal();
CREATE TRIGGER api_tokens_id_kept BEFORE UPDATE OF id ON api_tokens FOR EACH ROW
  WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION sightline_refuse_removal();
