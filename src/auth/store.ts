import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { hashToken, newToken } from './secrets.js';
import { checkPassword, dummyHash } from './password.js';
import { DomainError } from '../errors.js';

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;

const practitionerActor = (p: { id: string; display_name: string; role: string; agency_id: string; team_id: string | null; qualified_social_worker: boolean }): Actor => ({
  type: 'practitioner',
  id: p.id,
  name: p.display_name,
  role: p.role,
  agencyId: p.agency_id,
  teamId: p.team_id,
  qualifiedSocialWorker: p.qualified_social_worker,
});

/** Checks a password, counting failures; five in a row lock the account for 15 minutes. */
export async function signIn(db: Kysely<DB>, email: string, password: string, hours: number, now = new Date()) {
  const p = await db.selectFrom('practitioners').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase())).executeTakeFirst();
  if (!p || !p.password_hash || !p.active) {
    await checkPassword(await dummyHash(), password);
    throw new DomainError('The email address or password is not right.', 401, 'Sign-in failed');
  }
  if (p.locked_until && p.locked_until > now) {
    throw new DomainError(`This account is locked after too many failed sign-ins. Try again after ${p.locked_until.toISOString().slice(11, 16)} UTC.`, 423, 'Account locked');
  }
  if (!(await checkPassword(p.password_hash, password))) {
    const failed = p.failed_sign_ins + 1;
    const lock = failed >= MAX_FAILED_SIGN_INS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
    await db.updateTable('practitioners').set({ failed_sign_ins: lock ? 0 : failed, locked_until: lock }).where('id', '=', p.id).execute();
    if (lock) throw new DomainError(`Too many failed sign-ins: this account is locked for ${LOCKOUT_MINUTES} minutes.`, 423, 'Account locked');
    throw new DomainError('The email address or password is not right.', 401, 'Sign-in failed');
  }
  await db.updateTable('practitioners').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', p.id).execute();
  const token = newToken('sls');
  const expires = new Date(now.getTime() + hours * 3600_000);
  await db.insertInto('sessions').values({ token_hash: hashToken(token), practitioner_id: p.id, csrf_token: randomBytes(24).toString('base64url'), expires_at: expires }).execute();
  return { token, expires, actor: practitionerActor(p) };
}

export async function endSession(db: Kysely<DB>, token: string) {
  await db.updateTable('sessions').set({ ended_at: new Date() }).where('token_hash', '=', hashToken(token)).execute();
}

/** Resolves a bearer or cookie token to an actor: `sls_` session tokens and `slt_` agency API tokens. */
export async function actorFromToken(db: Kysely<DB>, token: string, now = new Date()): Promise<Actor | null> {
  const h = hashToken(token);
  if (token.startsWith('sls_')) {
    const p = await db
      .selectFrom('sessions as s')
      .innerJoin('practitioners as p', 'p.id', 's.practitioner_id')
      .select(['p.id', 'p.display_name', 'p.role', 'p.agency_id', 'p.team_id', 'p.qualified_social_worker'])
      .where('s.token_hash', '=', h)
      .where('s.expires_at', '>', now)
      .where('s.ended_at', 'is', null)
      .where('p.active', '=', true)
      .executeTakeFirst();
    return p ? practitionerActor(p) : null;
  }
  if (token.startsWith('slt_')) {
    const t = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', h).where('revoked_at', 'is', null).executeTakeFirst();
    return t ? { type: 'token', id: t.id, name: t.name, agencyId: t.agency_id, entryKinds: t.entry_kinds } : null;
  }
  return null;
}

export async function createApiToken(db: Kysely<DB>, input: { agencyId: string; name: string; entryKinds: string[]; createdBy: string; id: string }) {
  const token = newToken('slt');
  await db.insertInto('api_tokens').values({ id: input.id, agency_id: input.agencyId, name: input.name, token_hash: hashToken(token), entry_kinds: input.entryKinds, created_by: input.createdBy }).execute();
  return token;
}
