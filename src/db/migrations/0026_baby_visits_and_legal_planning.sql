-- Two red-flag conditions of spec §6 the rules could not read before.
--
-- R8: a baby on a child protection plan not seen awake and undressed as local practice requires. Home
-- visits now say so (baby_seen_awake, baby_seen_undressed); a new R8 version adds the age and the
-- interval. baby_seen_awake_undressed_days null: the same interval as the visit itself (T11's).
-- R9: a legal planning meeting requested but not held. The step legal_planning_meeting_requested starts
-- the LPM clock, the meeting stops it, and a new R9 version adds LPM to its codes.

-- LPM: no national timescale. Like T11 and T13, local practice that an authority sets for itself.
-- effective_from follows the rule set's start (0010), so a request recorded on any date gets a deadline.
INSERT INTO timescale_rules (code, jurisdiction, step, trigger_event, trigger, amount, unit, convention, source, status, local_practice, effective_from)
SELECT 'LPM', j, 'Legal planning meeting held after it is requested', 'legal_planning_meeting_requested',
  'A legal planning meeting was requested', 10, 'working_days', 'working-days:t0-is-day-0',
  'No national timescale for holding a legal planning meeting once requested (PLO pre-proceedings, spec §2.1). Connelly: the meeting was delayed about 7 weeks (spec §6 R9, §7.1) [secondary S72]. Default 10 working days: Sightline''s, local practice [config]; unverified',
  'unverified', true, date '2024-01-01'
FROM (VALUES ('england'), ('wales')) AS j (j);

-- New versions of R8 and R9, in force from the day they were added; the 2024 versions stay as they were.
INSERT INTO signal_rules (rule_id, name, description, source, status, severity, recipients, parameters, local_parameters, effective_from, change_reason)
VALUES
  ('R8', 'Child on a plan not seen, not seen alone, or a baby not seen awake and undressed',
   'A child on a child protection plan whose visit (T11) is overdue, or who has not been seen alone for 28 days since the plan began (children aged 2 and over), or a baby under 12 months not seen awake and undressed within the visit interval (T11, unless a number of days is set). Checked on a schedule. The seen-alone and baby numbers are unverified local practice.',
   'Annex A list 7; SSD cp_visits (seen, seen alone) [verified S47,S49]; visit frequency is local, "a baby seen awake" (spec §1.2 T11, §6 R8, §11 item 10) [local S23]; seen undressed and the 12 months are Sightline''s, unverified [config]',
   'unverified', 'high', ARRAY['allocated_worker', 'manager'],
   '{"visit_codes": ["T11"], "seen_alone_days": 28, "seen_alone_from_years": 2, "baby_under_months": 12, "baby_seen_awake_undressed_days": null}',
   ARRAY['visit_codes', 'seen_alone_days', 'seen_alone_from_years', 'baby_under_months', 'baby_seen_awake_undressed_days'],
   '2026-11-27T00:00:00Z', 'Spec §6 R8: a baby not seen awake or undressed as required locally'),
  ('R9', 'A statutory timescale breached, or a legal planning meeting not held',
   'A step of the process is overdue: referral decision (T1), assessment (T2), initial conference (T5), first core group (T6), review conferences (T8, T9), Wales''s continuing assessment (W1), and a legal planning meeting requested but not held (LPM, 10 working days by default, local practice). Checked on a schedule.',
   'Working Together timescales (spec §1.2, §6 R9) [secondary S72]; legal planning meeting: Connelly, delayed 7 weeks (spec §6 R9, §7.1) [secondary S72], interval unverified [config]',
   'secondary', 'high', ARRAY['allocated_worker', 'manager'],
   '{"codes": ["T1", "T2", "T5", "T6", "T8", "T9", "T12", "W1", "LPM"]}',
   ARRAY['codes'], '2026-11-27T00:00:00Z', 'Spec §6 R9: a legal planning meeting requested but not held within the configured days');
