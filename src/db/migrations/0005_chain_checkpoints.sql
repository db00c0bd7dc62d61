-- Every state the head of each chain has held, sealed and append-only. The head row is updated in
-- place, so on its own a rollback of it (with the newest entries removed) to an older sealed state
-- would verify; the newest checkpoint still names the entry the chain was sealed at.
CREATE TABLE chain_checkpoints (
  child_id uuid NOT NULL REFERENCES persons(id),
  seq integer NOT NULL CHECK (seq >= 0),
  hash text NOT NULL,
  seal text NOT NULL,
  sealed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (child_id, seq)
);
INSERT INTO chain_checkpoints (child_id, seq, hash, seal) SELECT child_id, seq, hash, seal FROM chain_heads;

CREATE FUNCTION sightline_checkpoint_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO chain_checkpoints (child_id, seq, hash, seal)
    VALUES (NEW.child_id, NEW.seq, NEW.hash, NEW.seal) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER chain_heads_checkpoint AFTER INSERT OR UPDATE ON chain_heads
  FOR EACH ROW EXECUTE FUNCTION sightline_checkpoint_head();

-- A head only moves forward, and is never removed.
CREATE FUNCTION sightline_head_only_advances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.child_id <> OLD.child_id OR NEW.seq < OLD.seq THEN
    RAISE EXCEPTION 'a chain head only moves forward' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER chain_heads_only_advance BEFORE UPDATE ON chain_heads
  FOR EACH ROW EXECUTE FUNCTION sightline_head_only_advances();
CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER chain_heads_no_truncate BEFORE TRUNCATE ON chain_heads
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

CREATE TRIGGER chain_checkpoints_append_only BEFORE UPDATE OR DELETE ON chain_checkpoints
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER chain_checkpoints_no_truncate BEFORE TRUNCATE ON chain_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

-- Migration 0003 refused UPDATE and DELETE on emergency_access but not TRUNCATE.
CREATE TRIGGER emergency_access_no_truncate BEFORE TRUNCATE ON emergency_access
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();
