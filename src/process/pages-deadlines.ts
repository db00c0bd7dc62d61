import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Practitioner, Web } from '../web/shell.js';
import { deadlineScopes, openDeadlines, type DeadlineScope } from './deadlines-store.js';
import { dueTags, dueWhen } from './pages-summary.js';
import { disagreementWorklist } from '../decisions/pages-worklist.js';
import { alertWorklist } from '../signals/pages-alerts-summary.js';

/** How far ahead the work lists look; anything overdue is always shown. */
const WITHIN_DAYS = 30;

const tabs: Record<DeadlineScope, string> = { mine: 'My children', team: 'My team', conferences: 'Conferences to convene' };

/** A manager starts on the team, a conference chair on the conferences, everyone else on their own children. */
const firstTab = (actor: Practitioner): DeadlineScope =>
  actor.role === 'conference_chair' ? 'conferences' : actor.role === 'team_manager' || actor.role === 'head_of_service' ? 'team' : 'mine';

/** "Deadlines": what is due, overdue first, for my children, my team, or the conferences to convene. */
export function deadlinePages(web: Web, db: Kysely<DB>, clock: () => Date = () => new Date()) {
  web.get('/deadlines', async (req, reply, actor) => {
    const q = req.query as Record<string, unknown>;
    const show = deadlineScopes.find((s) => s === q.show) ?? firstTab(actor);
    const now = clock();
    const rows = await openDeadlines(db, actor, show, now, WITHIN_DAYS);
    return web.render(req, reply, 'process/deadlines.njk', {
      pageTitle: 'Deadlines',
      show,
      caption: tabs[show],
      tabs: deadlineScopes.map((s) => ({ text: tabs[s], href: `/deadlines?show=${s}`, active: s === show })),
      withinDays: WITHIN_DAYS,
      recorded: q.recorded === 'police_protection',
      rows: rows.map((r) => ({
        childId: r.open_as,
        childName: r.child_name,
        worker: r.worker_name ?? 'Not allocated',
        label: r.label,
        code: r.code,
        tag: dueTags[r.status],
        ...dueWhen(r, now),
      })),
      alerts: await alertWorklist(db, actor, now),
      disagreements: await disagreementWorklist(db, actor, now),
    });
  });
}
