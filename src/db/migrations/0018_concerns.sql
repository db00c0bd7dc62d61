-- Concerns about a service (whistleblowing, issue 4 part 3): a practitioner raises a concern about a
-- service rather than a child. No child data lives here, so these tables sit outside the child door;
-- every read is still audited (audit_events with child_id null).

-- The concern as raised: never changed. Where it stands is folded from concern_events.
CREATE TABLE concerns (
  id uuid PRIMARY KEY,
  number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- the reference people quote: WB-<number>
  agency_id uuid NOT NULL REFERENCES agencies(id),     -- the service's agency; its director, if any, is stage 2
  service text CHECK (length(service) <= 200),         -- the unit or service, e.g. "Child development clinic"
  category text NOT NULL CHECK (category IN ('unsafe_staffing', 'unfit_unit', 'unsafe_practice', 'other')),
  what text NOT NULL CHECK (length(what) BETWEEN 1 AND 10000),
  subject_id uuid REFERENCES practitioners(id),        -- the practitioner it is about, if any
  head_id uuid REFERENCES practitioners(id),           -- the accountable head; null when the ladder starts above
  sealed boolean NOT NULL,                             -- the raiser asked for their identity to be sealed
  raised_at timestamptz NOT NULL,
  CHECK (subject_id IS NULL OR head_id IS NULL OR subject_id <> head_id)
);
CREATE INDEX concerns_agency ON concerns (agency_id, raised_at);

-- Who raised it, kept apart so that one table holds the identity a sealed concern hides.
CREATE TABLE concern_raisers (
  concern_id uuid PRIMARY KEY REFERENCES concerns(id),
  practitioner_id uuid NOT NULL REFERENCES practitioners(id)
);
CREATE INDEX concern_raisers_practitioner ON concern_raisers (practitioner_id);

-- What happened, in order. actor_id is null for the raiser's own steps (by_raiser: the identity is
-- only in concern_raisers) and for Sightline's automatic escalation at a missed deadline.
CREATE TABLE concern_events (
  concern_id uuid NOT NULL REFERENCES concerns(id),
  seq integer NOT NULL CHECK (seq >= 1),
  type text NOT NULL CHECK (type IN ('raised', 'acknowledged', 'action_plan', 'update', 'escalated', 'closed')),
  at timestamptz NOT NULL,
  actor_id uuid REFERENCES practitioners(id),
  by_raiser boolean NOT NULL DEFAULT false,
  data jsonb NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (concern_id, seq),
  CHECK (NOT (by_raiser AND actor_id IS NOT NULL)),
  CHECK ((seq = 1) = (type = 'raised'))
);

-- A missed deadline acted on (an escalation, or at the last stage a notice): one row per stage and
-- rule, so a retried or duplicated timer job acts once.
CREATE TABLE concern_deadline_actions (
  concern_id uuid NOT NULL REFERENCES concerns(id),
  stage text NOT NULL CHECK (stage IN ('head', 'director', 'partnership')),
  code text NOT NULL,
  acted_at timestamptz NOT NULL DEFAULT now(),
  outcome text NOT NULL CHECK (outcome IN ('escalated', 'notified')),
  PRIMARY KEY (concern_id, stage, code)
);

-- Append-only, like the chronology (migration 0003): a concern's record is never rewritten.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['concerns', 'concern_raisers', 'concern_events', 'concern_deadline_actions'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change()', t || '_no_truncate', t);
  END LOOP;
END
$$;

-- The deadlines, as rules: each stage of the ladder (the accountable head, the director, the
-- partnership) starts both clocks again. Spec §5 sets no national timescale for this, so these are
-- Sightline's defaults, and a local authority sets its own through the override mechanism.
INSERT INTO timescale_rules (code, jurisdiction, step, trigger_event, trigger, amount, unit, convention, source, status, local_practice, effective_from)
SELECT code, j, step, 'concern_stage_started', 'The concern about a service was raised, or escalated to the next stage',
  amount, 'working_days', 'working-days:t0-is-day-0', src, 'local', true, date '2024-01-01'
FROM (VALUES
  ('WB1', 'Concern about a service acknowledged by the person accountable at its stage', 2,
    'Sightline''s default for a locally configured timescale: spec §5 gives no national timescale for acknowledging a concern about a service (its stages and timescales are local practice) [local]; a local authority sets its own'),
  ('WB2', 'Action plan given in response to a concern about a service', 10,
    'Sightline''s default for a locally configured timescale: spec §5 gives no national timescale for an action plan in response to a concern about a service (its stages and timescales are local practice) [local]; a local authority sets its own')
) AS r (code, step, amount, src)
CROSS JOIN (VALUES ('england'), ('wales')) AS j (j);

-- The timers' queue: a job at each deadline of the current stage (see src/concerns/timers.ts), with
-- the same retry and retention as the process clocks' queue (migration 0016).
SELECT pgboss.create_queue('concern-deadline', json_build_object(
  'policy', 'standard', 'retryLimit', 10, 'retryDelay', 30, 'retryBackoff', true,
  'expireInSeconds', 60, 'retentionMinutes', 30 * 24 * 60));
