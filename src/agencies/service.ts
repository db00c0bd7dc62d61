import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { once, type Stored } from '../db/idempotency.js';
import { invalid, notFound } from '../errors.js';
import { administer, taken } from './admin.js';
import type { AgencyContactUpdate, AgencyInput } from './schemas.js';
import { agencyCodeTaken, createAgency, createTeam, getAgency, listAgencies, listTeams, teamNameTaken, updateAgencyContact } from './store.js';
import { toAgencyView, toTeamView, type AgencyDetail, type AgencyView, type TeamView } from './views.js';

/** Agencies and their teams. Anyone signed in may read them; only an administrator changes them. */
export class AgencyService {
  constructor(private readonly db: Kysely<DB>) {}

  async list(): Promise<AgencyView[]> {
    return (await listAgencies(this.db)).map(toAgencyView);
  }

  async show(id: string): Promise<AgencyDetail> {
    const a = await getAgency(this.db, id);
    if (!a) throw notFound('The agency');
    return { ...toAgencyView(a), teams: (await listTeams(this.db, id)).map(toTeamView) };
  }

  async teams(agencyId: string): Promise<TeamView[]> {
    return (await this.show(agencyId)).teams;
  }

  create(actor: Actor | null, input: AgencyInput, key?: string): Promise<Stored<AgencyView>> {
    return administer(this.db, actor, 'agency_created', async (c) => {
      const res = await once(c.tx, actorKey(c.admin), key, { op: 'create_agency', input }, async () => {
        if (await agencyCodeTaken(c.tx, input.code)) throw taken('code', `Another agency already uses the code ${input.code}`);
        const id = await createAgency(c.tx, input);
        return { status: 201, body: toAgencyView((await getAgency(c.tx, id))!) };
      });
      c.audit = { agency_id: res.body.id, replayed: res.replayed };
      return res;
    });
  }

  updateContact(actor: Actor | null, id: string, patch: AgencyContactUpdate): Promise<AgencyView> {
    return administer(this.db, actor, 'agency_contact_updated', async (c) => {
      if (!(await getAgency(c.tx, id))) throw notFound('The agency');
      await updateAgencyContact(c.tx, id, patch);
      c.audit = { agency_id: id, fields: Object.keys(patch) };
      return toAgencyView((await getAgency(c.tx, id))!);
    });
  }

  createTeam(actor: Actor | null, agencyId: string, name: string, key?: string, screening = false): Promise<Stored<TeamView>> {
    return administer(this.db, actor, 'team_created', async (c) => {
      const res = await once(c.tx, actorKey(c.admin), key, { op: 'create_team', agencyId, name, screening }, async () => {
        const agency = await getAgency(c.tx, agencyId);
        if (!agency) throw notFound('The agency');
        if (screening && agency.kind !== 'local_authority') {
          throw invalid('Only a local authority can have a front-door screening team', [{ path: 'screening', message: 'Only a local authority can have a front-door screening team' }]);
        }
        if (await teamNameTaken(c.tx, agencyId, name)) throw taken('name', 'This agency already has a team with that name');
        const id = await createTeam(c.tx, agencyId, name, screening);
        const team = await c.tx.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        return { status: 201, body: toTeamView(team) };
      });
      c.audit = { agency_id: agencyId, team_id: res.body.id, replayed: res.replayed };
      return res;
    });
  }
}
