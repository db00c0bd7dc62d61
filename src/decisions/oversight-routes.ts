import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import { forbidden } from '../errors.js';
import { disagreementBoard } from './oversight.js';
import { stageNames } from './schemas.js';
import { myDisagreements } from './worklist-store.js';

const worklistQuery = z.object({ scope: z.enum(['mine']).default('mine').describe('Whose: `mine`, those I take part in now (raised, with me, answering, or told)') });

/** The disagreements that span many children: my work list, and the oversight board's share. */
export function disagreementListRoutes(app: App, db: Kysely<DB>, clock: () => Date = () => new Date()) {
  app.get('/api/disagreements', {
    schema: {
      tags: ['decisions'], querystring: worklistQuery,
      summary: 'My open disagreements, overdue first: names and dates only (read the matter on the child’s record)',
      description: '`parts` says what I am in each now: `raiser`, `respondent`, `responder` (answering at this stage) or `told`. The listing is audited, naming every child shown.',
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (actor.type !== 'practitioner') throw forbidden('Work lists are for signed-in practitioners.');
    const now = clock();
    return (await myDisagreements(db, actor, now)).map((r) => ({
      id: r.id, child_id: r.child_id, open_as: r.open_as, child_name: r.child_name, stage: r.stage, stage_name: stageNames[r.stage], status: r.status, urgent: r.urgent,
      opened_at: r.opened_at.toISOString(), due_at: r.due_at?.toISOString() ?? null, overdue: r.overdue, raiser_name: r.raiser_name, respondent_name: r.respondent_name, parts: r.parts,
    }));
  });

  app.get('/api/oversight/disagreements', {
    schema: {
      tags: ['decisions'],
      summary: 'Oversight board: open disagreements by stage and age, overdue first, each with its trail; closed ones with how each was resolved',
      description: 'The partnership’s independent chair and auditors see all; team managers, heads of service and directors those with a party from '
        + 'their own agency; anyone else those they take part in. `basis` says which applied. The 100 most recently closed are included. '
        + 'Every listing is audited, naming each child and disagreement shown.',
    },
  }, async (req) => disagreementBoard(db, requireActor(req), clock()));
}
