-- The person index (issue 5, parts 2 and 3): each agency's own record of a person, the review queue,
-- and merges. The events are append-only; the other tables are projections of them for reading.

-- An agency's record of a person, as it sent it. A resubmission of the same local id is a new version.
CREATE TABLE agency_records (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  local_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  kind text NOT NULL CHECK (kind IN ('child', 'adult')),
  given_name text,
  family_name text,
  date_of_birth text,
  nhs_number text,
  address text[] NOT NULL DEFAULT '{}',
  postcode text,
  sex text,
  source text NOT NULL CHECK (source IN ('api', 'bulk')),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  submitted_by uuid REFERENCES practitioners(id),
  submitted_via_token uuid REFERENCES api_tokens(id),
  UNIQUE (agency_id, local_id, version)
);
CREATE TRIGGER agency_records_append_only BEFORE UPDATE OR DELETE ON agency_records
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER agency_records_no_truncate BEFORE TRUNCATE ON agency_records
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

-- Every link, review, decision, new person, merge and unmerge: who, when, why, how sure, and why so.
CREATE TABLE person_index_events (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  action text NOT NULL CHECK (action IN ('linked', 'queued', 'decided', 'created', 'merged', 'unmerged')),
  actor_practitioner_id uuid REFERENCES practitioners(id),
  actor_token_id uuid REFERENCES api_tokens(id),
  reason text,
  probability double precision,
  explanation jsonb,
  agency_record_id uuid REFERENCES agency_records(id),
  other_record_id uuid REFERENCES agency_records(id),
  person_id uuid REFERENCES persons(id),
  other_person_id uuid REFERENCES persons(id),
  review_id uuid,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX person_index_events_person ON person_index_events (person_id, seq);
CREATE INDEX person_index_events_other_person ON person_index_events (other_person_id, seq);
CREATE INDEX person_index_events_record ON person_index_events (agency_record_id, seq);
CREATE TRIGGER person_index_events_append_only BEFORE UPDATE OR DELETE ON person_index_events
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER person_index_events_no_truncate BEFORE TRUNCATE ON person_index_events
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

-- Projection: which person each agency record is linked to now.
CREATE TABLE agency_record_links (
  agency_record_id uuid PRIMARY KEY REFERENCES agency_records(id),
  person_id uuid NOT NULL REFERENCES persons(id),
  event_id uuid NOT NULL REFERENCES person_index_events(id)
);
CREATE INDEX agency_record_links_person ON agency_record_links (person_id);

-- Projection: the review queue. A record against a person, or (from `sightline link`) against another record.
CREATE TABLE review_items (
  id uuid PRIMARY KEY,
  agency_record_id uuid NOT NULL REFERENCES agency_records(id),
  person_id uuid REFERENCES persons(id),
  other_record_id uuid REFERENCES agency_records(id),
  candidate jsonb NOT NULL,
  probability double precision NOT NULL,
  explanation jsonb NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  decision text CHECK (decision IN ('same', 'different')),
  decided_at timestamptz,
  decided_by uuid REFERENCES practitioners(id),
  reason text,
  CHECK ((person_id IS NULL) <> (other_record_id IS NULL)),
  CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX review_items_open ON review_items (queued_at) WHERE decision IS NULL;

-- Projection: merges. A merge moves nothing; while active, reads of the survivor include the merged
-- person's record, and the merged id answers with where it went. Merges are one level deep.
CREATE TABLE person_merges (
  id uuid PRIMARY KEY REFERENCES person_index_events(id),
  merged_id uuid NOT NULL REFERENCES persons(id),
  survivor_id uuid NOT NULL REFERENCES persons(id),
  merged_at timestamptz NOT NULL,
  unmerged_at timestamptz,
  unmerge_event_id uuid REFERENCES person_index_events(id),
  CHECK (merged_id <> survivor_id)
);
CREATE UNIQUE INDEX person_merges_active ON person_merges (merged_id) WHERE unmerged_at IS NULL;
CREATE INDEX person_merges_survivor ON person_merges (survivor_id) WHERE unmerged_at IS NULL;
