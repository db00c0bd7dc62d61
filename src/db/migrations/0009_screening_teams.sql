-- A local authority's front-door (screening, MASH) teams must see every new contact before anyone is
-- allocated: members of such a team reach children who have no current allocation.
ALTER TABLE teams ADD COLUMN screening boolean NOT NULL DEFAULT false;
