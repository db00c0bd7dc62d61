-- Who ended an allocation or a group membership, and who revoked an API token: access changes are
-- visible history, not only audit rows. Rows from before this migration keep NULL (not recorded).
ALTER TABLE allocations ADD COLUMN ended_by uuid REFERENCES practitioners(id);
ALTER TABLE group_members ADD COLUMN ended_by uuid REFERENCES practitioners(id);
ALTER TABLE api_tokens ADD COLUMN revoked_by uuid REFERENCES practitioners(id);
