import type { App } from './http/server.js';
import type { Services } from './app.js';

/** Each capability's routes and pages, registered in one place so the wiring is easy to read. */
export async function registerCapabilities(_app: App, _s: Services): Promise<void> {}
