import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { randomUUID } from 'node:crypto';
import { createApiToken } from '../auth/store.js';
import { once, type Stored } from '../db/idempotency.js';
import { invalid, notFound } from '../errors.js';
import { administer, requireAdministrator } from './admin.js';
import type { ApiTokenInput } from './schemas.js';
import { findApiTokens, getAgency, revokeApiToken } from './store.js';
import { toApiTokenView, type ApiTokenView, type NewApiTokenView } from './views.js';

/**
 * API tokens for agency systems. The secret exists in exactly one place: the response to the create.
 * Only its SHA-256 hash is stored (src/auth/store.ts), and an idempotent replay of the create
 * returns the token without its secret, because keeping the response would mean keeping the secret.
 */
export class ApiTokenService {
  constructor(private readonly db: Kysely<DB>) {}

  async list(actor: Actor | null, agencyId?: string): Promise<ApiTokenView[]> {
    requireAdministrator(actor);
    return (await findApiTokens(this.db, { agencyId })).map(toApiTokenView);
  }

  async show(actor: Actor | null, id: string): Promise<ApiTokenView> {
    requireAdministrator(actor);
    const [row] = await findApiTokens(this.db, { id });
    if (!row) throw notFound('The API token');
    return toApiTokenView(row);
  }

  create(actor: Actor | null, input: ApiTokenInput, key?: string): Promise<Stored<NewApiTokenView>> {
    return administer(this.db, actor, 'api_token_created', async (c) => {
      let secret: string | undefined;
      const res = await once(c.tx, actorKey(c.admin), key, { op: 'create_api_token', input }, async () => {
        if (!(await getAgency(c.tx, input.agency_id))) throw invalid('Choose an agency', [{ path: 'agency_id', message: 'Choose an agency' }]);
        const id = randomUUID();
        const kinds = [...new Set(input.entry_kinds)];
        secret = await createApiToken(c.tx, { id, agencyId: input.agency_id, name: input.name, entryKinds: kinds, createdBy: c.admin.id });
        const [row] = await findApiTokens(c.tx, { id });
        return { status: 201, body: toApiTokenView(row) };
      });
      c.audit = { api_token_id: res.body.id, agency_id: res.body.agency_id, entry_kinds: res.body.entry_kinds, replayed: res.replayed };
      return secret ? { ...res, body: { ...res.body, secret } } : res;
    });
  }

  /** Revoking is immediate (the next request with it gets 401) and idempotent. */
  revoke(actor: Actor | null, id: string): Promise<ApiTokenView> {
    return administer(this.db, actor, 'api_token_revoked', async (c) => {
      const [before] = await findApiTokens(c.tx, { id });
      if (!before) throw notFound('The API token');
      await revokeApiToken(c.tx, id, c.admin.id, c.now);
      c.audit = { api_token_id: id, already_revoked: !!before.revoked_at };
      const [after] = await findApiTokens(c.tx, { id });
      return toApiTokenView(after);
    });
  }
}
