-- Each batch of appends writes one audit row per child and one checkpoint per head, and each of
-- those rows ran its foreign keys as per-row triggers (a locking SELECT on practitioners, api_tokens,
-- persons or emergency_access each): about 300 look-ups a batch of the same token again and the
-- children the batch has just locked. As migration 0013 did for entries, one check per statement now
-- looks up each distinct value once, over the statement's new rows. What is guaranteed does not
-- change: every audit row and checkpoint names rows that exist, and those rows stay.
--  - practitioners and api_tokens already refuse DELETE and a change of id (migration 0013);
--    emergency grants refuse UPDATE, DELETE and TRUNCATE (migrations 0003 and 0005).
--  - persons: Sightline never deletes a person or changes a person's id (a duplicate is merged,
--    person_merges, and can be unmerged); the triggers below now refuse both, so a person that
--    passes the check stays valid without a lock.
--  - TRUNCATE ... CASCADE of persons, practitioners, agencies or api_tokens still reaches
--    append-only tables (chain_heads, emergency_access, agency_records) through foreign keys kept,
--    and is refused there.
ALTER TABLE audit_events
  DROP CONSTRAINT audit_events_actor_practitioner_id_fkey,
  DROP CONSTRAINT audit_events_actor_token_id_fkey,
  DROP CONSTRAINT audit_events_child_id_fkey,
  DROP CONSTRAINT audit_events_emergency_access_id_fkey;
ALTER TABLE chain_checkpoints DROP CONSTRAINT chain_checkpoints_child_id_fkey;

CREATE FUNCTION sightline_audit_events_refer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT m INTO missing FROM (
    SELECT 'practitioner ' || x.id AS m FROM (SELECT DISTINCT actor_practitioner_id AS id FROM new_audit WHERE actor_practitioner_id IS NOT NULL) x
      WHERE NOT EXISTS (SELECT 1 FROM practitioners p WHERE p.id = x.id)
    UNION ALL
    SELECT 'API token ' || x.id FROM (SELECT DISTINCT actor_token_id AS id FROM new_audit WHERE actor_token_id IS NOT NULL) x
      WHERE NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.id = x.id)
    UNION ALL
    SELECT 'person ' || x.id FROM (SELECT DISTINCT child_id AS id FROM new_audit WHERE child_id IS NOT NULL) x
      WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = x.id)
    UNION ALL
    SELECT 'emergency grant ' || x.id FROM (SELECT DISTINCT emergency_access_id AS id FROM new_audit WHERE emergency_access_id IS NOT NULL) x
      WHERE NOT EXISTS (SELECT 1 FROM emergency_access g WHERE g.id = x.id)
  ) m LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert on audit_events names a missing %', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER audit_events_refer AFTER INSERT ON audit_events
  REFERENCING NEW TABLE AS new_audit FOR EACH STATEMENT EXECUTE FUNCTION sightline_audit_events_refer();

CREATE FUNCTION sightline_checkpoints_refer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing uuid;
BEGIN
  SELECT x.id INTO missing FROM (SELECT DISTINCT child_id AS id FROM new_checkpoints) x
    WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = x.id) LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert on chain_checkpoints names a missing person %', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER chain_checkpoints_refer AFTER INSERT ON chain_checkpoints
  REFERENCING NEW TABLE AS new_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION sightline_checkpoints_refer();

CREATE TRIGGER persons_kept BEFORE DELETE ON persons FOR EACH ROW EXECUTE FUNCTION sightline_refuse_removal();
CREATE TRIGGER persons_id_kept BEFORE UPDATE OF id ON persons FOR EACH ROW
  WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION sightline_refuse_removal();
