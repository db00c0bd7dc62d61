import type { App } from './http/server.js';
import type { Services } from './app.js';
import { agencyCapability, agencyRoutes } from './agencies/routes.js';
import { RelationshipService } from './access/relationships-service.js';
import { relationshipRoutes } from './access/relationships-routes.js';
import { accessRoutes } from './access/routes.js';
import { peopleRoutes } from './people/routes.js';

/** Each capability's routes and pages, registered in one place so the wiring is easy to read. */
export async function registerCapabilities(app: App, s: Services): Promise<void> {
  agencyRoutes(app, agencyCapability(s.database.db));
  relationshipRoutes(app, new RelationshipService(s.door, s.database.db));
  accessRoutes(app, s.door, s.config.EMERGENCY_ACCESS_HOURS);
  peopleRoutes(app, s.people);
}
