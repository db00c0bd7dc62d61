import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import { once, type Stored } from '../db/idempotency.js';
import { conflict, forbidden, invalid } from '../errors.js';
import { notify } from '../notifications/store.js';
import type { Sealer } from '../record/chain.js';
import { lockChild } from '../process/store.js';
import { foldDisagreement, guardDisagreement, LAST_STAGE, type Disagreement, type DisagreementData } from './disagreement.js';
import { appendOne, type Author } from './entries.js';
import { stageDeadline, stageParties } from './ladder.js';
import { disagreementInput, raiserAnswerInput, responseInput, stageNames } from './schemas.js';
import { decisionRecord, disagreementEvents, entriesOfKind, practitioners, projectDisagreement } from './store.js';
import { disagreementView, type DisagreementView } from './views.js';
import { mergedIntoThis } from '../person-index/group.js';
import { mergedDetail } from '../person-index/merged-records.js';

type Practitioner = Extract<Actor, { type: 'practitioner' }>;
/** Told after a disagreement changes, in its transaction (the escalation timer schedules from it). */
export type AfterChange = (tx: Transaction<DB>, childId: string, d: Disagreement) => Promise<void>;

export interface Opening { raiserId: string; respondentId: string; matter: string; urgent: boolean; decisionId: string | null; at: Date }

/**
 * Professional disagreements: opened by hand or by a recorded dissent, answered stage by stage,
 * escalated by the raiser or by the clock, closed when the raiser accepts. Every change is a
 * `disagreement` entry in the child's chronology, written through the door.
 */
export class DisagreementService {
  private readonly after: AfterChange[] = [];

  constructor(
    private readonly door: ChildDoor,
    private readonly sealer: Sealer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  onChange(f: AfterChange): void {
    this.after.push(f);
  }

  async open(actor: Actor, childId: string, raw: unknown, key?: string): Promise<Stored<DisagreementView & { child_id: string }>> {
    const by = practitionerOnly(actor);
    const input = disagreementInput.parse(raw);
    if (input.respondent_id === by.id) throw invalid('A disagreement is with someone else', [{ path: 'respondent_id', message: 'Choose the practitioner you disagree with' }]);
    return this.door.write(by, childId, 'open_disagreement', async (a) => once(a.tx, actorKey(by), key, { childId, input }, async () => {
      // About a decision: on the decision's own chain (a record merged into this child keeps its disagreements).
      const record = input.decision_id ? await decisionRecord(a.tx, childId, input.decision_id) : childId;
      await lockChild(a.tx, record);
      if (input.decision_id && !(await entriesOfKind(a.tx, record, 'decision')).some((e) => e.id === input.decision_id)) {
        throw conflict('The decision disputed is not in this child’s record.');
      }
      const respondent = (await practitioners(a.tx, [input.respondent_id])).get(input.respondent_id);
      if (!respondent?.active) throw invalid('The practitioner you disagree with is not an active Sightline user', [{ path: 'respondent_id', message: 'Choose an active practitioner' }]);
      const d = await this.openWithin(a.tx, record, by, { raiserId: by.id, respondentId: input.respondent_id, matter: input.matter, urgent: input.urgent, decisionId: input.decision_id ?? null, at: a.now });
      a.audit = { disagreement_id: d.id, ...mergedDetail(childId, record) };
      return { status: 201, body: { ...disagreementView(d, this.clock()), child_id: record } };
    }), 'disagreement');
  }

  /** Opens one inside a transaction that has already been through the door (a dissent in a decision). */
  async openWithin(tx: Transaction<DB>, childId: string, by: Practitioner, o: Opening): Promise<Disagreement> {
    const id = randomUUID();
    const data: DisagreementData = {
      action: 'opened', disagreement_id: id, raiser_id: o.raiserId, respondent_id: o.respondentId, matter: o.matter, urgent: o.urgent,
      decision_id: o.decisionId, deadline: await stageDeadline(tx, childId, by.agencyId, 1, o.urgent, o.at),
    };
    return this.changed(tx, childId, id, data, by, o.at, `${stageNames[1]}: ${o.matter}`);
  }

  async respond(actor: Actor, childId: string, id: string, raw: unknown, key?: string): Promise<Stored<DisagreementView>> {
    const by = practitionerOnly(actor);
    const { response } = responseInput.parse(raw);
    return this.act(by, childId, id, key, { response }, async (tx, d, at, record) => {
      const parties = await stageParties(tx, d);
      guardDisagreement(d, 'responded', { id: by.id, responds: parties.respond.includes(by.id) }, at);
      return this.changed(tx, record, id, { action: 'responded', disagreement_id: id, stage: d.stage, response }, by, at, `${stageNames[d.stage]}, response: ${response}`);
    });
  }

  /** The raiser accepts the response (it closes) or does not (it goes up a stage; at the partnership, its decision stands). */
  async answer(actor: Actor, childId: string, id: string, raw: unknown, key?: string): Promise<Stored<DisagreementView>> {
    const by = practitionerOnly(actor);
    const input = raiserAnswerInput.parse(raw);
    return this.act(by, childId, id, key, input, async (tx, d, at, record) => {
      if (input.accept) {
        guardDisagreement(d, 'accepted', { id: by.id, responds: false }, at);
        return this.changed(tx, record, id, { action: 'accepted', disagreement_id: id, stage: d.stage }, by, at, `${stageNames[d.stage]}: response accepted; disagreement resolved.`);
      }
      guardDisagreement(d, 'escalated', { id: by.id, responds: false }, at);
      if (d.stage >= LAST_STAGE) {
        return this.changed(tx, record, id, { action: 'closed', disagreement_id: id, stage: d.stage, outcome: 'partnership_decision', reason: input.reason ?? null }, by, at,
          `The partnership's decision stands; the raiser does not accept it: ${input.reason}`);
      }
      const deadline = await stageDeadline(tx, record, by.agencyId, d.stage + 1, d.urgent, at);
      return this.changed(tx, record, id, { action: 'escalated', disagreement_id: id, from_stage: d.stage, to_stage: d.stage + 1, why: 'not_accepted', reason: input.reason ?? null, deadline }, by, at,
        `Not accepted, escalated to ${stageNames[d.stage + 1]}: ${input.reason}`);
    });
  }

  /** The escalation timer's work: a stage still unanswered at its deadline moves up by itself, once. */
  async escalateOverdue(childId: string, id: string, stage: number): Promise<'escalated' | 'moved_on'> {
    return this.door.system(childId, 'escalate_disagreement', async (tx) => {
      await lockChild(tx, childId);
      const d = await this.current(tx, childId, id);
      if (!d || d.stage !== stage || d.status !== 'awaiting_response') return 'moved_on';
      const now = this.clock();
      guardDisagreement(d, 'escalated', { id: null, responds: false }, now);
      const agency = (await practitioners(tx, [d.respondentId])).get(d.respondentId)!.agencyId;
      const deadline = await stageDeadline(tx, childId, agency, stage + 1, d.urgent, now);
      await this.changed(tx, childId, id, { action: 'escalated', disagreement_id: id, from_stage: stage, to_stage: stage + 1, why: 'no_response', reason: null, deadline },
        { type: 'system', agencyId: agency }, now, `No response by the deadline: escalated to ${stageNames[stage + 1]}.`);
      return 'escalated';
    });
  }

  async view(actor: Actor, childId: string, id: string): Promise<DisagreementView & { child_id: string }> {
    return this.door.read(actor, childId, 'read_disagreement', async (a) => {
      if (a.onlyAgencyId) throw forbidden('Disagreements are read by practitioners.');
      const record = await recordOf(a.tx, childId, id);
      const d = await this.current(a.tx, record, id);
      if (!d) throw conflict('There is no such disagreement in this child’s record.');
      a.audit = { disagreement_id: id, ...(record === childId ? {} : { merged_record_id: record }) };
      return { ...disagreementView(d, this.clock(), await stageParties(a.tx, d)), child_id: record };
    });
  }

  /** The child's disagreements, and those of any record merged into the child, each with the record (`child_id`) it is on. */
  async list(actor: Actor, childId: string): Promise<(DisagreementView & { child_id: string })[]> {
    return this.door.read(actor, childId, 'read_disagreements', async (a) => {
      if (a.onlyAgencyId) throw forbidden('Disagreements are read by practitioners.');
      const out: (DisagreementView & { child_id: string })[] = [];
      const merged = await mergedIntoThis(a.tx, childId);
      if (merged.length) a.audit = { merged_records: merged };
      for (const record of [childId, ...merged]) {
        const rows = await entriesOfKind(a.tx, record, 'disagreement');
        const ids = [...new Set(rows.map((r) => String(r.data.disagreement_id)))];
        const found = ids.map((id) => foldDisagreement(disagreementEvents(rows, id))).filter((d): d is Disagreement => !!d);
        out.push(...found.map((d) => ({ ...disagreementView(d, this.clock()), child_id: record })));
      }
      return out;
    });
  }

  private async current(tx: Transaction<DB>, childId: string, id: string): Promise<Disagreement | undefined> {
    return foldDisagreement(disagreementEvents(await entriesOfKind(tx, childId, 'disagreement'), id));
  }

  /** Acts on the disagreement on its own record's chain: the child's, or a record merged into the child. */
  private act(by: Practitioner, childId: string, id: string, key: string | undefined, input: object, f: (tx: Transaction<DB>, d: Disagreement, at: Date, record: string) => Promise<Disagreement>) {
    return this.door.write(by, childId, 'act_on_disagreement', async (a) => once(a.tx, actorKey(by), key, { childId, id, input }, async () => {
      const record = await recordOf(a.tx, childId, id);
      await lockChild(a.tx, record);
      const d = await this.current(a.tx, record, id);
      if (!d) throw conflict('There is no such disagreement in this child’s record.');
      if (record !== childId) a.audit = { merged_record_id: record };
      return { status: 201, body: disagreementView(await f(a.tx, d, a.now, record), this.clock()) };
    }), 'disagreement');
  }

  /** Appends the change, re-folds, rewrites the projection and tells everyone the step involves. */
  private async changed(tx: Transaction<DB>, childId: string, id: string, data: DisagreementData, by: Author, at: Date, narrative: string): Promise<Disagreement> {
    await appendOne(tx, this.sealer, childId, 'disagreement', by, at, narrative, data);
    const d = (await this.current(tx, childId, id))!;
    const parties = await stageParties(tx, d);
    await projectDisagreement(tx, childId, d, null, [
      { id: d.raiserId, part: 'raiser' }, { id: d.respondentId, part: 'respondent' },
      ...parties.respond.map((p) => ({ id: p, part: 'responder' as const })), ...parties.told.map((p) => ({ id: p, part: 'told' as const })),
    ]);
    const everyone = [...new Set([d.raiserId, d.respondentId, ...parties.respond])].filter((p) => by.type !== 'practitioner' || p !== by.id);
    await notify(tx, everyone, { kind: `disagreement_${data.action}`, childId, title: `Disagreement ${data.action.replace('_', ' ')}: ${stageNames[d.stage]}`, body: narrative.slice(0, 500), at });
    for (const f of this.after) await f(tx, childId, d);
    return d;
  }
}

function practitionerOnly(actor: Actor): Practitioner {
  if (actor.type !== 'practitioner') throw forbidden('Disagreements are raised and answered by signed-in practitioners.');
  return actor;
}

/**
 * The record a disagreement is on: the child's own, or a record merged into the child now (the
 * projection names it). Anything else is looked for on the child's own chain, and not found there.
 */
async function recordOf(tx: Transaction<DB>, childId: string, id: string): Promise<string> {
  const merged = await mergedIntoThis(tx, childId);
  if (!merged.length) return childId;
  const row = (await sql<{ child_id: string }>`SELECT child_id FROM disagreements WHERE id = ${id}`.execute(tx)).rows[0];
  return row && merged.includes(row.child_id) ? row.child_id : childId;
}
