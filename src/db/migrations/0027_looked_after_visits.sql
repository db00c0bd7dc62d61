-- T12: statutory visits to a looked-after child (spec §1.2 T12; Care Planning, Placement and Case Review
-- (England) Regulations 2010, reg 28). The placement_started step starts the first visit's clock; each
-- home visit in which the child was seen meets it and starts the next (looked_after_visit), as T11 does
-- for a child protection plan.
--
-- The statute gives two intervals under one code: within 1 week of the placement's start, then at most
-- every 6 weeks. A code's versions are therefore kept apart by the event that starts them too: the
-- uniqueness of a version becomes (code, jurisdiction, locality, trigger_event, effective_from), and the
-- process selects the row in force for the code and the event (process/rules.ts#selectRule).
ALTER TABLE timescale_rules DROP CONSTRAINT timescale_rules_code_jurisdiction_locality_effective_from_key;
ALTER TABLE timescale_rules ADD CONSTRAINT timescale_rules_version_key
  UNIQUE NULLS NOT DISTINCT (code, jurisdiction, locality, trigger_event, effective_from);

-- England only: Wales has its own regulations, which the spec does not give. effective_from follows the
-- rule set's start (0010), so a placement recorded on any date gets its visits.
INSERT INTO timescale_rules (code, jurisdiction, step, trigger_event, trigger, amount, unit, convention, source, status, local_practice, effective_from)
VALUES
  ('T12', 'england', 'Statutory visit to a looked-after child: first visit in the placement', 'placement_started', 'The start of the placement',
    1, 'weeks', 'calendar',
    'Care Planning, Placement and Case Review (England) Regulations 2010, reg 28(2)(a): a visit within one week of the start of any placement (spec §1.2 T12) [verified S25]. Not modelled: a child placed with a parent under an interim care order (weekly until the first review, then at most every 4 weeks)',
    'verified', false, date '2024-01-01'),
  ('T12', 'england', 'Statutory visit to a looked-after child: next visit', 'looked_after_visit', 'The last visit in which the child was seen',
    6, 'weeks', 'calendar',
    'Care Planning, Placement and Case Review (England) Regulations 2010, reg 28(2)(b): then at intervals of not more than 6 weeks in the first year of the placement (spec §1.2 T12) [verified S25]. Only the first-year interval is modelled: after the first year, not more than 3 months where the placement is intended to last until the child is 18 (otherwise still 6 weeks), and the variations for a child placed with a parent (weekly then every 4 weeks under an interim care order), are not modelled',
    'verified', false, date '2024-01-01');
