import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Web } from '../web/shell.js';
import { disagreementsSection } from '../decisions/pages-oversight.js';
import { summaryRows } from './pages-model.js';
import type { BoardView, ConcernView } from './schemas.js';
import type { ConcernService } from './service.js';

/**
 * The oversight board, /oversight. This file holds the page and its "Concerns about services"
 * section; the "Disagreements" section is to be added beside it as its own section (its own view
 * model and partial), so each capability keeps its share of the board.
 */

/** The concerns section's view model: counts by stage, open concerns overdue first, closed ones with their resolution. */
export function concernsSection(board: BoardView) {
  const card = (c: ConcernView) => ({ concern: c, rows: summaryRows(c) });
  return {
    byStage: board.by_stage,
    open: board.open.map(card),
    closed: board.closed.map(card),
    anyOverdue: board.open.some((c) => c.overdue),
  };
}

export function oversightPages(web: Web, concerns: ConcernService, db: Kysely<DB>) {
  web.get('/oversight', async (req, reply, actor) => {
    return web.render(req, reply, 'concerns/oversight.njk', {
      pageTitle: 'Oversight board',
      concerns: concernsSection(await concerns.board(actor)),
      disagreements: await disagreementsSection(db, actor),
    });
  });
}
