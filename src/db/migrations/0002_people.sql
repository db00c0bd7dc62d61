-- People: children and adults. Names, identifiers, addresses and relationships are kept over time.
CREATE TABLE persons (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('child', 'adult')),
  sex text NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female', 'male', 'unknown', 'indeterminate')),
  date_of_birth date,
  expected_date_of_birth date,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES practitioners(id),
  CHECK (date_of_birth IS NOT NULL OR expected_date_of_birth IS NOT NULL OR kind = 'adult')
);

CREATE TABLE person_names (
  id uuid PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES persons(id),
  given_name text NOT NULL,
  family_name text NOT NULL,
  name_type text NOT NULL DEFAULT 'legal' CHECK (name_type IN ('legal', 'known_as', 'previous', 'alias')),
  valid_from date,
  valid_to date,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES practitioners(id)
);
CREATE INDEX person_names_person ON person_names (person_id);
CREATE INDEX person_names_search ON person_names (lower(family_name), lower(given_name));

CREATE TABLE person_identifiers (
  id uuid PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES persons(id),
  scheme text NOT NULL CHECK (scheme IN ('nhs_number', 'local')),
  agency_id uuid REFERENCES agencies(id),
  value text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES practitioners(id),
  CHECK ((scheme = 'local') = (agency_id IS NOT NULL))
);
CREATE UNIQUE INDEX person_identifiers_nhs ON person_identifiers (value) WHERE scheme = 'nhs_number';
CREATE UNIQUE INDEX person_identifiers_local ON person_identifiers (agency_id, value) WHERE scheme = 'local';
CREATE INDEX person_identifiers_person ON person_identifiers (person_id);

CREATE TABLE person_addresses (
  id uuid PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES persons(id),
  line1 text NOT NULL,
  line2 text,
  town text,
  postcode text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES practitioners(id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX person_addresses_person ON person_addresses (person_id);
CREATE INDEX person_addresses_postcode ON person_addresses (postcode);

-- A relationship is from the child's point of view: other_person is the child's <kind>.
CREATE TABLE relationships (
  id uuid PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES persons(id),
  other_person_id uuid NOT NULL REFERENCES persons(id),
  kind text NOT NULL CHECK (kind IN ('parent', 'carer', 'partner_of_carer', 'sibling', 'household_member', 'lodger', 'visitor')),
  lives_with_child boolean NOT NULL DEFAULT false,
  valid_from date NOT NULL,
  valid_to date,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES practitioners(id),
  CHECK (child_id <> other_person_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX relationships_child ON relationships (child_id);
CREATE INDEX relationships_other ON relationships (other_person_id);
