import type { Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { DB } from '../db/schema.js';
import type { Explanation } from '../matching/index.js';
import { isValidNhsNumber } from '../people/nhs-number.js';
import type { PeopleService } from '../people/service.js';
import { identifierHolder, insertIdentifier } from '../people/store.js';
import { insertEvent, projectLink, type AgencyRecord, type Submitter } from './store.js';

export const submitterOf = (actor: Actor): Submitter =>
  actor.type === 'practitioner' ? { practitionerId: actor.id, tokenId: null } : { practitionerId: null, tokenId: actor.id };

export interface LinkWhy {
  by: Submitter;
  probability?: number | null;
  explanation?: Explanation | null;
  reason?: string | null;
  reviewId?: string | null;
  via: 'matcher' | 'local_id' | 'review' | 'new_person';
}

/**
 * Links an agency record to a person: a `linked` event, its projection, and the agency's local id
 * among the person's identifiers (unless someone holds it already: then the event says so).
 */
export async function linkRecord(tx: Transaction<DB>, record: Pick<AgencyRecord, 'id' | 'agency_id' | 'local_id'>, personId: string, why: LinkWhy): Promise<string> {
  const holder = await identifierHolder(tx, 'local', record.local_id, record.agency_id);
  if (!holder) await insertIdentifier(tx, personId, { scheme: 'local', agency_id: record.agency_id, value: record.local_id }, why.by.practitionerId);
  const eventId = await insertEvent(tx, {
    action: 'linked', by: why.by, reason: why.reason, probability: why.probability, explanation: why.explanation, agencyRecordId: record.id,
    personId, reviewId: why.reviewId, detail: { via: why.via, ...(holder && holder.person_id !== personId ? { local_id_held_by_another: true } : {}) },
  });
  await projectLink(tx, record.id, personId, eventId);
  return eventId;
}

const sourceOf: Record<string, 'police' | 'health' | 'school' | 'local_authority' | 'other'> = {
  police: 'police', health: 'health', school: 'school', local_authority: 'local_authority',
};

/**
 * A new person made from an agency's record, through PeopleService (a child gets a chain and a first
 * entry, a contact that is not a referral, written by `actor`, who becomes an author). The NHS number
 * and address come along only when valid and free.
 */
export async function createPerson(tx: Transaction<DB>, people: PeopleService, actor: Actor, r: AgencyRecord, agencyKind: string, why: string): Promise<string> {
  const nhs = r.nhs_number && isValidNhsNumber(r.nhs_number) && !(await identifierHolder(tx, 'nhs_number', r.nhs_number, null)) ? r.nhs_number : undefined;
  const postcode = r.postcode && /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/.test(r.postcode) ? r.postcode : undefined;
  const today = new Date().toISOString().slice(0, 10);
  const person = {
    given_name: r.given_name, family_name: r.family_name, sex: r.sex, ...(r.date_of_birth ? { date_of_birth: r.date_of_birth } : {}),
    ...(nhs ? { nhs_number: nhs } : {}),
    ...(postcode && r.address.length ? { address: { line1: r.address[0], ...(r.address.length > 1 ? { line2: r.address.slice(1).join(', ') } : {}), postcode, valid_from: today } } : {}),
  };
  const within = people.within(tx);
  if (r.kind === 'adult') return (await within.createAdult(actor, person)).body.id;
  const narrative = `${r.agency_name} sent its record of this child (local id ${r.local_id}) to the person index. ${why}`;
  const created = await within.createChild(actor, {
    person,
    first_entry: { kind: 'contact_referral', occurred_at: new Date().toISOString(), narrative, data: { source: sourceOf[agencyKind] ?? 'other', is_referral: false } },
  });
  return created.body.child.id;
}
