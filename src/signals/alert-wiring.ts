import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ChildDoor } from '../access/door.js';
import type { StoredLink } from '../record/chain.js';
import type { AlertService } from './alert-service.js';
import { adultsAtAddress } from './facts-store.js';
import type { Hit } from './hit.js';

type Q = Transaction<DB> | Kysely<DB>;
type Entries = Pick<StoredLink, 'id' | 'child_id' | 'kind' | 'data' | 'concerns' | 'occurred_at'>[];

/** What the alerts need of the rules (S1's SignalEngine). */
export interface Rules {
  evaluate(tx: Q, childId: string, trigger: { entries: Entries } | { at: Date } | { people: string[] }): Promise<Hit[]>;
}

/**
 * Where entries meet the red-flag rules: after every append (the record's listener, a process step,
 * an unscheduled-care check), in the appending transaction, the rules run over the child's new entries
 * and each hit raises or adds to an alert there and then. The absence rules run on the sweep.
 */
export class RedFlags {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly door: ChildDoor,
    private readonly rules: Rules,
    private readonly alerts: AlertService,
  ) {}

  /** The record's append listener (single entries, agency batches, unscheduled-care checks). */
  async afterEntries(tx: Transaction<DB>, rows: Entries): Promise<void> {
    const children = new Map<string, Entries>();
    for (const r of rows) {
      const mine = children.get(r.child_id);
      if (mine) mine.push(r);
      else children.set(r.child_id, [r]);
    }
    for (const [childId, mine] of children) {
      const hits = await this.rules.evaluate(tx, childId, { entries: mine });
      if (hits.length) await this.alerts.raise(tx, childId, hits, new Date(Math.max(...mine.map((e) => new Date(e.occurred_at).getTime()))));
    }
  }

  /**
   * The people service's listener: people just linked to the child by a relationship or an address, in
   * that transaction, so the rules about the adults around the child (R6, R11) raise their alert with
   * the link. A new address for the child links everyone already living there.
   */
  async afterLinked(tx: Transaction<DB>, childId: string, personIds: string[]): Promise<void> {
    const child = childId.toLowerCase();
    const others = personIds.filter((p) => p.toLowerCase() !== child);
    const people = others.length === personIds.length ? others : [...new Set([...others, ...(await adultsAtAddress(tx, childId))])];
    if (!people.length) return;
    const hits = await this.rules.evaluate(tx, childId, { people });
    if (hits.length) await this.alerts.raise(tx, childId, hits);
  }

  /**
   * After a process step: the step's entry and what it appended after it (its decision, any disagreement),
   * in the step's transaction. A home visit that moved the visit clock also tells the process's listeners,
   * with no step: its entry already went through `afterEntries`, so nothing is evaluated twice.
   */
  async afterStep(tx: Transaction<DB>, childId: string, stepSeq?: number): Promise<void> {
    if (stepSeq === undefined) return;
    const rows = await sql<Entries[number]>`SELECT id, child_id, kind, data, concerns, occurred_at FROM entries
      WHERE child_id = ${childId} AND seq >= ${stepSeq} ORDER BY seq`.execute(tx);
    await this.afterEntries(tx, rows.rows);
  }

  /**
   * The absence rules for every child the rules say may be due (R8 not seen, R9 timescales): read
   * first, and only a child with a hit is written to, as Sightline itself (audited 'system').
   */
  async sweep(now: Date, due: (q: Q, now: Date) => Promise<string[]>): Promise<number> {
    let raised = 0;
    for (const childId of await due(this.db, now)) {
      const hits = await this.db.transaction().execute((tx) => this.rules.evaluate(tx, childId, { at: now }));
      if (!hits.length) continue;
      raised += await this.door.system(childId, 'raise_alert', async (tx) =>
        (await this.alerts.raise(tx, childId, await this.rules.evaluate(tx, childId, { at: now }))).length);
    }
    return raised;
  }
}
