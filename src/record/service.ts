import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { once, type Stored } from '../db/idempotency.js';
import { conflict, DomainError, forbidden, invalid } from '../errors.js';
import type { Sealer } from './chain.js';
import { entryInput, entryKindNames, parseKindData, type EntryInput, type EntryKind } from './kinds.js';
import { appendEntries, chronology, entryInChild, type ChronologyFilter, type Draft } from './store.js';
import type { StoredLink } from './chain.js';
import { chronologyJson } from './chronology-json.js';
import { toEntryView, type EntryView } from './view.js';

/** Told of every append, inside its transaction: the process re-reads visits, alerts will evaluate rules. */
export type AppendListener = (tx: Transaction<DB>, rows: StoredLink[]) => Promise<void>;

export class RecordService {
  private readonly listeners: AppendListener[] = [];

  constructor(
    private readonly door: ChildDoor,
    private readonly sealer: Sealer,
  ) {}

  onAppend(f: AppendListener): void {
    this.listeners.push(f);
  }

  private async appended(tx: Transaction<DB>, rows: StoredLink[]): Promise<void> {
    for (const f of this.listeners) await f(tx, rows);
  }

  /** Validates an entry for `kind`: the common fields, then the kind's own schema. */
  static parse(raw: unknown): EntryInput {
    const input = entryInput.parse(raw);
    input.data = parseKindData(input.kind as EntryKind, input.data);
    if (!!input.supersedes_id !== !!input.correction_reason) {
      throw invalid('A correction must name the entry it corrects and say why', [
        { path: input.supersedes_id ? 'correction_reason' : 'supersedes_id', message: 'A correction needs both the entry it corrects and the reason' },
      ]);
    }
    if (new Date(input.occurred_at).getTime() > Date.now() + 5 * 60_000) {
      throw invalid('An entry cannot describe something that has not happened yet', [{ path: 'occurred_at', message: 'Must not be in the future' }]);
    }
    return input;
  }

  async append(actor: Actor, childId: string, raw: unknown, idempotencyKey?: string): Promise<Stored<EntryView>> {
    const input = RecordService.parse(raw);
    return this.door.write(actor, childId, 'append_entry', async (a) => {
      const res = await once(a.tx, actorKey(actor), idempotencyKey, { childId, input }, async () => {
        const corrected = input.supersedes_id ? await entryInChild(a.tx, childId, input.supersedes_id) : undefined;
        if (input.supersedes_id && !corrected) throw conflict('The entry being corrected is not in this child’s record.');
        // Process steps, decisions and disagreements are put right by their own later steps, not rewritten here.
        if (corrected && !(entryKindNames as string[]).includes(corrected.kind)) {
          throw conflict(`A ${corrected.kind.replace('_', ' ')} entry is not corrected with the entry form: record the next step, a superseding decision or a response instead.`);
        }
        const [row] = await appendEntries(a.tx, this.sealer, [draftFrom(actor, childId, input)]);
        await this.appended(a.tx, [row]);
        return { status: 201, body: toEntryView(row) };
      });
      a.audit = { entry_id: res.body.id, replayed: res.replayed };
      return res;
    }, input.kind);
  }

  /**
   * Many entries, for many children, from an agency system: every item is validated before anything
   * is written, then all are appended in one transaction through the door (each child admitted and
   * audited), so the batch is recorded whole or not at all.
   */
  async appendBatch(actor: Actor, items: unknown, idempotencyKey?: string): Promise<Stored<BatchReceipt>> {
    const parsed = RecordService.parseBatch(actor, items);
    const children = new Map<string, { childId: string; kinds: Set<string>; what: string }>();
    parsed.forEach((item, i) => {
      const c = children.get(item.child_id) ?? { childId: item.child_id, kinds: new Set<string>(), what: `The child in item ${i}` };
      c.kinds.add(item.kind);
      children.set(item.child_id, c);
    });
    const admit = [...children.values()].map((c) => ({ ...c, kinds: [...c.kinds] }));
    return this.door.writeMany(actor, admit, 'append_entries', async (tx, each) => {
      const res = await once(tx, actorKey(actor), idempotencyKey, { batch: parsed }, async () => {
        await checkCorrections(tx, parsed);
        const rows = await appendEntries(tx, this.sealer, parsed.map((item) => draftFrom(actor, item.child_id, item)));
        await this.appended(tx, rows);
        return { status: 201, body: { count: rows.length, entries: rows.map(toReceipt) } };
      });
      const idsOf = new Map<string, string[]>();
      for (const e of res.body.entries) idsOf.set(e.child_id, [...(idsOf.get(e.child_id) ?? []), e.id]);
      for (const a of each) a.audit = { entry_ids: idsOf.get(a.childId.toLowerCase()) ?? [], batch: res.body.count, replayed: res.replayed };
      return res;
    });
  }

  /** Validates a whole batch, naming every bad item by index and field (`items.3.data.child_seen`). */
  static parseBatch(actor: Actor, raw: unknown): BatchItem[] {
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_BATCH) {
      throw invalid(`Send between 1 and ${MAX_BATCH} entries in "items"`, [{ path: 'items', message: `Must be a list of 1 to ${MAX_BATCH} entries` }]);
    }
    const fields: { path: string; message: string }[] = [];
    const out: BatchItem[] = [];
    for (let i = 0; i < raw.length; i++) {
      const child = childOf.safeParse(raw[i]);
      if (!child.success) fields.push(...itemFields(i, child.error.issues.map((x) => ({ path: x.path.join('.'), message: x.message }))));
      try {
        const input = RecordService.parse(raw[i]);
        // The database compares uuids case-blind; grouping and lookups here must too.
        if (child.success) out.push({ ...input, child_id: child.data.child_id.toLowerCase(), supersedes_id: input.supersedes_id?.toLowerCase() });
      } catch (e) {
        if (e instanceof z.ZodError) fields.push(...itemFields(i, e.issues.map((x) => ({ path: x.path.join('.'), message: x.message }))));
        else if (e instanceof DomainError) fields.push(...itemFields(i, e.fields ?? [{ path: '', message: e.message }]));
        else throw e;
      }
    }
    if (fields.length) throw invalid(`Some items are invalid (first: ${fields[0].path}); nothing was recorded.`, fields);
    const outOfScope = out.findIndex((item) => actor.type === 'token' && !actor.entryKinds.includes(item.kind));
    if (outOfScope >= 0) {
      const e = forbidden(`This API token may not record entries of kind "${out[outOfScope].kind}" (item ${outOfScope}); nothing was recorded.`);
      throw new DomainError(e.message, 403, e.title, [{ path: `items.${outOfScope}.kind`, message: 'Not a kind this token may record' }]);
    }
    return out;
  }

  /**
   * The chronology in the API's list form, as the bytes to send: `{"basis", "agencies", "entries"}`
   * (see routes.ts), built from each entry's stored JSON (chronology-json.ts); read and audited alike.
   */
  async chronologyJson(actor: Actor, childId: string, filter: ChronologyFilter): Promise<Buffer> {
    const { basis, pieces, agencies } = await this.door.read(actor, childId, 'read_chronology', async (a) => {
      const list = await chronologyJson(a.tx, childId, { ...filter, agencyId: a.onlyAgencyId ?? filter.agencyId });
      a.audit = { entries: list.count, filter };
      return { basis: a.basis, ...list };
    });
    return Buffer.from(`{"basis":${JSON.stringify(basis)},"agencies":${agencies},"entries":[${pieces.join(',')}]}`);
  }

  /** The chronology, newest first, filtered by agency and kind. Agency systems see only their own entries. */
  async chronology(actor: Actor, childId: string, filter: ChronologyFilter) {
    return this.door.read(actor, childId, 'read_chronology', async (a) => {
      const rows = await chronology(a.tx, childId, { ...filter, agencyId: a.onlyAgencyId ?? filter.agencyId });
      a.audit = { entries: rows.length, filter };
      return { basis: a.basis, entries: rows.map(toEntryView) };
    });
  }
}

export function draftFrom(actor: Actor, childId: string, input: EntryInput): Draft {
  return {
    child_id: childId,
    kind: input.kind,
    occurred_at: new Date(input.occurred_at),
    author_id: actor.type === 'practitioner' ? actor.id : null,
    author_name: actor.name,
    author_role: actor.type === 'practitioner' ? actor.role : 'agency_system',
    author_agency_id: actor.agencyId,
    via_token_id: actor.type === 'token' ? actor.id : null,
    concerns: input.concerns,
    narrative: input.narrative,
    data: input.data,
    supersedes_id: input.supersedes_id ?? null,
    correction_reason: input.correction_reason ?? null,
  };
}

export const MAX_BATCH = 1000;
export const batchItem = entryInput.extend({ child_id: z.uuid().describe('The child the entry is about') });
// Built once: building a zod schema costs far more than using it.
const childOf = z.object({ child_id: z.uuid() });
export type BatchItem = EntryInput & { child_id: string };

/** What each item became, in the order sent. */
export interface BatchReceipt {
  count: number;
  entries: { id: string; child_id: string; seq: number; kind: string; recorded_at: string; hash: string; prev_hash: string }[];
}

/** Field errors of one item, named from the top of the request body: `items.3.data.child_seen`. */
const itemFields = (i: number, fields: { path: string; message: string }[]) =>
  fields.map((f) => ({ path: f.path ? `items.${i}.${f.path}` : `items.${i}`, message: f.message }));

const toReceipt = (r: StoredLink) => ({ id: r.id, child_id: r.child_id, seq: r.seq, kind: r.kind, recorded_at: r.recorded_at.toISOString(), hash: r.hash, prev_hash: r.prev_hash });

/** A correction in a batch must correct an entry already in the same child's record (one query). */
async function checkCorrections(tx: Transaction<DB>, items: BatchItem[]) {
  const ids = [...new Set(items.flatMap((i) => (i.supersedes_id ? [i.supersedes_id] : [])))];
  if (!ids.length) return;
  const found = new Map((await tx.selectFrom('entries').select(['id', 'child_id']).where('id', 'in', ids).execute()).map((r) => [r.id, r.child_id]));
  const bad = items.findIndex((i) => i.supersedes_id && found.get(i.supersedes_id) !== i.child_id);
  if (bad >= 0) {
    throw new DomainError(`The entry being corrected in item ${bad} is not in that child’s record; nothing was recorded.`, 409, 'Conflict', [{ path: `items.${bad}.supersedes_id`, message: 'Not an entry in this child’s record' }]);
  }
}
