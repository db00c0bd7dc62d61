import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import { once, type Stored } from '../db/idempotency.js';
import { conflict, invalid } from '../errors.js';
import type { Sealer } from './chain.js';
import { entryInput, parseKindData, type EntryInput, type EntryKind } from './kinds.js';
import { appendEntries, chronology, entryInChild, type ChronologyFilter, type Draft } from './store.js';
import { toEntryView, type EntryView } from './view.js';

export class RecordService {
  constructor(
    private readonly door: ChildDoor,
    private readonly sealer: Sealer,
  ) {}

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
        if (input.supersedes_id && !(await entryInChild(a.tx, childId, input.supersedes_id))) {
          throw conflict('The entry being corrected is not in this child’s record.');
        }
        const [row] = await appendEntries(a.tx, this.sealer, [draftFrom(actor, childId, input)]);
        return { status: 201, body: toEntryView(row) };
      });
      a.audit = { entry_id: res.body.id, replayed: res.replayed };
      return res;
    }, input.kind);
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
