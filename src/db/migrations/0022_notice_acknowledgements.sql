-- Notices that must be acknowledged (issue 5 part 4: "an alert they must acknowledge"). A notice says
-- whether it needs acknowledging and which chronology entry it reports; each acknowledgement is
-- append-only (who, when, an optional note), one per notice.
ALTER TABLE notifications ADD COLUMN must_acknowledge boolean NOT NULL DEFAULT false;
ALTER TABLE notifications ADD COLUMN entry_id uuid REFERENCES entries(id);
CREATE INDEX notifications_awaiting ON notifications (recipient_id, created_at DESC) WHERE must_acknowledge;
CREATE INDEX notifications_entry ON notifications (entry_id) WHERE entry_id IS NOT NULL;

CREATE TABLE notice_acknowledgements (
  notification_id uuid PRIMARY KEY REFERENCES notifications(id),
  practitioner_id uuid NOT NULL REFERENCES practitioners(id),
  at timestamptz NOT NULL DEFAULT now(),
  note text CHECK (note IS NULL OR length(note) <= 1000)
);
CREATE TRIGGER notice_acknowledgements_append_only BEFORE UPDATE OR DELETE ON notice_acknowledgements
  FOR EACH ROW EXECUTE FUNCTION sightline_refuse_change();
CREATE TRIGGER notice_acknowledgements_no_truncate BEFORE TRUNCATE ON notice_acknowledgements
  FOR EACH STATEMENT EXECUTE FUNCTION sightline_refuse_change();

-- The unscheduled-care lookup at a million children (bench/lookup.ts). Its blocks read index ranges
-- only: children born that day (index-only, with the id), their names by person (index-only, with the
-- names: the same index, now covering), and current residents of a postcode. Names already have
-- person_names_search.
CREATE INDEX persons_kind_birth ON persons (kind, date_of_birth, id);
DROP INDEX person_names_person;
CREATE INDEX person_names_person ON person_names (person_id) INCLUDE (given_name, family_name);
CREATE INDEX person_addresses_current_postcode ON person_addresses (upper(replace(postcode, ' ', ''))) WHERE valid_to IS NULL;
