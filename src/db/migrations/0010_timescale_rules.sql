-- Timescales as data (spec §0 rules 1 and 2): each jurisdiction's working-day calendar, and
-- versioned timescale rules. Code computes due dates from these rows; nothing is hard-coded.

-- A working-day calendar. Working days can be counted only between covers_from and covers_to,
-- where the bank holidays are known; a later year is added with its holidays and a new covers_to.
CREATE TABLE calendars (
  code text PRIMARY KEY,
  name text NOT NULL,
  weekend integer[] NOT NULL DEFAULT '{6,7}',  -- ISO weekdays: 6 Saturday, 7 Sunday
  covers_from date NOT NULL,
  covers_to date NOT NULL,
  CHECK (covers_from <= covers_to)
);

CREATE TABLE bank_holidays (
  calendar text NOT NULL REFERENCES calendars(code),
  date date NOT NULL,
  name text NOT NULL,
  source text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (calendar, date)
);

-- Spec §1.7: the jurisdiction is data; agencies.jurisdiction names one of these.
CREATE TABLE jurisdictions (
  code text PRIMARY KEY,
  name text NOT NULL,
  calendar text NOT NULL REFERENCES calendars(code)
);

-- One row per version of a timescale. A change is a new row with a later effective_from, so due
-- dates for triggers before it never move; rows are never updated or deleted.
CREATE TABLE timescale_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9]{0,9}$'),
  jurisdiction text NOT NULL REFERENCES jurisdictions(code),
  locality uuid REFERENCES agencies(id),          -- null: the national default
  step text NOT NULL,
  trigger_event text NOT NULL CHECK (trigger_event ~ '^[a-z][a-z0-9_]*$'),
  trigger text NOT NULL,
  amount integer NOT NULL CHECK (amount > 0),
  unit text NOT NULL CHECK (unit IN ('working_days', 'calendar_days', 'hours', 'weeks', 'months')),
  convention text NOT NULL CHECK (convention IN ('working-days:t0-is-day-0', 'working-days:inclusive', 'calendar', 'calendar:beginning-with', 'hours')),
  source text NOT NULL,
  status text NOT NULL CHECK (status IN ('verified', 'secondary', 'local', 'unverified')),
  local_practice boolean NOT NULL,
  effective_from date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES practitioners(id),
  CHECK ((unit = 'working_days') = (convention LIKE 'working-days:%')),
  CHECK ((unit = 'hours') = (convention = 'hours')),
  UNIQUE NULLS NOT DISTINCT (code, jurisdiction, locality, effective_from)
);
CREATE INDEX timescale_rules_locality ON timescale_rules (locality) WHERE locality IS NOT NULL;
CREATE TRIGGER timescale_rules_append_only BEFORE UPDATE OR DELETE ON timescale_rules
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER timescale_rules_no_truncate BEFORE TRUNCATE ON timescale_rules
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

-- England and Wales bank holidays, spec §8.2 (substitute days included).
INSERT INTO calendars (code, name, covers_from, covers_to)
VALUES ('england-and-wales', 'England and Wales', '2024-01-01', '2028-12-31');
INSERT INTO jurisdictions (code, name, calendar)
VALUES ('england', 'England', 'england-and-wales'), ('wales', 'Wales', 'england-and-wales');

INSERT INTO bank_holidays (calendar, date, name, source)
SELECT 'england-and-wales', d::date, n,
  CASE WHEN d < '2028-01-01'
    THEN 'gov.uk/bank-holidays.json as captured in csc-validator-be-cin cin_validator/england_holidates.py (spec §8.2) [verified S30]'
    ELSE 'Expected: computed from the statutory rules, not yet published (spec §8.2) [unverified]'
  END
FROM (VALUES
  ('2024-01-01', 'New Year''s Day'), ('2024-03-29', 'Good Friday'), ('2024-04-01', 'Easter Monday'),
  ('2024-05-06', 'Early May bank holiday'), ('2024-05-27', 'Spring bank holiday'), ('2024-08-26', 'Summer bank holiday'),
  ('2024-12-25', 'Christmas Day'), ('2024-12-26', 'Boxing Day'),
  ('2025-01-01', 'New Year''s Day'), ('2025-04-18', 'Good Friday'), ('2025-04-21', 'Easter Monday'),
  ('2025-05-05', 'Early May bank holiday'), ('2025-05-26', 'Spring bank holiday'), ('2025-08-25', 'Summer bank holiday'),
  ('2025-12-25', 'Christmas Day'), ('2025-12-26', 'Boxing Day'),
  ('2026-01-01', 'New Year''s Day'), ('2026-04-03', 'Good Friday'), ('2026-04-06', 'Easter Monday'),
  ('2026-05-04', 'Early May bank holiday'), ('2026-05-25', 'Spring bank holiday'), ('2026-08-31', 'Summer bank holiday'),
  ('2026-12-25', 'Christmas Day'), ('2026-12-28', 'Boxing Day (substitute day)'),
  ('2027-01-01', 'New Year''s Day'), ('2027-03-26', 'Good Friday'), ('2027-03-29', 'Easter Monday'),
  ('2027-05-03', 'Early May bank holiday'), ('2027-05-31', 'Spring bank holiday'), ('2027-08-30', 'Summer bank holiday'),
  ('2027-12-27', 'Christmas Day (substitute day)'), ('2027-12-28', 'Boxing Day (substitute day)'),
  ('2028-01-03', 'New Year''s Day (substitute day)'), ('2028-04-14', 'Good Friday'), ('2028-04-17', 'Easter Monday'),
  ('2028-05-01', 'Early May bank holiday'), ('2028-05-29', 'Spring bank holiday'), ('2028-08-28', 'Summer bank holiday'),
  ('2028-12-25', 'Christmas Day'), ('2028-12-26', 'Boxing Day')
) AS h (d, n);

-- The national rule sets. effective_from is when Sightline's rule set starts (its calendar begins
-- in 2024), not when the law began: these timescales are older (spec §1).
INSERT INTO timescale_rules (code, jurisdiction, step, trigger_event, trigger, amount, unit, convention, source, status, local_practice, effective_from)
SELECT code, j, step, ev, trig, amount, unit, conv, src, status, lp, date '2024-01-01'
FROM (VALUES
  ('T1', 'Referral decision: type of response decided and receipt acknowledged to the referrer', 'referral_received', 'Referral received',
    1, 'working_days', 'working-days:t0-is-day-0', 'WT2023 (assessing need), as quoted by LSCP procedures: "Within one working day of a contact being received, a social worker should make a decision about the type of response that is required and acknowledge receipt to the referrer" (spec §1.2 T1) [secondary S8,S10]', 'secondary', false),
  ('T2', 'Assessment (single child and family assessment, s17 or s47) concluded', 'referral_received', 'The point of referral',
    45, 'working_days', 'working-days:t0-is-day-0', 'WT2023: "no longer than 45 working days from the point of referral"; record the reasons when it is exceeded (spec §1.2 T2) [secondary S12]', 'secondary', false),
  ('T5', 'Initial child protection conference (ICPC) held', 'strategy_discussion_s47', 'The strategy discussion at which it was decided to initiate the s47 enquiry (if there was more than one)',
    15, 'working_days', 'working-days:t0-is-day-0', '"within 15 working days of the strategy discussion at which it was decided to initiate the Section 47 Enquiry" (Norfolk; Warrington 2024); CIN census InitialCPCtarget (spec §1.2 T5) [secondary S18,S7]', 'secondary', false),
  ('T6', 'First core group meeting', 'icpc', 'The ICPC that made the child protection plan',
    10, 'working_days', 'working-days:t0-is-day-0', 'First core group within 10 working days of the ICPC (spec §1.2 T6) [secondary S19,S20]', 'secondary', false),
  ('T8', 'First review child protection conference', 'icpc', 'The initial child protection conference',
    3, 'months', 'calendar', '"the first Review Conference must be held within 3 months of the Initial Conference" (spec §1.2 T8) [secondary S6,S22]', 'secondary', false),
  ('T9', 'Further review child protection conference', 'review_conference', 'The previous review conference',
    6, 'months', 'calendar', 'Reviews at intervals of not more than 6 months while the plan lasts (spec §1.2 T9) [secondary S6,S22]', 'secondary', false),
  ('T11', 'Child protection visit by the lead social worker, child seen alone', 'cp_plan_started', 'Child protection plan start, then each visit',
    10, 'working_days', 'working-days:t0-is-day-0', 'No national statutory frequency; local standards vary (every 4 weeks, 10 working days or 28 days). Default 10 working days [config] (spec §1.2 T11) [local S23]; unverified as a national norm', 'unverified', true),
  ('T13', 'Child in need plan review', 'cin_plan_started', 'Child in need plan start, then each review',
    3, 'months', 'calendar', 'No national timescale in WT; local practice is often every 3 months [config] (spec §1.2 T13, §1.6) [unverified]', 'unverified', true)
) AS r (code, step, ev, trig, amount, unit, conv, src, status, lp)
CROSS JOIN (VALUES ('england')) AS j (j)
UNION ALL
SELECT code, j, step, ev, trig, amount, unit, conv, src, status, lp, date '2024-01-01'
FROM (VALUES
  ('T6', 'First core group meeting', 'icpc', 'The conference at which the child was registered',
    10, 'working_days', 'working-days:t0-is-day-0', 'Wales Safeguarding Procedures: first core group within 10 working days of the conference at which the child was registered (spec §1.7) [verified S115]', 'verified', false),
  ('T8', 'First review conference', 'icpc', 'The initial child protection conference',
    3, 'months', 'calendar', 'Wales Safeguarding Procedures: first review conference within 3 months of the initial conference (spec §1.7) [verified S115]', 'verified', false),
  ('T9', 'Further review conference', 'review_conference', 'The previous review conference',
    6, 'months', 'calendar', 'Wales Safeguarding Procedures: further reviews at least every 6 months (spec §1.7) [verified S115]', 'verified', false),
  ('W1', 'Continuing assessment (s47 enquiries) completed', 's47_started', 'The start of the s47 enquiries',
    42, 'working_days', 'working-days:t0-is-day-0', 'Wales Safeguarding Procedures: complete the continuing assessment within 42 working days from the start of the s47 enquiries (spec §1.7) [verified S115]', 'verified', false)
) AS r (code, step, ev, trig, amount, unit, conv, src, status, lp)
CROSS JOIN (VALUES ('wales')) AS j (j)
UNION ALL
-- Emergency powers and the 26-week limit: Children Act 1989, the same in both jurisdictions.
SELECT code, j, step, ev, trig, amount, unit, conv,
  CASE WHEN j = 'wales' AND code LIKE 'CP%'
    THEN src || '; that it applies in Wales is not stated in the spec [unverified]' ELSE src END,
  CASE WHEN j = 'wales' AND code LIKE 'CP%' THEN 'unverified' ELSE status END,
  lp, date '2024-01-01'
FROM (VALUES
  ('EP1', 'Police protection (s46) ends', 'police_protection_started', 'The child was taken into police protection (the exact time)',
    72, 'hours', 'hours', 'Children Act 1989 s46: police protection lasts at most 72 hours (spec §2) [verified S37,S38]', 'verified', false),
  ('EP2', 'Emergency protection order (s44) ends', 'epo_started', 'The day the order was made; when it followed police protection, the first day of police protection',
    8, 'calendar_days', 'calendar:beginning-with', 'Children Act 1989 s45(1): an EPO has effect for not more than 8 days; made after police protection, the 8 days begin with the first day of police protection (spec §2) [verified S39,S40]. Counting the first day as day 1 follows "begin with"; for an order not made after police protection that count is unverified', 'verified', false),
  ('EP3', 'Emergency protection order extension ends (one extension only)', 'epo_ended', 'The end of the order as first made',
    7, 'calendar_days', 'calendar', 'Children Act 1989 s45(4)-(6): one extension of not more than 7 days, only with reasonable cause to believe the child is likely to suffer significant harm without it (spec §2) [verified S39,S40]', 'verified', false),
  ('CP1', 'Care or supervision proceedings disposed of', 'care_application_issued', 'The day the application was issued',
    26, 'weeks', 'calendar:beginning-with', 'Children Act 1989 s32(1)(a)(ii), inserted by CFA 2014 s14: "without delay, and in any event within twenty-six weeks beginning with the day on which the application was issued" (spec §2) [verified S43]', 'verified', false),
  ('CP2', 'Extended timetable for care proceedings ends (each extension)', 'care_timetable_ended', 'The end of the current timetable',
    8, 'weeks', 'calendar', 'Extensions only if "necessary to enable the court to resolve the proceedings justly", not more than 8 weeks each, not granted routinely (spec §2) [secondary S44]', 'secondary', false)
) AS r (code, step, ev, trig, amount, unit, conv, src, status, lp)
CROSS JOIN (VALUES ('england'), ('wales')) AS j (j);
