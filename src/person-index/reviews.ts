import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { writeAudit } from '../access/store.js';
import { once, type Stored } from '../db/idempotency.js';
import type { DB } from '../db/schema.js';
import { conflict, notFound } from '../errors.js';
import type { PeopleService } from '../people/service.js';
import { createPerson, linkRecord, submitterOf } from './linking.js';
import { mustReview, agencyKind, type Reviewer } from './reviewers.js';
import { openReviews, recordDecision, reviewRow, type ReviewRow } from './reviews-store.js';
import { decisionInput, type DecisionInput } from './schemas.js';
import { agencyRecords, insertEvent, linkedPerson, survivorOf, type AgencyRecord } from './store.js';
import { sideBySide, type ReviewView } from './review-view.js';

export interface Decided { review_id: string; decision: 'same' | 'different'; person_id: string | null }

/** The review queue: pairs the matcher was unsure of, seen side by side and decided by a person. */
export class ReviewService {
  constructor(private readonly db: Kysely<DB>, private readonly people: PeopleService) {}

  /** Open items, oldest first: which agency and when, and how sure the matcher was (no names: each item's view is audited). */
  async list(actor: Actor) {
    await mustReview(this.db, actor);
    const rows = await openReviews(this.db);
    return rows.map((r) => ({ id: r.id, queued_at: new Date(r.queued_at).toISOString(), agency: r.agency_name, local_id: r.local_id, against: r.person_id ? 'person' as const : 'record' as const, match_probability: r.probability }));
  }

  /** One item, the two records side by side: audited (demographics only, no child's record content). */
  async view(actor: Actor, id: string): Promise<ReviewView> {
    return this.db.transaction().execute(async (tx) => {
      const reviewer = await mustReview(tx, actor);
      const item = await reviewRow(tx, id);
      if (!item) throw notFound('The review item');
      const records = await agencyRecords(tx, [item.agency_record_id, ...(item.other_record_id ? [item.other_record_id] : [])]);
      await writeAudit(tx, { actorPractitionerId: reviewer.id, actorTokenId: null, childId: item.person_id, action: 'read_review_item', basis: 'person_index_review', detail: { review_id: id } });
      return sideBySide(item, records.get(item.agency_record_id)!, item.other_record_id ? records.get(item.other_record_id)! : null);
    });
  }

  async decide(actor: Actor, id: string, raw: unknown, key?: string): Promise<Stored<Decided>> {
    const input = decisionInput.parse(raw);
    return this.db.transaction().execute(async (tx) => {
      const reviewer = await mustReview(tx, actor);
      return once(tx, actorKey(actor), key, { review: id, input }, async () => {
        const item = await reviewRow(tx, id, true);
        if (!item) throw notFound('The review item');
        if (item.decision) throw conflict(`This item was already decided (${item.decision === 'same' ? 'the same person' : 'different people'}) by ${item.decided_by_name ?? 'someone'}.`);
        const records = await agencyRecords(tx, [item.agency_record_id, ...(item.other_record_id ? [item.other_record_id] : [])]);
        await insertEvent(tx, {
          action: 'decided', by: submitterOf(reviewer), reason: input.reason, probability: item.probability, explanation: item.explanation,
          agencyRecordId: item.agency_record_id, otherRecordId: item.other_record_id, personId: item.person_id, reviewId: id, detail: { decision: input.decision },
        });
        const personId = await this.apply(tx, reviewer, item, records.get(item.agency_record_id)!, item.other_record_id ? records.get(item.other_record_id)! : null, input);
        await recordDecision(tx, id, input.decision, reviewer.id, input.reason, new Date());
        return { status: 201, body: { review_id: id, decision: input.decision, person_id: personId } };
      });
    });
  }

  /** What a decision does: link, or create a person and link; record against record links both to one person. */
  private async apply(tx: Transaction<DB>, reviewer: Reviewer, item: ReviewRow, record: AgencyRecord, other: AgencyRecord | null, d: DecisionInput): Promise<string | null> {
    const why = { by: submitterOf(reviewer), reason: d.reason, reviewId: item.id, probability: item.probability, explanation: item.explanation, via: 'review' as const };
    if (item.person_id && d.decision === 'same') {
      const personId = await survivorOf(tx, item.person_id);
      await linkRecord(tx, record, personId, why);
      return personId;
    }
    if (item.person_id) return this.newPerson(tx, reviewer, record, why, 'A reviewer decided it is not the person the matcher suggested.');
    if (!other || d.decision === 'different') return null;
    const [a, b] = [await linkedPerson(tx, record.id), await linkedPerson(tx, other.id)];
    const [pa, pb] = [a && (await survivorOf(tx, a)), b && (await survivorOf(tx, b))];
    if (pa && pb && pa !== pb) throw conflict('Each record is already linked to a different person: merge those persons instead.');
    const target = pa || pb || (await this.newPerson(tx, reviewer, record, why, 'A reviewer decided it and another record of the same agency are one person.'));
    if (!(await linkedPerson(tx, record.id))) await linkRecord(tx, record, target, why);
    if (!b) await linkRecord(tx, other, target, why);
    return target;
  }

  private async newPerson(tx: Transaction<DB>, reviewer: Reviewer, record: AgencyRecord, why: Parameters<typeof linkRecord>[3], note: string): Promise<string> {
    const personId = await createPerson(tx, this.people, reviewer, record, await agencyKind(tx, record.agency_id), note);
    await insertEvent(tx, { action: 'created', by: why.by, reason: why.reason, agencyRecordId: record.id, personId, reviewId: why.reviewId, detail: { kind: record.kind } });
    await linkRecord(tx, record, personId, { ...why, via: 'new_person' });
    return personId;
  }
}
