import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { hashPassword } from '../auth/password.js';
import { once, type Stored } from '../db/idempotency.js';
import { invalid, notFound } from '../errors.js';
import { administer, requireAdministrator, taken, type AdminChange } from './admin.js';
import { practitionerProblems, type AgencyKind } from './rules.js';
import type { PractitionerInput, PractitionerUpdate, Role } from './schemas.js';
import {
  createPractitioner, emailTaken, endSessionsOf, findPractitioners, getAgency, getPractitionerRow, getTeam, lineAbove,
  updatePractitioner, type PractitionerChange,
} from './store.js';
import { toPractitionerView, type PractitionerView } from './views.js';

interface Proposed {
  id?: string;
  agency_id: string;
  role: Role;
  team_id: string | null;
  manager_id: string | null;
  qualified_social_worker: boolean;
}

/** Practitioner accounts: created, changed, locked out and unlocked only by an administrator. */
export class PractitionerService {
  constructor(private readonly db: Kysely<DB>) {}

  async list(actor: Actor | null, filter: { agencyId?: string; teamId?: string } = {}): Promise<PractitionerView[]> {
    requireAdministrator(actor);
    return (await findPractitioners(this.db, filter)).map((p) => toPractitionerView(p));
  }

  async show(actor: Actor | null, id: string): Promise<PractitionerView> {
    requireAdministrator(actor);
    return view(this.db, id);
  }

  async create(actor: Actor | null, input: PractitionerInput & { password: string }, key?: string): Promise<Stored<PractitionerView>> {
    requireAdministrator(actor);
    const passwordHash = await hashPassword(input.password);
    return administer(this.db, actor, 'practitioner_created', async (c) => {
      // The password stays out of the idempotency fingerprint: that row is kept, the password must not be.
      const { password: _password, ...rest } = input;
      const res = await once(c.tx, actorKey(c.admin), key, { op: 'create_practitioner', input: rest }, async () => {
        await check(c.tx, { ...input, team_id: input.team_id ?? null, manager_id: input.manager_id ?? null });
        if (await emailTaken(c.tx, input.email)) throw taken('email', 'Another account already uses this email address');
        const id = await createPractitioner(c.tx, input, passwordHash);
        return { status: 201, body: await view(c.tx, id) };
      });
      c.audit = { practitioner_id: res.body.id, replayed: res.replayed };
      return res;
    });
  }

  /** Changes role, team, manager, name or the qualified-social-worker flag; the agency never changes. */
  update(actor: Actor | null, id: string, patch: PractitionerUpdate): Promise<PractitionerView> {
    return this.change(actor, id, 'practitioner_updated', async (c, current) => {
      if (c.admin.id === id && patch.role && patch.role !== 'administrator') {
        throw invalid('You cannot remove your own administrator role', [{ path: 'role', message: 'You cannot remove your own administrator role: ask another administrator' }]);
      }
      const next: Proposed = {
        id,
        agency_id: current.agency_id,
        role: (patch.role ?? current.role) as Role,
        team_id: patch.team_id === undefined ? current.team_id : patch.team_id,
        manager_id: patch.manager_id === undefined ? current.manager_id : patch.manager_id,
        qualified_social_worker: patch.qualified_social_worker ?? current.qualified_social_worker,
      };
      await check(c.tx, next);
      c.audit.fields = Object.keys(patch);
      return { ...patch };
    });
  }

  deactivate(actor: Actor | null, id: string): Promise<PractitionerView> {
    return this.change(actor, id, 'practitioner_deactivated', async (c) => {
      if (c.admin.id === id) throw invalid('You cannot deactivate your own account', [{ path: 'active', message: 'You cannot deactivate your own account: ask another administrator' }]);
      await endSessionsOf(c.tx, id, c.now);
      return { active: false };
    });
  }

  reactivate(actor: Actor | null, id: string): Promise<PractitionerView> {
    return this.change(actor, id, 'practitioner_reactivated', async () => ({ active: true }));
  }

  /** Lifts a lockout after too many failed sign-ins (src/auth/store.ts). */
  unlock(actor: Actor | null, id: string): Promise<PractitionerView> {
    return this.change(actor, id, 'practitioner_unlocked', async () => ({ failed_sign_ins: 0, locked_until: null }));
  }

  /** Sets a new password, lifts any lockout and signs the person out everywhere. */
  async resetPassword(actor: Actor | null, id: string, password: string): Promise<PractitionerView> {
    requireAdministrator(actor);
    const password_hash = await hashPassword(password);
    return this.change(actor, id, 'practitioner_password_reset', async (c) => {
      await endSessionsOf(c.tx, id, c.now);
      return { password_hash, failed_sign_ins: 0, locked_until: null };
    });
  }

  private change(
    actor: Actor | null,
    id: string,
    action: string,
    decide: (c: AdminChange, current: NonNullable<Awaited<ReturnType<typeof getPractitionerRow>>>) => Promise<PractitionerChange>,
  ): Promise<PractitionerView> {
    return administer(this.db, actor, action, async (c) => {
      // Lock the row so two administrators' changes to one account apply one after the other.
      const locked = await c.tx.selectFrom('practitioners').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      const current = locked && (await getPractitionerRow(c.tx, id));
      if (!current) throw notFound('The practitioner');
      c.audit = { practitioner_id: id };
      await updatePractitioner(c.tx, id, await decide(c, current));
      return view(c.tx, id);
    });
  }
}

async function view(q: Kysely<DB> | Transaction<DB>, id: string): Promise<PractitionerView> {
  const row = await getPractitionerRow(q, id);
  if (!row) throw notFound('The practitioner');
  return toPractitionerView(row);
}

/** Looks up the facts the rules need, and refuses the whole change if any rule fails. */
async function check(tx: Transaction<DB>, p: Proposed): Promise<void> {
  const agency = await getAgency(tx, p.agency_id);
  if (!agency) throw invalid('Choose an agency', [{ path: 'agency_id', message: 'Choose an agency' }]);
  const team = p.team_id ? await getTeam(tx, p.team_id) : undefined;
  const manager = p.manager_id ? await tx.selectFrom('practitioners').select(['agency_id', 'active']).where('id', '=', p.manager_id).executeTakeFirst() : undefined;
  const problems = practitionerProblems({
    id: p.id,
    agencyId: p.agency_id,
    agencyKind: agency.kind as AgencyKind,
    role: p.role,
    qualifiedSocialWorker: p.qualified_social_worker,
    teamId: p.team_id,
    team: team ? { agencyId: team.agency_id } : null,
    managerId: p.manager_id,
    manager: manager && p.manager_id ? { agencyId: manager.agency_id, active: manager.active, lineAbove: await lineAbove(tx, p.manager_id) } : null,
  });
  if (problems.length) throw invalid('The practitioner’s details do not fit together', problems);
}
