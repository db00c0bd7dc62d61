import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { writeAudit } from '../access/store.js';
import { once, type Stored } from '../db/idempotency.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { startStage } from './ladder.js';
import { fold, refusal, stagesAbove, type ConcernEvent, type ConcernState } from './machine.js';
import { tellStep } from './notices.js';
import { boardOf, readViews } from './reads.js';
import { stages, type BoardView, type ConcernView, type RaiseInput, type StepInput } from './schemas.js';
import { agencyById, appendEvent, eventsOf, headsOfService, insertConcern, isActivePractitioner, lockConcern, people, visibleConcerns, type ConcernRow, type Viewer } from './store.js';
import { deadlineReached, pendingTimers } from './deadline-actions.js';
import { scheduleConcernTimers, type DeadlineHandler, type DeadlineJob } from './timers.js';
import { namedIn } from './view.js';

type Practitioner = Extract<Actor, { type: 'practitioner' }>;

function practitioner(actor: Actor): Practitioner {
  if (actor.type !== 'practitioner') throw forbidden('Concerns about a service are raised and read by signed-in practitioners, not agency systems.');
  return actor;
}

const viewerOf = (a: Practitioner): Viewer => ({ id: a.id, role: a.role, agencyId: a.agencyId });

/**
 * Concerns about a service (whistleblowing): raise one, take a step on it, read it, and the oversight
 * board. Not child data, so not through the child door; every read and write is audited all the same,
 * in the transaction that does it.
 */
export class ConcernService implements DeadlineHandler {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  raise(actor: Actor, input: RaiseInput, key?: string): Promise<Stored<ConcernView>> {
    const me = practitioner(actor);
    return this.db.transaction().execute((tx) =>
      once(tx, actorKey(me), key, { raiseConcern: input }, async () => {
        const now = this.clock();
        const id = randomUUID();
        const headId = await this.accountableHead(tx, me, input);
        await insertConcern(tx, {
          id, agency_id: input.agency_id, service: input.service || null, category: input.category, what: input.what,
          subject_id: input.subject_id ?? null, head_id: headId, sealed: input.sealed, raised_at: now, raiser_id: me.id,
        });
        const row = (await lockConcern(tx, id))!;
        const start = await startStage(tx, row, [...stages], now);
        const event = { type: 'raised', at: now, actorId: null, byRaiser: true, data: start } as const;
        await this.recorded(tx, row, [], event);
        await scheduleConcernTimers(tx, start.deadlines.map((deadline) => ({ concernId: id, stage: start.stage, deadline })));
        await writeAudit(tx, { actorPractitionerId: me.id, actorTokenId: null, childId: null, action: 'raise_concern', basis: 'raiser', detail: { concern_id: id, sealed: input.sealed } });
        const [view] = await readViews(tx, viewerOf(me), [{ id, basis: 'raiser' }], 'step', now);
        return { status: 201, body: view };
      }),
    );
  }

  /** Acknowledge, action plan, update, escalate or close: the guards in machine.ts say who and when. */
  step(actor: Actor, concernId: string, input: StepInput, key?: string): Promise<Stored<ConcernView>> {
    const me = practitioner(actor);
    return this.db.transaction().execute(async (tx) => {
      const [seen] = await visibleConcerns(tx, viewerOf(me), concernId);
      if (!seen) throw notFound('The concern');
      return once(tx, actorKey(me), key, { concernStep: concernId, input }, async () => {
        const row = (await lockConcern(tx, concernId))!;
        const events = (await eventsOf(tx, [concernId])).get(concernId)!;
        const state = fold(events);
        const isRaiser = row.raiser_id === me.id;
        const refused = refusal(state, input.type, { id: me.id, isRaiser, isSubject: row.subject_id === me.id });
        if (refused) throw refused;
        const now = this.clock();
        const event = { at: now, actorId: isRaiser ? null : me.id, byRaiser: isRaiser, ...(await this.stepData(tx, row, state, input, now)) } as Omit<ConcernEvent, 'seq'>;
        await this.recorded(tx, row, events, event);
        await writeAudit(tx, { actorPractitionerId: me.id, actorTokenId: null, childId: null, action: `concern_${input.type}`, basis: seen.basis, detail: { concern_id: concernId } });
        const [view] = await readViews(tx, viewerOf(me), [seen], 'step', now);
        return { status: 201, body: view };
      });
    });
  }

  /** One concern, with its trail; 404 for a concern the caller may not see. */
  async get(actor: Actor, concernId: string): Promise<ConcernView> {
    const me = practitioner(actor);
    return this.db.transaction().execute(async (tx) => {
      const seen = await visibleConcerns(tx, viewerOf(me), concernId);
      if (!seen.length) throw notFound('The concern');
      return (await readViews(tx, viewerOf(me), seen, 'detail', this.clock()))[0];
    });
  }

  /** "My concerns": those I raised and those I am, or was, accountable for. */
  async mine(actor: Actor): Promise<ConcernView[]> {
    const me = practitioner(actor);
    return this.db.transaction().execute(async (tx) => {
      const seen = (await visibleConcerns(tx, viewerOf(me))).filter((c) => c.basis === 'raiser' || c.involved);
      return readViews(tx, viewerOf(me), seen.reverse(), 'list', this.clock());
    });
  }

  /** The oversight board: managers see their agency's concerns, the partnership's chair all, others their own. */
  async board(actor: Actor): Promise<BoardView> {
    const me = practitioner(actor);
    return this.db.transaction().execute(async (tx) => boardOf(await readViews(tx, viewerOf(me), await visibleConcerns(tx, viewerOf(me)), 'oversight', this.clock())));
  }

  pendingTimers() {
    return pendingTimers(this.db);
  }

  deadlineReached(job: DeadlineJob) {
    return deadlineReached(this.db, job, this.clock, (tx, row, events, e) => this.recorded(tx, row, events, e));
  }

  /** Appends the event and tells those involved, in the step's transaction. */
  private async recorded(tx: Transaction<DB>, row: ConcernRow, before: ConcernEvent[], e: Omit<ConcernEvent, 'seq'>): Promise<ConcernState> {
    const seq = await appendEvent(tx, row.id, e);
    const event = { ...e, seq } as ConcernEvent;
    const after = [...before, event];
    const state = fold(after);
    await tellStep(tx, row, state, event, await people(tx, namedIn(row, after)));
    return state;
  }

  private async stepData(tx: Transaction<DB>, row: ConcernRow, state: ConcernState, input: StepInput, now: Date) {
    switch (input.type) {
      case 'acknowledged':
        return { type: input.type, data: input.note ? { note: input.note } : {} };
      case 'action_plan':
        return { type: input.type, data: { plan: input.plan } };
      case 'update':
        return { type: input.type, data: { text: input.text } };
      case 'closed':
        return { type: input.type, data: { resolution: input.resolution } };
      case 'escalated': {
        const start = await startStage(tx, row, stagesAbove(state.stage), now);
        await scheduleConcernTimers(tx, start.deadlines.map((deadline) => ({ concernId: row.id, stage: start.stage, deadline })));
        return { type: input.type, data: { ...start, from: state.stage, automatic: false, reason: input.reason } };
      }
    }
  }

  /**
   * The head the raiser named, or the agency's head of service. Never the raiser or the person the
   * concern is about: then the ladder starts above (head null). An agency with no head of service
   * in Sightline needs one named.
   */
  private async accountableHead(tx: Transaction<DB>, me: Practitioner, input: RaiseInput): Promise<string | null> {
    const agency = await agencyById(tx, input.agency_id);
    if (!agency) throw invalid('Choose the service’s agency.', [{ path: 'agency_id', message: 'Choose the service’s agency' }]);
    if (input.subject_id && !(await isActivePractitioner(tx, input.subject_id))) throw invalid('The practitioner the concern is about was not found.', [{ path: 'subject_id', message: 'Choose a practitioner from the list' }]);
    if (input.head_id) {
      if (!(await isActivePractitioner(tx, input.head_id))) throw invalid('The accountable person was not found.', [{ path: 'head_id', message: 'Choose a practitioner from the list' }]);
      if (input.head_id === me.id) throw invalid('You cannot be accountable for a concern you raise.', [{ path: 'head_id', message: 'Choose someone else, or leave it to the head of service' }]);
      if (input.head_id === input.subject_id) throw invalid('The person a concern is about cannot be accountable for it.', [{ path: 'head_id', message: 'Choose someone other than the person it is about' }]);
      return input.head_id;
    }
    const heads = await headsOfService(tx, agency.id);
    if (!heads.length) throw invalid(`${agency.name} has no head of service in Sightline: name the person accountable for this service.`, [{ path: 'head_id', message: 'Choose the person accountable for this service' }]);
    const eligible = heads.filter((h) => h !== me.id && h !== input.subject_id);
    if (eligible.length > 1) throw invalid(`${agency.name} has more than one head of service: choose the one accountable for this service.`, [{ path: 'head_id', message: 'Choose the person accountable for this service' }]);
    return eligible[0] ?? null;
  }
}
