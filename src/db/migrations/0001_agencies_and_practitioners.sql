-- Agencies, their teams and the practitioners who sign in.
CREATE TABLE agencies (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('local_authority', 'police', 'health', 'school')),
  name text NOT NULL,
  code text NOT NULL UNIQUE,
  jurisdiction text NOT NULL DEFAULT 'england' CHECK (jurisdiction IN ('england', 'wales')),
  office_hours_phone text,
  out_of_hours_phone text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, name)
);

CREATE TABLE practitioners (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  team_id uuid REFERENCES teams(id),
  manager_id uuid REFERENCES practitioners(id),
  email text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN (
    'social_worker', 'team_manager', 'head_of_service', 'police_officer', 'health_visitor',
    'paediatrician', 'gp', 'designated_safeguarding_lead', 'conference_chair', 'auditor', 'administrator')),
  qualified_social_worker boolean NOT NULL DEFAULT false,
  password_hash text,
  active boolean NOT NULL DEFAULT true,
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX practitioners_email ON practitioners (lower(email));
CREATE INDEX practitioners_team ON practitioners (team_id);
CREATE INDEX practitioners_manager ON practitioners (manager_id);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  practitioner_id uuid NOT NULL REFERENCES practitioners(id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX sessions_practitioner ON sessions (practitioner_id);

-- Tokens for agency systems: stored hashed, scoped to one agency and a set of entry kinds.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  entry_kinds text[] NOT NULL,
  created_by uuid NOT NULL REFERENCES practitioners(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Retried creates return the first response instead of creating twice.
CREATE TABLE idempotency_keys (
  actor text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  status_code integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (actor, key)
);
