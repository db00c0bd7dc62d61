import { z } from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { forbidden } from '../errors.js';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * The practitioner directory: who can be chosen when allocating a child or adding someone to a core
 * group. Any signed-in practitioner may read it, so it carries only what a colleague would see on a
 * meeting invitation: never an email address, an account's lock state or anything about sign-in.
 */
export const directoryQuery = z.object({
  agency: z.uuid().optional().describe('Only practitioners of this agency'),
  team: z.uuid().optional().describe('Only members of this team'),
  q: z.string().trim().max(100).optional().describe('Part of the name, any case'),
});
export type DirectoryQuery = z.infer<typeof directoryQuery>;

// Any database uuid is a valid id here (z.guid): the response must never fail on an id's version bits.
export const directoryEntry = z.object({
  id: z.guid(),
  name: z.string(),
  role: z.string(),
  agency_id: z.guid(),
  agency_name: z.string(),
  team_id: z.guid().nullable(),
  team_name: z.string().nullable(),
});
export type DirectoryEntry = z.infer<typeof directoryEntry>;

/** Enough for any one agency's picker; a longer list wants a narrower search. */
export const DIRECTORY_LIMIT = 500;

/** Active practitioners matching the filter, by agency, team and name. Agency systems are refused. */
export async function practitionerDirectory(q: Q, actor: Actor, filter: DirectoryQuery = {}): Promise<DirectoryEntry[]> {
  if (actor.type !== 'practitioner') throw forbidden('The practitioner directory is for signed-in practitioners.');
  let s = q
    .selectFrom('practitioners as p')
    .innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .leftJoin('teams as t', 't.id', 'p.team_id')
    .select(['p.id', 'p.display_name as name', 'p.role', 'p.agency_id', 'a.name as agency_name', 'p.team_id', 't.name as team_name'])
    .where('p.active', '=', true);
  if (filter.agency) s = s.where('p.agency_id', '=', filter.agency);
  if (filter.team) s = s.where('p.team_id', '=', filter.team);
  const name = filter.q?.trim();
  if (name) s = s.where('p.display_name', 'ilike', `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return s.orderBy('a.name').orderBy('t.name').orderBy('p.display_name').limit(DIRECTORY_LIMIT).execute();
}
