import type { Services } from '../app.js';
import { MergeService } from './merge.js';
import { ReviewService } from './reviews.js';
import type { PersonIndexDeps } from './routes.js';
import { PersonIndexService } from './service.js';

/** The person index's services, built from the composition root's. */
export function personIndexCapability(s: Services): PersonIndexDeps {
  const db = s.database.db;
  return { index: new PersonIndexService(db, s.people), reviews: new ReviewService(db, s.people), merges: new MergeService(db, s.door), door: s.door };
}
