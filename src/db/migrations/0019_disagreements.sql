-- Professional disagreements (spec §5). The record is the truth: `decision` and `disagreement`
-- entries in each child's chronology. These tables project the open ones for work lists, the
-- oversight board, the escalation timers and the door (a practitioner answering a disagreement at
-- its current stage reaches the child's record through it).

-- Stage deadlines are rules as data, like the statutory timescales, and local practice: a local
-- authority may set its own through the overrides. Defaults follow the Lincolnshire protocol where it
-- gives a figure (S50); the rest, and every urgent timescale, are Sightline's defaults to configure.
INSERT INTO timescale_rules (code, jurisdiction, step, trigger_event, trigger, amount, unit, convention, source, status, local_practice, effective_from)
SELECT code, j, step, ev, trig, amount, unit, conv, src, status, true, date '2024-01-01'
FROM (VALUES
  ('E1', 'Disagreement, stage 1 (practitioner to practitioner): response with an agreed plan', 'disagreement_stage_1', 'The disagreement was raised',
    2, 'working_days', 'working-days:t0-is-day-0', 'Lincolnshire protocol: acknowledge immediately; agreed action plan within 2 working days (spec §5) [local S50]', 'local'),
  ('E2', 'Disagreement, stage 2 (line managers): response with an agreed plan', 'disagreement_stage_2', 'The disagreement reached stage 2',
    5, 'working_days', 'working-days:t0-is-day-0', 'Lincolnshire protocol: within 5 working days of stage 1 (spec §5) [local S50]', 'local'),
  ('E3', 'Disagreement, stage 3 (senior managers, designated leads): response', 'disagreement_stage_3', 'The disagreement reached stage 3',
    2, 'working_days', 'working-days:t0-is-day-0', 'Lincolnshire protocol: senior liaison officers agree a plan within 2 working days (spec §5) [local S50]', 'local'),
  ('E4', 'Disagreement, stage 4 (safeguarding partnership, independent chair): decision', 'disagreement_stage_4', 'The disagreement reached the partnership',
    10, 'working_days', 'working-days:t0-is-day-0', 'Partnership stage: no figure in the spec (§5); Sightline default, to be set by the partnership [config]', 'unverified'),
  ('EU1', 'Urgent disagreement, stage 1: response', 'disagreement_urgent_stage_1', 'An urgent disagreement was raised',
    4, 'hours', 'hours', 'Urgent disagreements run in hours, "a timescale that protects the child from harm" (London procedures, spec §5); Sightline default [config]', 'unverified'),
  ('EU2', 'Urgent disagreement, stage 2: response', 'disagreement_urgent_stage_2', 'An urgent disagreement reached stage 2',
    4, 'hours', 'hours', 'Sightline default for urgent disagreements [config] (spec §5)', 'unverified'),
  ('EU3', 'Urgent disagreement, stage 3: response', 'disagreement_urgent_stage_3', 'An urgent disagreement reached stage 3',
    4, 'hours', 'hours', 'Sightline default for urgent disagreements [config] (spec §5)', 'unverified'),
  ('EU4', 'Urgent disagreement, stage 4: partnership decision', 'disagreement_urgent_stage_4', 'An urgent disagreement reached the partnership',
    8, 'hours', 'hours', 'Sightline default for urgent disagreements [config] (spec §5)', 'unverified')
) AS r (code, step, ev, trig, amount, unit, conv, src, status)
CROSS JOIN (VALUES ('england'), ('wales')) AS j (j);

CREATE TABLE disagreements (
  id uuid PRIMARY KEY,                      -- named in every one of its entries (data.disagreement_id)
  child_id uuid NOT NULL REFERENCES persons(id),
  decision_entry_id uuid,                   -- the decision disputed, if any
  raiser_id uuid NOT NULL REFERENCES practitioners(id),
  respondent_id uuid NOT NULL REFERENCES practitioners(id),
  matter text NOT NULL,
  urgent boolean NOT NULL,
  stage int NOT NULL CHECK (stage BETWEEN 1 AND 4),
  status text NOT NULL CHECK (status IN ('awaiting_response', 'awaiting_raiser', 'closed')),
  opened_at timestamptz NOT NULL,
  stage_since timestamptz NOT NULL,
  stage_due_at timestamptz,
  stage_rule_id uuid REFERENCES timescale_rules(id),
  closed_at timestamptz,
  outcome text,
  la_id uuid REFERENCES agencies(id),
  state jsonb NOT NULL
);
CREATE INDEX disagreements_child ON disagreements (child_id);
CREATE INDEX disagreements_open_due ON disagreements (stage_due_at) WHERE status <> 'closed';

-- Who takes part now: the raiser, the respondent, and whoever answers or is told at the current stage.
CREATE TABLE disagreement_parties (
  disagreement_id uuid NOT NULL REFERENCES disagreements(id),
  practitioner_id uuid NOT NULL REFERENCES practitioners(id),
  child_id uuid NOT NULL REFERENCES persons(id),
  part text NOT NULL CHECK (part IN ('raiser', 'respondent', 'responder', 'told')),
  PRIMARY KEY (disagreement_id, practitioner_id, part)
);
CREATE INDEX disagreement_parties_who ON disagreement_parties (practitioner_id, child_id);

-- The escalation timer: one job per disagreement and stage, acting once (the stage it escalates from
-- is checked in the transaction that escalates).
SELECT pgboss.create_queue('disagreement-deadline', json_build_object(
  'policy', 'standard', 'retryLimit', 10, 'retryDelay', 30, 'retryBackoff', true,
  'expireInSeconds', 60, 'retentionMinutes', 30 * 24 * 60));

-- The system acts on a child's record by itself in one case so far: a disagreement past its stage
-- deadline escalates. Its audit rows name no practitioner or token, and say so (basis 'system').
ALTER TABLE audit_events DROP CONSTRAINT audit_events_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_check
  CHECK (actor_practitioner_id IS NOT NULL OR actor_token_id IS NOT NULL OR basis = 'system');
