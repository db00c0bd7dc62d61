import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { Access, ChildDoor } from '../access/door.js';
import { relationshipsOf, allocatedWorkerAndManager } from '../access/store.js';
import { groupMembersOf, insertGroupMember } from '../access/relationships-store.js';
import { once, type Stored } from '../db/idempotency.js';
import { forbidden, invalid } from '../errors.js';
import { notify } from '../notifications/store.js';
import type { Sealer } from '../record/chain.js';
import { appendEntries } from '../record/store.js';
import type { DecisionService } from '../decisions/decision-service.js';
import type { Decision } from '../decisions/decision.js';
import { asStepError, stepDecision, type StepDecision } from '../decisions/process-decisions.js';
import type { DisagreementView } from '../decisions/views.js';
import { toEntryView, type EntryView } from '../record/view.js';
import { londonDate } from './dates.js';
import { recordedSource, rulesSource, type RecordedDeadline } from './deadlines.js';
import { check, type GuardContext } from './guards.js';
import { fold } from './machine.js';
import { rulesAndCalendar } from './rules-store.js';
import type { ProcessState } from './state.js';
import { parseStepData, stepInput, stepLabels, type Recorder, type StepName } from './steps.js';
import { DUE_SOON, childDates, isRelatedNow, lockChild, practitionerFacts, processEvents, project, projectedPlace, responsibleAuthority, toEvent } from './store.js';
import { narrativeOf, practitionersNamed } from './step-text.js';
import { processView, type ProcessView } from './view.js';
import { mergedRecords, type MergedHere } from '../person-index/merged-records.js';

type Practitioner = Extract<Actor, { type: 'practitioner' }>;

/** The child's process, and each merged record's beside it (person-index/merged-records.ts). */
export type ProcessOverview = ProcessView & { merged_records: (MergedHere & { process: ProcessView })[] };

/** Told after a step's projection is written, in the same transaction (the timers schedule from it). */
/**
 * Told after a step is recorded (`stepSeq`: the step entry's sequence number; what it appended after it
 * follows) or after a home visit moved the child's visit clock (no `stepSeq`: nothing new was appended
 * here, the visit itself went through the record's own listeners).
 */
export type AfterStep = (tx: Transaction<DB>, childId: string, stepSeq?: number) => Promise<void>;

export interface StepReceipt {
  entry: EntryView;
  process: ProcessView;
  /** The decision a deciding step records (referral outcome, conference outcome, return home under safeguards…), and the disagreements its dissents opened. */
  decision: Decision | null;
  disagreements: DisagreementView[];
}

/**
 * The statutory process: each step is checked against the child's process so far (guards.ts),
 * appended to the chronology through the door with the deadlines it starts, and projected for the
 * due lists, all in one transaction.
 */
export class ProcessService {
  private readonly afterStep: AfterStep[] = [];

  constructor(
    private readonly door: ChildDoor,
    private readonly sealer: Sealer,
    /** Records the decision a step takes, in the step's transaction. */
    private readonly decisions: DecisionService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  onStep(f: AfterStep): void {
    this.afterStep.push(f);
  }

  async record(actor: Actor, childId: string, raw: unknown, idempotencyKey?: string): Promise<Stored<StepReceipt>> {
    if (actor.type !== 'practitioner') throw forbidden('Steps of the statutory process are recorded by a signed-in practitioner.');
    const input = stepInput.parse(raw);
    const data = parseStepData(input.step, input.data);
    if (new Date(input.occurred_at).getTime() > this.clock().getTime() + 5 * 60_000) {
      throw invalid('A step cannot be recorded before it has happened', [{ path: 'occurred_at', message: 'Must not be in the future' }]);
    }
    const decision = stepDecision({ ...input, data }, actor.id);
    // Police may take a child into police protection without knowing the child's record.
    const admitAs = input.step === 'police_protection_started' ? 'process_step:police_protection_started' : 'process_step';
    return this.door.write(actor, childId, 'record_process_step', async (a) => {
      const res = await once(a.tx, actorKey(actor), idempotencyKey, { childId, input }, () => this.append(a, actor, input.step, {
        at: new Date(input.occurred_at), narrative: input.narrative, data: { step: input.step, ...data, ...(input.late_reason ? { late_reason: input.late_reason } : {}) }, decision,
      }));
      a.audit = { entry_id: res.body.entry.id, step: input.step, decision_id: res.body.decision?.id ?? null, replayed: res.replayed };
      return res;
    }, admitAs);
  }

  private async append(a: Access, actor: Practitioner, step: StepName, given: { at: Date; narrative: string; data: Record<string, unknown>; decision: StepDecision | null }) {
    const { tx } = a;
    await lockChild(tx, a.childId);
    const { laId, jurisdiction } = await responsibleAuthority(tx, a.childId, actor.agencyId, a.now);
    const { rules, calendar } = await rulesAndCalendar(tx, jurisdiction);
    const live = rulesSource(rules, calendar, jurisdiction, laId);
    const events = await processEvents(tx, a.childId);
    const before = fold(events, recordedSource(live));
    const deadlines: RecordedDeadline[] = [];
    const ev = { type: 'step' as const, id: randomUUID(), step, at: given.at, date: londonDate(given.at), data: given.data, authorId: actor.id, agencyId: actor.agencyId };
    check(before, ev, rulesSource(rules, calendar, jurisdiction, laId, deadlines), await this.guardContext(a, actor, given.data));
    const [row] = await appendEntries(tx, this.sealer, [{
      child_id: a.childId, kind: 'process_step', occurred_at: given.at, author_id: actor.id, author_name: actor.name, author_role: actor.role,
      author_agency_id: actor.agencyId, via_token_id: null, concerns: [], narrative: given.narrative || narrativeOf(step, given.data),
      data: { ...given.data, deadlines }, supersedes_id: null, correction_reason: null,
    }]);
    const after = fold([...events, toEvent(row)], recordedSource(live));
    await project(tx, a.childId, after, laId, jurisdiction);
    await this.joinGroups(a, actor, step, given.data, given.at);
    await this.tellTheWorker(a, actor, step, row.id);
    const decided = given.decision ? await this.decide(tx, a.childId, actor, given.decision, row.id) : null;
    for (const f of this.afterStep) await f(tx, a.childId, row.seq);
    const body: StepReceipt = { entry: toEntryView(row), process: processView(after, this.clock(), DUE_SOON), decision: decided?.decision ?? null, disagreements: decided?.disagreements ?? [] };
    return { status: 201, body };
  }

  /** The step's decision, made by its recorder: each dissenting attendee opens a disagreement with them. */
  private async decide(tx: Transaction<DB>, childId: string, actor: Practitioner, d: StepDecision, stepEntryId: string) {
    try {
      return await this.decisions.recordWithin(tx, childId, actor, { ...d.input, process_step_id: stepEntryId });
    } catch (err) {
      throw asStepError(err, d.attendeeOf);
    }
  }

  /** Facts the guards need: who is named in the step, and whether a safety plan's monitors may be. */
  private async guardContext(a: Access, actor: Practitioner, data: Record<string, unknown>): Promise<GuardContext> {
    const named = practitionersNamed(data);
    const facts = await practitionerFacts(a.tx, [actor.id, ...named.all]);
    const kind = facts.get(actor.id)?.agencyKind;
    const recorder: Recorder = kind === 'local_authority' ? 'social_care' : kind === 'police' ? 'police' : 'other';
    const problems = new Map<string, string | null>();
    for (const id of named.monitors) {
      const found = (await relationshipsOf(a.tx, id, a.childId, a.now)).filter((f) => f.basis !== 'emergency');
      problems.set(id, facts.get(id)?.active && found.length ? null : 'This practitioner has no relationship with the child (allocated, team, manager, core group or strategy discussion), so cannot monitor the plan');
    }
    for (const id of named.people) {
      problems.set(id, (await isRelatedNow(a.tx, a.childId, id, londonDate(a.now))) ? null : 'This person is not recorded as related to the child: add them to the household or relationships first');
    }
    return {
      recorder,
      child: await childDates(a.tx, a.childId),
      practitioner: (id) => facts.get(id),
      monitorProblem: (m) => problems.get(m.practitioner_id ?? m.person_id ?? '') ?? null,
    };
  }

  /**
   * Practitioners at a strategy discussion, and a plan's core group, reach the child's record through it;
   * so does a practitioner given one of the plan's actions, who must be able to mark it done.
   */
  private async joinGroups(a: Access, actor: Practitioner, step: StepName, data: Record<string, unknown>, at: Date) {
    const named = practitionersNamed(data);
    const owners = ((data.actions as { practitioner_id?: string }[] | undefined) ?? []).flatMap((x) => (x.practitioner_id ? [x.practitioner_id] : []));
    const groupKind = step === 'strategy_discussion' ? 'strategy_discussion' : 'core_group';
    const ids = step === 'strategy_discussion' ? named.attendees
      : step === 'core_group' || (step === 'icpc' && data.outcome === 'cp_plan') ? [...named.attendees, ...named.coreGroup, ...owners]
      : owners;
    if (!ids.length) return;
    const current = new Set((await groupMembersOf(a.tx, a.childId, { currentAt: a.now, groupKind })).map((m) => m.practitioner_id));
    const facts = await practitionerFacts(a.tx, ids);
    for (const id of new Set(ids)) {
      if (current.has(id) || !facts.get(id)?.active) continue;
      await insertGroupMember(a.tx, { childId: a.childId, practitionerId: id, groupKind, by: actor.id, from: at < a.now ? at : a.now });
    }
  }

  /** The child's worker and their manager learn at once that the child is in police protection or under an order. */
  private async tellTheWorker(a: Access, actor: Practitioner, step: StepName, entryId: string) {
    if (step !== 'police_protection_started' && step !== 'epo_made') return;
    const told = (await allocatedWorkerAndManager(a.tx, a.childId, a.now)).filter((p) => p !== actor.id);
    await notify(a.tx, told, { kind: 'process_step', childId: a.childId, title: stepLabels[step], body: `${actor.name} recorded: ${stepLabels[step]} (entry ${entryId}).`, at: a.now });
  }

  /**
   * After ordinary entries are appended (in their transaction): a home visit moves the visit clock
   * of a child with a process, so that child's projection is rewritten and its timers rescheduled.
   */
  async afterEntries(tx: Transaction<DB>, rows: { child_id: string; kind: string }[]): Promise<void> {
    const children = [...new Set(rows.filter((r) => r.kind === 'home_visit').map((r) => r.child_id))];
    for (const childId of children) {
      const place = await projectedPlace(tx, childId);
      if (!place) continue;
      const { rules, calendar } = await rulesAndCalendar(tx, place.jurisdiction);
      const live = rulesSource(rules, calendar, place.jurisdiction, place.laId);
      await project(tx, childId, fold(await processEvents(tx, childId), recordedSource(live)), place.laId, place.jurisdiction);
      for (const f of this.afterStep) await f(tx, childId);
    }
  }

  /**
   * The child's process as it stands, read through the door, and beside it the process of each record
   * merged into the child: never folded together (each chain keeps its own state and timers), and new
   * steps act on the child's own.
   */
  async overview(actor: Actor, childId: string): Promise<ProcessOverview> {
    // The process is folded from every agency's entries; an agency system sees only its own agency's.
    if (actor.type !== 'practitioner') throw forbidden('The statutory process is read by a signed-in practitioner.');
    return this.door.read(actor, childId, 'read_process', async (a) => {
      const state = await this.stateOf(a.tx, childId, actor.agencyId, a.now);
      const merged_records = [];
      for (const m of await mergedRecords(a.tx, childId)) {
        const theirs = await this.stateOf(a.tx, m.child_id, actor.agencyId, a.now);
        merged_records.push({ ...m, process: processView(theirs, this.clock(), DUE_SOON) });
      }
      // Reads of a merged record through the survivor are findable by the merged record's id too.
      if (merged_records.length) a.audit = { merged_records: merged_records.map((m) => m.child_id) };
      return { ...processView(state, this.clock(), DUE_SOON), merged_records };
    });
  }

  private async stateOf(tx: Transaction<DB>, childId: string, agencyId: string, now: Date): Promise<ProcessState> {
    const { laId, jurisdiction } = await responsibleAuthority(tx, childId, agencyId, now);
    const { rules, calendar } = await rulesAndCalendar(tx, jurisdiction);
    const live = rulesSource(rules, calendar, jurisdiction, laId);
    return fold(await processEvents(tx, childId), recordedSource(live));
  }
}
