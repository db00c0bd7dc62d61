-- Roles that professional disagreements and concerns about a service escalate to (spec §5): the
-- director of children's services, and the safeguarding partnership's independent chair (the one
-- role that may see a whistleblower's sealed identity; it manages no one).
ALTER TABLE practitioners DROP CONSTRAINT practitioners_role_check;
ALTER TABLE practitioners ADD CONSTRAINT practitioners_role_check CHECK (role IN (
  'social_worker', 'team_manager', 'head_of_service', 'police_officer', 'health_visitor',
  'paediatrician', 'gp', 'designated_safeguarding_lead', 'conference_chair', 'auditor', 'administrator',
  'director', 'partnership_chair'));
