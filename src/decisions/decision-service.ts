import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import { once, type Stored } from '../db/idempotency.js';
import { conflict, forbidden, invalid } from '../errors.js';
import type { Sealer } from '../record/chain.js';
import { lockChild } from '../process/store.js';
import { foldDecisions, type Decision } from './decision.js';
import type { DisagreementService } from './disagreement-service.js';
import { appendOne } from './entries.js';
import { decisionInput, positionInput, type DecisionInput } from './schemas.js';
import { decisionRecord, disputedDecisions, entriesOfKind, practitioners } from './store.js';
import { disagreementView, type DisagreementView } from './views.js';
import { mergedIntoThis } from '../person-index/group.js';
import { mergedDetail } from '../person-index/merged-records.js';

type Practitioner = Extract<Actor, { type: 'practitioner' }>;

export interface DecisionReceipt { decision: Decision; disagreements: DisagreementView[] }
/** A receipt over the API also names the record (`child_id`) the entry went on: the child's, or a record merged into it. */
export type PlacedReceipt = DecisionReceipt & { child_id: string };

/**
 * Named decisions: the maker is the signed-in practitioner who records it, with a rationale and
 * every participant's position. Never edited: a later decision supersedes it and says why. Each
 * dissent opens a disagreement with the maker, in the same transaction.
 */
export class DecisionService {
  constructor(
    private readonly door: ChildDoor,
    private readonly sealer: Sealer,
    private readonly disagreements: DisagreementService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(actor: Actor, childId: string, raw: unknown, key?: string): Promise<Stored<PlacedReceipt>> {
    const by = practitionerOnly(actor);
    const input = decisionInput.parse(raw);
    return this.door.write(by, childId, 'record_decision', async (a) => once(a.tx, actorKey(by), key, { childId, input }, async () => {
      // A replacement goes on the chain of the decision it replaces, which may be a record merged into this child.
      const record = input.supersedes_id ? await decisionRecord(a.tx, childId, input.supersedes_id) : childId;
      const res = await this.recordWithin(a.tx, record, by, input);
      a.audit = { decision_id: res.decision.id, disagreements: res.disagreements.map((d) => d.id), ...mergedDetail(childId, record) };
      return { status: 201, body: { ...res, child_id: record } };
    }), 'decision');
  }

  /** The same inside a transaction already through the door (a process step that is a decision). */
  async recordWithin(tx: Transaction<DB>, childId: string, by: Practitioner, input: DecisionInput): Promise<DecisionReceipt> {
    const at = new Date(input.occurred_at);
    if (at.getTime() > this.clock().getTime() + 5 * 60_000) throw invalid('A decision cannot be recorded before it is taken', [{ path: 'occurred_at', message: 'Must not be in the future' }]);
    await lockChild(tx, childId);
    const known = foldDecisions(await entriesOfKind(tx, childId, 'decision'), new Set());
    if (input.supersedes_id) {
      const earlier = known.find((d) => d.id === input.supersedes_id);
      if (!earlier) throw conflict('The decision to supersede is not in this child’s record.');
      if (earlier.superseded_by) throw conflict(`That decision was already superseded (by ${earlier.superseded_by}); supersede the newer one.`);
    }
    const named = await practitioners(tx, input.participants.map((p) => p.practitioner_id ?? null));
    input.participants.forEach((p, i) => {
      if (p.practitioner_id && !named.get(p.practitioner_id)?.active) throw invalid('A participant is not an active Sightline practitioner', [{ path: `participants.${i}.practitioner_id`, message: 'Choose an active practitioner' }]);
      if (p.practitioner_id === by.id) throw invalid('The decision-maker is not also a participant', [{ path: `participants.${i}`, message: 'Remove yourself: you are the decision-maker' }]);
    });
    const row = await appendOne(tx, this.sealer, childId, 'decision', by, at, `${input.question} Decision: ${input.outcome}. Why: ${input.rationale}`, {
      action: 'made', question: input.question, options: input.options, outcome: input.outcome, rationale: input.rationale,
      participants: input.participants, supersedes_id: input.supersedes_id ?? null, supersede_reason: input.supersede_reason ?? null, process_step_id: input.process_step_id ?? null,
    });
    const opened: DisagreementView[] = [];
    for (const p of input.participants.filter((q) => q.position === 'dissent')) {
      const d = await this.disagreements.openWithin(tx, childId, by, { raiserId: p.practitioner_id!, respondentId: by.id, matter: `Disagrees with the decision "${input.outcome}": ${p.reason}`, urgent: false, decisionId: row.id, at });
      opened.push(disagreementView(d, this.clock()));
    }
    const decision = foldDecisions(await entriesOfKind(tx, childId, 'decision'), await disputedDecisions(tx, childId)).find((d) => d.id === row.id)!;
    return { decision, disagreements: opened };
  }

  /** A participant states (or changes) their own position; a dissent opens a disagreement with the maker. */
  async position(actor: Actor, childId: string, decisionId: string, raw: unknown, key?: string): Promise<Stored<PlacedReceipt>> {
    const by = practitionerOnly(actor);
    const input = positionInput.parse(raw);
    return this.door.write(by, childId, 'state_position', async (a) => once(a.tx, actorKey(by), key, { childId, decisionId, input }, async () => {
      // The position goes on the decision's own chain: the child's, or a record merged into the child.
      const record = await decisionRecord(a.tx, childId, decisionId);
      a.audit = { decision_id: decisionId, ...mergedDetail(childId, record) };
      await lockChild(a.tx, record);
      const decision = foldDecisions(await entriesOfKind(a.tx, record, 'decision'), new Set()).find((d) => d.id === decisionId);
      if (!decision) throw conflict('There is no such decision in this child’s record.');
      if (!decision.participants.some((p) => p.practitioner_id === by.id)) throw forbidden('Only a named participant in a decision can state a position on it.');
      if (decision.superseded_by) throw conflict('That decision has been superseded; state your position on the newer one.');
      const at = input.occurred_at ? new Date(input.occurred_at) : a.now;
      await appendOne(a.tx, this.sealer, record, 'decision', by, at, `Position on "${decision.outcome}": ${input.position}${input.reason ? `. ${input.reason}` : ''}`,
        { action: 'position', decision_id: decisionId, position: input.position, reason: input.reason ?? null });
      const opened: DisagreementView[] = [];
      if (input.position === 'dissent' && decision.maker.id) {
        const d = await this.disagreements.openWithin(a.tx, record, by, { raiserId: by.id, respondentId: decision.maker.id, matter: `Disagrees with the decision "${decision.outcome}": ${input.reason}`, urgent: false, decisionId, at });
        opened.push(disagreementView(d, this.clock()));
      }
      const updated = foldDecisions(await entriesOfKind(a.tx, record, 'decision'), await disputedDecisions(a.tx, record)).find((d) => d.id === decisionId)!;
      return { status: 201, body: { decision: updated, disagreements: opened, child_id: record } };
    }), 'decision');
  }

  /**
   * The child's decisions, newest first, each with the record (`child_id`) it was made on: a record
   * merged into the child lists its own decisions too, folded on their own chain.
   */
  async list(actor: Actor, childId: string): Promise<(Decision & { child_id: string })[]> {
    return this.door.read(actor, childId, 'read_decisions', async (a) => {
      if (a.onlyAgencyId) throw forbidden('Agency systems read only their own agency’s entries; decisions are read by practitioners.');
      const merged = await mergedIntoThis(a.tx, childId);
      const out: (Decision & { child_id: string })[] = [];
      for (const id of [childId, ...merged]) {
        out.push(...foldDecisions(await entriesOfKind(a.tx, id, 'decision'), await disputedDecisions(a.tx, id)).reverse().map((d) => ({ ...d, child_id: id })));
      }
      if (merged.length) a.audit = { merged_records: merged };
      // Two chains' decisions interleave by when they were taken; one chain keeps its record order.
      return merged.length ? out.sort((x, y) => y.at.localeCompare(x.at)) : out;
    });
  }
}

function practitionerOnly(actor: Actor): Practitioner {
  if (actor.type !== 'practitioner') throw forbidden('A decision is made by a named, signed-in practitioner, never by a system or "the team".');
  return actor;
}
