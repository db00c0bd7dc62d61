-- The statutory process, projected from each child's chronology for lists (due and overdue, the
-- conferences to convene, census returns). The record is the truth: the `process_step` entries, each
-- carrying the deadlines it started as computed when it was recorded. These rows are rewritten from
-- the child's whole process whenever a step or a visit is recorded, and can be rebuilt from it.

CREATE TABLE process_children (
  child_id uuid PRIMARY KEY REFERENCES persons(id),
  la_id uuid REFERENCES agencies(id),
  jurisdiction text NOT NULL REFERENCES jurisdictions(code),
  stage text NOT NULL,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One CIN episode per referral (census CINdetails).
CREATE TABLE process_episodes (
  id uuid PRIMARY KEY,                       -- the referral's entry
  child_id uuid NOT NULL REFERENCES persons(id),
  la_id uuid REFERENCES agencies(id),
  referral_date date NOT NULL,
  referral_source text NOT NULL,
  primary_need text NOT NULL,
  closed_on date,
  closure_reason text CHECK (closure_reason ~ '^RC[1-9]$'),
  referral_nfa boolean NOT NULL DEFAULT false,
  CHECK ((closed_on IS NULL) = (closure_reason IS NULL))   -- census rules 8805/8810
);
CREATE INDEX process_episodes_child ON process_episodes (child_id);
CREATE INDEX process_episodes_open ON process_episodes (la_id) WHERE closed_on IS NULL;

-- Every deadline the process has given: open, met, met late (with the reason) or no longer needed.
CREATE TABLE process_clocks (
  child_id uuid NOT NULL REFERENCES persons(id),
  key text NOT NULL,                          -- rule code and the entry that started it
  episode_id uuid,
  la_id uuid REFERENCES agencies(id),
  code text NOT NULL,
  label text NOT NULL,
  rule_id uuid REFERENCES timescale_rules(id),
  trigger_entry_id uuid NOT NULL,
  trigger_at timestamptz NOT NULL,
  due_on date NOT NULL,
  due_at text,                                -- for hours: the exact instant with its UK offset
  overdue_at timestamptz NOT NULL,            -- the first instant at which it is overdue
  due_soon_at timestamptz NOT NULL,
  convention text NOT NULL,
  also_for text CHECK (also_for IN ('author', 'conference_chairs')),
  author_id uuid REFERENCES practitioners(id),
  completed_entry_id uuid,
  completed_at timestamptz,
  late boolean,
  late_reason text,
  cancelled_at timestamptz,
  PRIMARY KEY (child_id, key)
);
CREATE INDEX process_clocks_open_due ON process_clocks (overdue_at) WHERE completed_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX process_clocks_open_la ON process_clocks (la_id, overdue_at) WHERE completed_at IS NULL AND cancelled_at IS NULL;

-- Due-soon and overdue notices, at most one of each kind per deadline: the timers may run twice
-- (a retry, a restart), the notice is sent once.
CREATE TABLE process_clock_notices (
  child_id uuid NOT NULL,
  clock_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
  sent_at timestamptz NOT NULL DEFAULT now(),
  recipients int NOT NULL,
  PRIMARY KEY (child_id, clock_key, kind),
  FOREIGN KEY (child_id, clock_key) REFERENCES process_clocks (child_id, key)
);

-- A safety plan's monitor is often a relative or a family friend; they must be recorded as related
-- to the child before they can be named (issue 3, safety plans).
ALTER TABLE relationships DROP CONSTRAINT relationships_kind_check;
ALTER TABLE relationships ADD CONSTRAINT relationships_kind_check
  CHECK (kind IN ('parent', 'carer', 'partner_of_carer', 'sibling', 'household_member', 'lodger', 'visitor', 'relative', 'family_friend'));
