import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { conflict, invalid } from '../errors.js';
import type { IdentifierInput, PersonInput } from './schemas.js';
import { agencyExists, identifierHolder } from './store.js';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * An identifier names one person. A clash says only that the number is already recorded: nothing
 * about whose it is, so the caller can search for the child and make a referral.
 */
export async function assertIdentifierFree(q: Q, i: IdentifierInput, personId: string | null, path = 'value'): Promise<void> {
  if (i.scheme === 'local') {
    if (!(await agencyExists(q, i.agency_id))) throw invalid('That agency was not found', [{ path: path.replace(/value$/, 'agency_id'), message: 'Choose an agency recorded in Sightline' }]);
    if (await identifierHolder(q, 'local', i.value, i.agency_id)) throw conflict('That agency’s local id is already recorded for someone.');
    return;
  }
  const holder = await identifierHolder(q, 'nhs_number', i.value, null);
  if (holder) {
    throw conflict(holder.kind === 'child' ? 'A child with that NHS number already exists.' : 'A person with that NHS number is already recorded.');
  }
  if (personId) {
    const own = await q.selectFrom('person_identifiers').select('id').where('person_id', '=', personId).where('scheme', '=', 'nhs_number').executeTakeFirst();
    if (own) throw conflict('This person already has an NHS number.');
  }
}

/** Every identifier a new person arrives with. */
export async function assertIdentifiersFree(q: Q, p: PersonInput, prefix = ''): Promise<void> {
  if (p.nhs_number) await assertIdentifierFree(q, { scheme: 'nhs_number', value: p.nhs_number }, null, `${prefix}nhs_number`);
  for (const [n, l] of p.local_ids.entries()) {
    await assertIdentifierFree(q, { scheme: 'local', agency_id: l.agency_id, value: l.value }, null, `${prefix}local_ids.${n}.value`);
  }
}
