import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { DB } from '../db/schema.js';
import { forbidden } from '../errors.js';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Who decides whether two records are one person: a local authority's team managers, heads of service
 * and administrators. The local authority holds the duty to know which child is which (it creates and
 * merges children's records), and a wrong link shows one child's record to another's workers, so it
 * takes someone senior; administrators clear the queue of data-quality work.
 */
export const reviewerRoles: readonly string[] = ['team_manager', 'head_of_service', 'administrator'];
/** Who may merge and unmerge children's records: managers and heads of service of the allocated authority. */
export const mergerRoles: readonly string[] = ['team_manager', 'head_of_service'];

export async function agencyKind(q: Q, agencyId: string): Promise<string> {
  const r = await sql<{ kind: string }>`SELECT kind FROM agencies WHERE id = ${agencyId}`.execute(q);
  return r.rows[0]?.kind ?? 'unknown';
}

export type Reviewer = Extract<Actor, { type: 'practitioner' }>;

export async function mustReview(q: Q, actor: Actor): Promise<Reviewer> {
  if (actor.type !== 'practitioner' || !reviewerRoles.includes(actor.role) || (await agencyKind(q, actor.agencyId)) !== 'local_authority') {
    throw forbidden('The review queue is for team managers, heads of service and administrators of a local authority.');
  }
  return actor;
}

export const mayReview = (actor: Actor) => actor.type === 'practitioner' && reviewerRoles.includes(actor.role);
