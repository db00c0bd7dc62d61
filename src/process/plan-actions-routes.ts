import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import type { ProcessService } from './process-service.js';

const childParams = z.object({ childId: z.uuid() });

/**
 * The child's plan actions over the API, read through the door with the rest of the process. They are
 * agreed as `actions` of an icpc, core_group or review_conference step and updated with the step
 * plan_action_update, both through POST /api/children/:childId/process/steps.
 */
export function planActionRoutes(app: App, process: Pick<ProcessService, 'overview'>) {
  app.get('/api/children/:childId/plan-actions', {
    schema: {
      tags: ['process'],
      summary: 'The actions of the child’s plan: open ones first (overdue first, then by date), with who does each and by when',
      description: 'An action is agreed at a conference or core group (`data.actions` of the step: what, practitioner_id or name, due_on) and its id is '
        + '`<entry id>:<index>`. Record `plan_action_update` (done, not_done with a reason, no_longer_needed) to update it. Open and past its date: overdue. '
        + 'Signed-in practitioners working with the child; 404 for a child you may not see.',
      params: childParams,
    },
  }, async (req) => (await process.overview(requireActor(req), req.params.childId)).plan_actions);
}
