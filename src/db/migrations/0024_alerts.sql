-- Alerts from the red-flag rules (issue 6, spec §6). The record is the truth: `alert` entries in the
-- child's chronology (raised, added to, escalated, answered; never deleted, like every entry). These
-- tables project them for the work lists, the escalation timers and the answer's guard.

-- How long an alert may wait for an answer before it goes up a stage: rules as data, like E1–E4, and
-- local practice (an authority sets its own through the overrides). Stage 1 is whoever the rule
-- alerts (the allocated worker and manager, or the front door); stage 2 adds the managers; stage 3
-- the head of service, where it stays. No figure in the spec: Sightline's defaults [config].
INSERT INTO timescale_rules (code, jurisdiction, step, trigger_event, trigger, amount, unit, convention, source, status, local_practice, effective_from)
SELECT code, j, step, ev, trig, amount, unit, conv, src, 'local', true, date '2024-01-01'
FROM (VALUES
  ('AU1', 'Urgent alert: answered before it goes to the manager', 'alert_urgent_stage_1', 'An urgent alert was raised',
    4, 'hours', 'hours', 'Red-flag alerts must be answered (spec §6); urgent within hours. Sightline default, local practice [config]'),
  ('AU2', 'Urgent alert: answered before it goes to the head of service', 'alert_urgent_stage_2', 'An urgent alert went to the manager',
    4, 'hours', 'hours', 'Sightline default, local practice [config] (spec §6)'),
  ('AH1', 'High alert: answered before it goes to the manager', 'alert_high_stage_1', 'A high alert was raised',
    1, 'working_days', 'working-days:t0-is-day-0', 'Sightline default, local practice [config] (spec §6)'),
  ('AH2', 'High alert: answered before it goes to the head of service', 'alert_high_stage_2', 'A high alert went to the manager',
    1, 'working_days', 'working-days:t0-is-day-0', 'Sightline default, local practice [config] (spec §6)'),
  ('AM1', 'Medium alert: answered before it goes to the manager', 'alert_medium_stage_1', 'A medium alert was raised',
    3, 'working_days', 'working-days:t0-is-day-0', 'Sightline default, local practice [config] (spec §6)'),
  ('AM2', 'Medium alert: answered before it goes to the head of service', 'alert_medium_stage_2', 'A medium alert went to the manager',
    3, 'working_days', 'working-days:t0-is-day-0', 'Sightline default, local practice [config] (spec §6)')
) AS r (code, step, ev, trig, amount, unit, conv, src)
CROSS JOIN (VALUES ('england'), ('wales')) AS j (j);

CREATE TABLE alerts (
  id uuid PRIMARY KEY,                       -- named in every one of its entries (data.alert_id)
  child_id uuid NOT NULL REFERENCES persons(id),
  rule_id text NOT NULL,                     -- 'R1'
  rule_version_id text NOT NULL,             -- the signal rule row that fired (kept as text: the rule store is S1's)
  pattern_key text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('urgent', 'high', 'medium')),
  reason text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'answered')),
  stage int NOT NULL CHECK (stage BETWEEN 1 AND 3),
  raised_at timestamptz NOT NULL,
  raised_entry_id uuid NOT NULL,
  stage_since timestamptz NOT NULL,
  stage_due_at timestamptz,                  -- when it escalates; null at the last stage and once answered
  stage_rule_id uuid REFERENCES timescale_rules(id),
  answered_at timestamptz,
  answered_by uuid REFERENCES practitioners(id),
  answer_kind text CHECK (answer_kind IN ('decision', 'action', 'no_action')),
  answer_entry_id uuid,
  state jsonb NOT NULL
);
-- The same pattern raises no second alert while one is open (the service adds to it; this backs it up).
CREATE UNIQUE INDEX alerts_one_open ON alerts (child_id, rule_id, pattern_key) WHERE status = 'open';
CREATE INDEX alerts_child ON alerts (child_id, raised_at);
CREATE INDEX alerts_open_due ON alerts (stage_due_at) WHERE status = 'open';

-- The entries that triggered it, from every agency (the first hit's and every one added since).
CREATE TABLE alert_triggers (
  alert_id uuid NOT NULL REFERENCES alerts(id),
  entry_id uuid NOT NULL,
  child_id uuid NOT NULL REFERENCES persons(id),
  added_at timestamptz NOT NULL,
  PRIMARY KEY (alert_id, entry_id)
);

-- Who is alerted, and from which stage: everyone alerted so far may answer (and their managers).
CREATE TABLE alert_recipients (
  alert_id uuid NOT NULL REFERENCES alerts(id),
  practitioner_id uuid NOT NULL REFERENCES practitioners(id),
  child_id uuid NOT NULL REFERENCES persons(id),
  stage int NOT NULL CHECK (stage BETWEEN 1 AND 3),
  PRIMARY KEY (alert_id, practitioner_id)
);
CREATE INDEX alert_recipients_who ON alert_recipients (practitioner_id);

-- The escalation timer (one job per alert and stage, acting once) and the absence rules' sweep.
SELECT pgboss.create_queue('alert-deadline', json_build_object(
  'policy', 'standard', 'retryLimit', 10, 'retryDelay', 30, 'retryBackoff', true,
  'expireInSeconds', 60, 'retentionMinutes', 30 * 24 * 60));
SELECT pgboss.create_queue('signal-sweep', json_build_object(
  'policy', 'standard', 'retryLimit', 3, 'retryDelay', 30, 'retryBackoff', true,
  'expireInSeconds', 600, 'retentionMinutes', 7 * 24 * 60));
