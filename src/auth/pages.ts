import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { roleLabels, type Role } from '../agencies/schemas.js';
import { isUnscheduledCarePractitioner } from '../access/policy.js';
import { asForm, errorsFrom, field, formErrors } from '../web/forms.js';
import { clearSessionCookie, csrfToken, setSessionCookie } from '../web/security.js';
import { localPath, type Practitioner, type SignedIn, type Web } from '../web/shell.js';
import { signInBody, signInRateLimit } from './routes.js';
import { endSession, signIn } from './store.js';

const messages: Record<string, string> = {
  email: 'Enter your email address, like name@example.com',
  password: 'Enter your password',
};

/** Sign in and sign out through the browser: a session cookie, never a token in the page. */
export function authPages(web: Web, db: Kysely<DB>, sessionHours: number) {
  web.publicGet('/sign-in', async (req, reply) => {
    const next = localPath((req.query as Record<string, unknown>).next);
    if (req.actor?.type === 'practitioner') return reply.redirect(next, 303);
    return web.render(req, reply, 'auth/sign-in.njk', { pageTitle: 'Sign in', next, values: {} });
  });

  web.publicPost('/sign-in', async (req, reply) => {
    const form = asForm(req.body);
    const values = { email: field(form, 'email') };
    const next = localPath(field(form, 'next'));
    const again = (errors: ReturnType<typeof errorsFrom>, status: number) =>
      web.render(req, reply, 'auth/sign-in.njk', { pageTitle: 'Sign in', next, values, errors }, status);

    const parsed = signInBody.safeParse({ email: values.email, password: typeof form.password === 'string' ? form.password : '' });
    if (!parsed.success) {
      return again(errorsFrom(parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: messages[String(i.path[0])] }))), 422);
    }
    let session: Awaited<ReturnType<typeof signIn>>;
    try {
      session = await signIn(db, parsed.data.email, parsed.data.password, sessionHours);
    } catch (err) {
      // Wrong password and locked account both come back from signIn with the words to show.
      const errors = formErrors(err, { fieldFor: () => 'email' });
      if (!errors) throw err;
      return again(errors, (err as { status: number }).status);
    }
    setSessionCookie(req, reply, web.secureCookies, session.token, session.expires);
    csrfToken(req, reply, web.secureCookies, true);
    return reply.redirect(next, 303);
  }, { config: { rateLimit: signInRateLimit } });

  web.publicPost('/sign-out', async (req, reply) => {
    if (req.sessionToken) await endSession(db, req.sessionToken);
    clearSessionCookie(req, reply, web.secureCookies);
    return reply.redirect('/sign-in', 303);
  });
}

/** The header's "who is signed in": name, role and agency (agency names cached for a few minutes). */
export function describePractitioner(db: Kysely<DB>, cacheMs = 5 * 60_000): (p: Practitioner) => Promise<SignedIn> {
  const agencies = new Map<string, { name: string; until: number }>();
  return async (p) => {
    let agency = agencies.get(p.agencyId);
    if (!agency || agency.until < Date.now()) {
      const row = await db.selectFrom('agencies').select('name').where('id', '=', p.agencyId).executeTakeFirst();
      agency = { name: row?.name ?? '', until: Date.now() + cacheMs };
      agencies.set(p.agencyId, agency);
    }
    return { name: p.name, role: roleLabels[p.role as Role] ?? p.role, agency: agency.name, isAdministrator: p.role === 'administrator', mayCheckUnscheduledCare: isUnscheduledCarePractitioner(p) };
  };
}
