import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { once, type Stored } from '../db/idempotency.js';
import type { DB } from '../db/schema.js';
import { candidateRecords } from '../people/candidates.js';
import type { PeopleService } from '../people/service.js';
import { createPerson, linkRecord, submitterOf } from './linking.js';
import { place, type Candidate } from './match.js';
import { agencyRecordInput, type AgencyRecordInput, type SubmitAnswer } from './schemas.js';
import { agencyRecords, identifierHolders, insertAgencyRecord, insertEvent, matcherRecord, personRecords, survivorOf, type AgencyRecord } from './store.js';
import { queueReview } from './reviews-store.js';
import { agencyKind } from './reviewers.js';

/**
 * The person index (issue 5 part 2): an agency sends its own record of a person; Sightline links it to
 * the person it knows, asks a reviewer when unsure, or creates the person. All in one transaction,
 * every step an event in `person_index_events`.
 */
export class PersonIndexService {
  constructor(private readonly db: Kysely<DB>, private readonly people: PeopleService) {}

  async submit(actor: Actor, raw: unknown, key?: string): Promise<Stored<SubmitAnswer>> {
    const input = agencyRecordInput.parse(raw);
    return this.db.transaction().execute((tx) =>
      once(tx, actorKey(actor), key, { personIndexRecord: input }, async () => {
        const stored = await insertAgencyRecord(tx, actor.agencyId, input, 'api', submitterOf(actor));
        const record = (await agencyRecords(tx, [stored.id])).get(stored.id)!;
        return { status: 201, body: await this.place(tx, actor, record, input) };
      }));
  }

  /** Local id already held → that person; else the matcher's three outcomes. */
  private async place(tx: Transaction<DB>, actor: Actor, record: AgencyRecord, input: AgencyRecordInput): Promise<SubmitAnswer> {
    const by = submitterOf(actor);
    const answer = { record: { id: record.id, agency_id: record.agency_id, local_id: record.local_id, version: record.version } };
    const holders = await identifierHolders(tx, input.kind, actor.agencyId, input.local_id, input.nhs_number);
    const blocked = input.date_of_birth
      ? await candidateRecords(tx, { given_name: input.given_name, family_name: input.family_name, date_of_birth: input.date_of_birth, postcode: input.postcode ?? '' }, 2000, input.kind)
      : [];
    const ids = [...new Set([...blocked.map((c) => c.id), ...holders.byNhs, ...(holders.byLocalId ? [holders.byLocalId] : [])])];
    const candidates = await personRecords(tx, ids);
    const mine = matcherRecord(record);
    if (holders.byLocalId) {
      const personId = await survivorOf(tx, holders.byLocalId);
      const explanation = explained(place(mine, candidates.filter((c) => c.id === personId)));
      await linkRecord(tx, record, personId, { by, via: 'local_id', probability: explanation?.match_probability, explanation });
      return { ...answer, outcome: 'linked', person_id: personId, via: 'local_id', explanation };
    }
    const placed = place(mine, candidates);
    if (placed.outcome === 'linked') {
      const e = placed.best.explanation;
      await linkRecord(tx, record, placed.best.personId, { by, via: 'matcher', probability: e.match_probability, explanation: e });
      return { ...answer, outcome: 'linked', person_id: placed.best.personId, via: 'matcher', explanation: e };
    }
    if (placed.outcome === 'queued') {
      const reviewId = await queueReview(tx, { recordId: record.id, personId: placed.best.personId, candidate: placed.best.record, explanation: placed.best.explanation, by, rivals: placed.rivals });
      return { ...answer, outcome: 'queued', review_id: reviewId, via: 'matcher', explanation: placed.best.explanation };
    }
    const personId = await createPerson(tx, this.people, actor, record, await agencyKind(tx, actor.agencyId), 'No person Sightline knew matched it.');
    const e = placed.best?.explanation ?? null;
    await insertEvent(tx, { action: 'created', by, agencyRecordId: record.id, personId, probability: e?.match_probability, explanation: e, detail: { kind: record.kind } });
    await linkRecord(tx, record, personId, { by, via: 'new_person' });
    return { ...answer, outcome: 'created', person_id: personId, via: 'new_person', explanation: e };
  }
}

const explained = (p: { best: Candidate | null }) => p.best?.explanation ?? null;
