import type { App } from './http/server.js';
import type { Services } from './app.js';
import { peopleRoutes } from './people/routes.js';

/** Each capability's routes and pages, registered in one place so the wiring is easy to read. */
export async function registerCapabilities(app: App, s: Services): Promise<void> {
  peopleRoutes(app, s.people);
}
