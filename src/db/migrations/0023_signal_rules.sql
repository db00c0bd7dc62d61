-- Red-flag rules as data (issue 6, spec §6 R1–R11). One row per version of a rule: a change is a new
-- row with a later effective_from, for every jurisdiction (NULL), one jurisdiction, or one local
-- authority (locality). Rows are never updated or deleted, so an alert always names the exact rule
-- version that raised it. The logic that reads `parameters` lives in src/signals/evaluators/.
CREATE TABLE signal_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule_id text NOT NULL CHECK (rule_id ~ '^R[0-9]{1,3}$'),
  name text NOT NULL,
  description text NOT NULL,
  source text NOT NULL,
  status text NOT NULL CHECK (status IN ('verified', 'secondary', 'local', 'unverified')),
  severity text NOT NULL CHECK (severity IN ('urgent', 'high', 'medium')),
  recipients text[] NOT NULL CHECK (cardinality(recipients) > 0
    AND recipients <@ ARRAY['allocated_worker', 'manager', 'head_of_service', 'designated_lead']::text[]),
  parameters jsonb NOT NULL DEFAULT '{}',
  local_parameters text[] NOT NULL DEFAULT '{}',   -- the parameters a local authority may set for itself
  enabled boolean NOT NULL DEFAULT true,
  jurisdiction text REFERENCES jurisdictions(code), -- null: every jurisdiction
  locality uuid REFERENCES agencies(id),            -- null: the default; else that local authority's own
  effective_from timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES practitioners(id),
  change_reason text,
  UNIQUE NULLS NOT DISTINCT (rule_id, jurisdiction, locality, effective_from)
);
CREATE INDEX signal_rules_rule ON signal_rules (rule_id, effective_from);
CREATE TRIGGER signal_rules_append_only BEFORE UPDATE OR DELETE ON signal_rules
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER signal_rules_no_truncate BEFORE TRUNCATE ON signal_rules
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

-- The national defaults, from spec §6. Every threshold is [config]: a local authority may set its own.
INSERT INTO signal_rules (rule_id, name, description, source, status, severity, recipients, parameters, local_parameters, effective_from)
VALUES
  ('R1', 'Injury in a baby who is not independently mobile',
   'Any recorded injury (bruise, mark, burn…) in a child under 6 months, or recorded as not mobile, unless a health practitioner has recorded a medical cause (for example congenital dermal melanocytosis). Same-day referral and paediatric assessment under the local NIM protocol.',
   'NICE CG89; NIM includes every child under 6 months, rolling is not mobility; Sugar et al 1999; CSPRP 2022 (spec §6 R1) [secondary S54–S56, verified S57–S58]',
   'secondary', 'urgent', ARRAY['allocated_worker', 'manager'],
   '{"infant_months": 6, "injury_types": ["bruise", "burn", "fracture", "bite", "cut_or_abrasion", "head_injury", "other"]}',
   ARRAY['infant_months', 'injury_types'], '2024-01-01T00:00:00Z'),
  ('R2', 'High-risk bruise pattern',
   'A bruise or bite, at any age, on the face, ears, neck, trunk, buttocks, genitals or hands, or on several parts of the body at once (a cluster).',
   'Bruising patterns suggesting abuse (spec §6 R2) [secondary S59,S60]',
   'secondary', 'high', ARRAY['allocated_worker', 'manager'],
   '{"injury_types": ["bruise", "bite"], "locations": ["face", "ear", "neck", "chest", "abdomen", "back", "buttocks", "genitals", "hand", "torso_other"], "cluster_locations": 3}',
   ARRAY['injury_types', 'locations', 'cluster_locations'], '2024-01-01T00:00:00Z'),
  ('R3', 'Unexplained or inconsistent injury',
   'An injury recorded with no explanation, or with an explanation the practitioner found inconsistent with the injury or the child''s development.',
   'Local NIM protocols citing NICE CG89 (spec §6 R3) [secondary S61]',
   'secondary', 'high', ARRAY['allocated_worker', 'manager'],
   '{"explanations": ["no", "none_given"]}',
   ARRAY['explanations'], '2024-01-01T00:00:00Z'),
  ('R4', 'Repeated unscheduled care, or any for a child on a plan',
   'At least 3 attendances at A&E, a minor injury unit, a walk-in centre or an out-of-hours GP (attendances and unscheduled-care checks, one a day) within 365 days; or any such attendance by a child on a child protection plan or looked after. The numbers are unverified: there is no national threshold.',
   'Design rule (spec §6 R4); thresholds unverified (spec §11 item 10). Connelly: concerns not raised for lack of knowledge of previous NHS contacts [verified S62]',
   'unverified', 'high', ARRAY['allocated_worker', 'manager'],
   '{"attendances": 3, "window_days": 365, "departments": ["emergency_department", "minor_injury_unit", "walk_in_centre"], "any_on_plan": true}',
   ARRAY['attendances', 'window_days', 'departments', 'any_on_plan'], '2024-01-01T00:00:00Z'),
  ('R5', 'Was not brought to health appointments',
   'Any "was not brought" for a child on a child protection plan; for a child in need, 2 or more within 6 months. The numbers are unverified.',
   'RCGP toolkit: code as WNB; one missed appointment for a child on a plan for neglect should raise concern [verified S63]; Sussex procedures on repeated cancellations [verified S64]; thresholds unverified (spec §11 item 10)',
   'unverified', 'high', ARRAY['allocated_worker', 'manager'],
   '{"cin_count": 2, "cin_window_months": 6, "outcomes": ["was_not_brought"]}',
   ARRAY['cin_count', 'cin_window_months', 'outcomes'], '2024-01-01T00:00:00Z'),
  ('R6', 'An adult linked to the child who has not been checked',
   'Any agency''s entry or a recorded relationship links an adult to the child (partner of a carer, household member, lodger, visitor, relative, family friend, someone named in an entry, someone living at the child''s address) and no identity, police, children''s social care history and probation checks are recorded as done on them.',
   'NSPCC "Unseen men" 2022 [verified S65,S66]; CSPRP "The Myth of Invisible Men" 2021 [secondary S67]; Connelly: the partner was never identified or checked (spec §6 R6, §7.5 item 2) [secondary S68]',
   'secondary', 'high', ARRAY['allocated_worker', 'manager'],
   '{"relationship_kinds": ["carer", "partner_of_carer", "household_member", "lodger", "visitor", "relative", "family_friend"], "required_checks": ["identity", "police", "csc_history", "probation"], "named_in_entries": true, "same_address": true}',
   ARRAY['relationship_kinds', 'required_checks', 'named_in_entries', 'same_address'], '2024-01-01T00:00:00Z'),
  ('R7', 'Signs of disguised compliance',
   'Within 90 days, 3 or more of: appointments cancelled or rearranged by the family, home visits where the child was not seen, unannounced visits where the child was not seen after announced ones where they were, and appointments missed with one agency while another is attended. Shows the pattern to the supervisor; never closes itself. The numbers are Sightline''s, unverified.',
   'NSPCC definition (Reder, Duncan and Gray 1993) [verified S69]; examples and risk factors [verified S70,S71] (spec §6 R7)',
   'unverified', 'medium', ARRAY['allocated_worker', 'manager'],
   '{"window_days": 90, "score": 3}',
   ARRAY['window_days', 'score'], '2024-01-01T00:00:00Z'),
  ('R8', 'Child on a plan not seen, or not seen alone',
   'A child on a child protection plan whose visit (T11) is overdue, or who has not been seen alone for 28 days since the plan began (children aged 2 and over). Checked on a schedule. The seen-alone numbers are unverified local practice.',
   'Annex A list 7; SSD cp_visits (seen, seen alone) [verified S47,S49]; visit frequency is local (spec §1.2 T11, §11 item 10)',
   'unverified', 'high', ARRAY['allocated_worker', 'manager'],
   '{"visit_codes": ["T11"], "seen_alone_days": 28, "seen_alone_from_years": 2}',
   ARRAY['visit_codes', 'seen_alone_days', 'seen_alone_from_years'], '2024-01-01T00:00:00Z'),
  ('R9', 'A statutory timescale breached',
   'A step of the process is overdue: referral decision (T1), assessment (T2), initial conference (T5), first core group (T6), review conferences (T8, T9), and Wales''s continuing assessment (W1). Checked on a schedule.',
   'Working Together timescales (spec §1.2, §6 R9) [secondary S72]',
   'secondary', 'high', ARRAY['allocated_worker', 'manager'],
   '{"codes": ["T1", "T2", "T5", "T6", "T8", "T9", "T12", "W1"]}',
   ARRAY['codes'], '2024-01-01T00:00:00Z'),
  ('R10', 'Repeat referrals, section 47 enquiries or plans',
   '2 or more referrals within 12 months, 2 or more section 47 enquiries within 12 months, or a child protection plan for a child who has had one before.',
   'Annex A lists 3, 5 and 7 carry these counts (spec §6 R10) [verified S47]',
   'verified', 'medium', ARRAY['allocated_worker', 'manager'],
   '{"referrals": 2, "s47s": 2, "window_months": 12, "previous_plans": 1}',
   ARRAY['referrals', 's47s', 'window_months', 'previous_plans'], '2024-01-01T00:00:00Z'),
  ('R11', 'Placed with a friend or relative after a suspected non-accidental injury, carer not assessed',
   'After an injury recorded with no or an inconsistent explanation, or followed by a section 47 enquiry, the child lives with a relative, family friend or carer on whom no connected-person (carer) assessment is recorded.',
   'Connelly: placed with a family friend after the December 2006 NAI (spec §6 R11, §7.5 item 7) [secondary S73]',
   'secondary', 'urgent', ARRAY['allocated_worker', 'manager'],
   '{"carer_kinds": ["carer", "relative", "family_friend"], "suspicious_explanations": ["no", "none_given"], "since_days": 365}',
   ARRAY['carer_kinds', 'suspicious_explanations', 'since_days'], '2024-01-01T00:00:00Z');
