-- The child's record: one append-only, hash-chained chronology per child.
CREATE FUNCTION sightline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is refused: this table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TABLE entries (
  id uuid PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES persons(id),
  seq integer NOT NULL CHECK (seq >= 1),
  kind text NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  author_id uuid REFERENCES practitioners(id),
  author_name text NOT NULL,
  author_role text NOT NULL,
  author_agency_id uuid NOT NULL REFERENCES agencies(id),
  via_token_id uuid REFERENCES api_tokens(id),
  concerns uuid[] NOT NULL DEFAULT '{}',
  narrative text NOT NULL,
  data jsonb NOT NULL,
  supersedes_id uuid REFERENCES entries(id),
  correction_reason text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  seal text NOT NULL,
  UNIQUE (child_id, seq),
  CHECK ((supersedes_id IS NULL) = (correction_reason IS NULL))
);
CREATE INDEX entries_child_occurred ON entries (child_id, occurred_at);
CREATE INDEX entries_author ON entries (author_id, child_id);
CREATE INDEX entries_agency ON entries (author_agency_id, child_id);
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

-- The newest link of each chain, sealed so that removing the newest entries is detectable.
-- One row per child: appends lock only their own child's row.
CREATE TABLE chain_heads (
  child_id uuid PRIMARY KEY REFERENCES persons(id),
  seq integer NOT NULL,
  hash text NOT NULL,
  seal text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Legitimate relationships through which practitioners reach a child.
CREATE TABLE allocations (
  id uuid PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES persons(id),
  practitioner_id uuid NOT NULL REFERENCES practitioners(id),
  team_id uuid NOT NULL REFERENCES teams(id),
  valid_from timestamptz NOT NULL DEFAULT now(),
  valid_to timestamptz,
  recorded_by uuid REFERENCES practitioners(id)
);
CREATE INDEX allocations_child ON allocations (child_id);
CREATE INDEX allocations_practitioner ON allocations (practitioner_id);

CREATE TABLE group_members (
  id uuid PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES persons(id),
  practitioner_id uuid NOT NULL REFERENCES practitioners(id),
  group_kind text NOT NULL CHECK (group_kind IN ('core_group', 'strategy_discussion')),
  valid_from timestamptz NOT NULL DEFAULT now(),
  valid_to timestamptz,
  recorded_by uuid REFERENCES practitioners(id)
);
CREATE INDEX group_members_child ON group_members (child_id);
CREATE INDEX group_members_practitioner ON group_members (practitioner_id);

CREATE TABLE emergency_access (
  id uuid PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES persons(id),
  practitioner_id uuid NOT NULL REFERENCES practitioners(id),
  reason text NOT NULL CHECK (length(reason) >= 10),
  granted_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  CHECK (expires_at > granted_at)
);
CREATE INDEX emergency_access_lookup ON emergency_access (practitioner_id, child_id, expires_at);
CREATE TRIGGER emergency_access_append_only BEFORE UPDATE OR DELETE ON emergency_access
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();

-- Every read and write of child data, written in the same transaction as the access itself.
CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_practitioner_id uuid REFERENCES practitioners(id),
  actor_token_id uuid REFERENCES api_tokens(id),
  child_id uuid REFERENCES persons(id),
  action text NOT NULL,
  basis text NOT NULL,
  emergency_access_id uuid REFERENCES emergency_access(id),
  detail jsonb NOT NULL DEFAULT '{}',
  CHECK (actor_practitioner_id IS NOT NULL OR actor_token_id IS NOT NULL)
);
CREATE INDEX audit_events_child ON audit_events (child_id, at);
CREATE INDEX audit_events_actor ON audit_events (actor_practitioner_id, at);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  recipient_id uuid NOT NULL REFERENCES practitioners(id),
  kind text NOT NULL,
  child_id uuid REFERENCES persons(id),
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at DESC);
