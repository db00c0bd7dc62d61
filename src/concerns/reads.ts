import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { writeAudits } from '../access/store.js';
import { fold } from './machine.js';
import { identityShown, type ConcernBasis } from './policy.js';
import { stageLabels, stages, type BoardView, type ConcernView } from './schemas.js';
import { concernsByIds, eventsOf, people, type Viewer } from './store.js';
import { concernView, namedIn } from './view.js';

type Q = Kysely<DB> | Transaction<DB>;

/** Which page or endpoint read a concern, for its audit row. */
export type ReadVia = 'detail' | 'list' | 'oversight' | 'step';

/**
 * The views of the given concerns for one caller, and an audit row for each (child_id null): who
 * read which concern, why they may, through what, and whether the raiser's identity was shown.
 */
export async function readViews(q: Q, viewer: Viewer, visible: { id: string; basis: ConcernBasis }[], via: ReadVia, now: Date): Promise<ConcernView[]> {
  if (!visible.length) return [];
  const basis = new Map(visible.map((v) => [v.id, v.basis]));
  const ids = visible.map((v) => v.id);
  const [rows, events] = [await concernsByIds(q, ids), await eventsOf(q, ids)];
  const named = await people(q, rows.flatMap((r) => namedIn(r, events.get(r.id)!)));
  const views = rows.map((row) => {
    const evs = events.get(row.id)!;
    return concernView({ row, events: evs, state: fold(evs), viewerId: viewer.id, basis: basis.get(row.id)!, people: named, now });
  });
  await writeAudits(q, rows.map((row) => ({
    actorPractitionerId: viewer.id,
    actorTokenId: null,
    childId: null,
    action: 'read_concern',
    basis: basis.get(row.id)!,
    detail: { concern_id: row.id, via, identity_shown: identityShown(row.sealed, basis.get(row.id)!) },
  })));
  return views;
}

const stageRank = (v: ConcernView) => stages.indexOf(v.stage);

/**
 * The oversight board (a view model, so the API and the page agree): open concerns overdue first,
 * then the furthest up the ladder, then the oldest; counts by stage; closed ones most recent first.
 */
export function boardOf(views: ConcernView[]): BoardView {
  const open = views
    .filter((v) => v.status === 'open')
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || stageRank(b) - stageRank(a) || b.age_days - a.age_days || a.raised_at.localeCompare(b.raised_at));
  const closed = views.filter((v) => v.status === 'closed').sort((a, b) => (b.resolution?.at ?? '').localeCompare(a.resolution?.at ?? ''));
  return {
    by_stage: stages.map((stage) => ({
      stage,
      label: stageLabels[stage],
      open: open.filter((v) => v.stage === stage).length,
      overdue: open.filter((v) => v.stage === stage && v.overdue).length,
    })),
    open,
    closed,
  };
}
