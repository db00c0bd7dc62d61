import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import { DIRECTORY_LIMIT, directoryEntry, directoryQuery, practitionerDirectory } from './directory.js';

export function directoryRoutes(app: App, db: Kysely<DB>) {
  app.get('/api/directory/practitioners', {
    schema: {
      tags: ['agencies'],
      summary: 'Active practitioners to choose from when allocating a child or adding a group member',
      description: `Any signed-in practitioner (agency systems get 403). Name, role, agency and team only: no email address or account state. At most ${DIRECTORY_LIMIT}, by agency, team and name.`,
      querystring: directoryQuery,
      // The response schema is the last guard: anything not listed here is never sent.
      response: { 200: z.array(directoryEntry) },
    },
  }, async (req) => practitionerDirectory(db, requireActor(req), req.query));
}
