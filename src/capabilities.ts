import type { App } from './http/server.js';
import type { Services } from './app.js';
import { agencyCapability, agencyRoutes } from './agencies/routes.js';
import { agencyPages } from './agencies/pages.js';
import { RelationshipService } from './access/relationships-service.js';
import { relationshipRoutes } from './access/relationships-routes.js';
import { accessRoutes } from './access/routes.js';
import { peopleRoutes } from './people/routes.js';
import { webPages } from './web/shell.js';
import { authPages, describePractitioner } from './auth/pages.js';
import { peoplePages } from './people/pages.js';
import { recordPages } from './record/pages.js';
import { accessPages } from './access/pages.js';
import { relationshipPages } from './access/pages-relationships.js';
import { directoryRoutes } from './agencies/directory-routes.js';
import { processRoutes } from './process/routes.js';
import { ProcessRules } from './process/service.js';
import { processPages } from './process/pages.js';
import { processStepRoutes } from './process/steps-routes.js';
import { decisionRoutes } from './decisions/routes.js';
import { disagreementListRoutes } from './decisions/oversight-routes.js';
import { decisionsPages } from './decisions/pages.js';
import { stepPages } from './process/pages-steps.js';
import { deadlinePages } from './process/pages-deadlines.js';
import { concernRoutes } from './concerns/routes.js';
import { concernPages } from './concerns/pages.js';
import { oversightPages } from './concerns/pages-oversight.js';
import { UnscheduledCareService } from './unscheduled-care/service.js';
import { unscheduledCareRoutes } from './unscheduled-care/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { notificationPages } from './notifications/pages.js';

/** Each capability's routes and pages, registered in one place so the wiring is easy to read. */
export async function registerCapabilities(app: App, s: Services): Promise<void> {
  const agencies = agencyCapability(s.database.db);
  agencyRoutes(app, agencies);
  const relationships = new RelationshipService(s.door, s.database.db);
  relationshipRoutes(app, relationships);
  directoryRoutes(app, s.database.db);
  accessRoutes(app, s.door, s.config.EMERGENCY_ACCESS_HOURS);
  peopleRoutes(app, s.people);
  const processRules = new ProcessRules(s.database.db);
  processRoutes(app, processRules);
  processStepRoutes(app, s.process, s.database.db);
  concernRoutes(app, s.concerns);
  decisionRoutes(app, s.decisions, s.disagreements);
  disagreementListRoutes(app, s.database.db);
  unscheduledCareRoutes(app, new UnscheduledCareService(s.database.db, s.door, s.sealer));
  notificationRoutes(app, s.database.db);
  // The pages: server-rendered, working without JavaScript, in their own plugin (HTML errors, CSRF).
  await app.register(webPages({ secureCookies: s.config.SECURE_COOKIES, describe: describePractitioner(s.database.db) }, (web) => {
    authPages(web, s.database.db, s.config.SESSION_HOURS);
    peoplePages(web, s.database.db, s.people);
    const decided = { db: s.database.db, decisions: s.decisions, disagreements: s.disagreements };
    recordPages(web, { db: s.database.db, door: s.door, record: s.record, people: s.people, process: s.process, decisions: decided });
    accessPages(web, s.door, s.config.EMERGENCY_ACCESS_HOURS);
    relationshipPages(web, { db: s.database.db, relationships, people: s.people });
    agencyPages(web, agencies);
    processPages(web, processRules);
    stepPages(web, { db: s.database.db, process: s.process, people: s.people });
    deadlinePages(web, s.database.db);
    decisionsPages(web, { ...decided, people: s.people, record: s.record });
    concernPages(web, { db: s.database.db, concerns: s.concerns });
    oversightPages(web, s.concerns, s.database.db);
    notificationPages(web, s.database.db);
  }));
}
