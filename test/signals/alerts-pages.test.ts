import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addGroupMember } from '../../src/people/store.js';
import { onPostgres } from '../support/db.js';
import { processWorld, type ProcessWorld } from '../process/steps-support.js';
import { Browser, textOf } from '../web/session.js';

/**
 * Alerts through the pages, as a browser without JavaScript sends them: the child's page lists the
 * alert with its triggering entry linked; the alert's page offers the three answers (plain radios
 * whose fields are all shown without JavaScript); errors are summarised and what was typed is kept;
 * CSRF is required; an answered alert shows its answer and no form.
 */
let pw: ProcessWorld;
let child: string;
let injury: string;
let alertId: string;
const as: Record<string, Browser> = {};
const hidden = (html: string) => ({ _idem: /name="_idem" value="([^"]+)"/.exec(html)?.[1] ?? '' });

beforeAll(async () => {
  pw = await processWorld();
  child = await pw.child({ given_name: 'Rowan', family_name: 'Pages' });
  await addGroupMember(pw.s.database.db, child, pw.w.actors.hv.id, 'core_group', null);
  const res = await pw.call('POST', `/api/children/${child}/entries`, 'hv', {
    kind: 'injury', occurred_at: '2026-11-20T10:00:00Z', narrative: 'Bruise to the thigh.',
    data: { body_locations: ['thigh'], injury_type: 'bruise', explanation_consistent: 'unclear', child_mobile: false },
  });
  injury = res.body.id;
  alertId = (await sql<{ id: string }>`SELECT id FROM alerts WHERE child_id = ${child}`.execute(pw.s.database.db)).rows[0].id;
  for (const who of ['worker', 'teammate']) {
    as[who] = new Browser(pw.app);
    expect((await as[who].signIn(pw.w.emails[who])).statusCode).toBe(303);
  }
});
afterAll(async () => pw.close());

describe(`alerts through the pages (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('shows the open alert on the child’s page, with its rule, severity, triggering entry and due time', async () => {
    const page = await as.worker.get(`/children/${child}`);
    expect(page.statusCode).toBe(200);
    const section = /<h2 class="govuk-heading-m" id="alerts">[\s\S]*?(?=<h2 class="govuk-heading-m")/.exec(page.body)![0];
    expect(section).toContain(`href="/alerts/${alertId}"`);
    expect(section).toContain(`href="/children/${child}#entry-${injury}"`);
    expect(textOf(section)).toMatch(/Urgent .*\(R1\)/);
    expect(textOf(section)).toContain('Answer by');
    expect(page.body).toContain(`id="entry-${injury}"`);
    expect(textOf(page.body)).toContain('Alert raised (R1, urgent)');
  });

  it('offers three answers, summarises errors, keeps what was typed and needs the CSRF token', async () => {
    const page = await as.worker.get(`/alerts/${alertId}`);
    expect(page.statusCode).toBe(200);
    for (const v of ['decision', 'action', 'no_action']) expect(page.body).toContain(`name="type" type="radio" value="${v}"`);
    expect(page.body).toContain('name="_csrf"');
    const url = `/alerts/${alertId}/answer`;
    expect((await as.worker.post(url, { ...hidden(page.body), type: 'no_action', 'no-action-reason': 'A reason long enough.' }, { csrf: null })).statusCode).toBe(403);

    const none = await as.worker.post(url, { ...hidden(page.body) });
    expect(none.statusCode).toBe(422);
    expect(textOf(none.body)).toContain('There is a problem');
    expect(none.body).toContain('href="#type"');

    const short = await as.worker.post(url, { ...hidden(page.body), type: 'no_action', 'no-action-reason': 'too short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('href="#no-action-reason"');
    expect(short.body).toContain('too short</textarea>');

    const badDate = await as.worker.post(url, { ...hidden(page.body), type: 'action', 'action-what': 'Paediatric assessment', 'action-owner': pw.w.actors.worker.id, 'action-due-day': '31', 'action-due-month': '2', 'action-due-year': '2027' });
    expect(badDate.statusCode).toBe(422);
    expect(textOf(badDate.body)).toContain('must be a real date');
    expect(badDate.body).toContain('Paediatric assessment</textarea>');
    expect((await sql<{ status: string }>`SELECT status FROM alerts WHERE id = ${alertId}`.execute(pw.s.database.db)).rows[0].status).toBe('open');
  });

  it('refuses someone not alerted, then records a decision and shows the answer without a form', async () => {
    const other = await as.teammate.get(`/alerts/${alertId}`);
    expect(other.statusCode).toBe(200);
    const refused = await as.teammate.post(`/alerts/${alertId}/answer`, { ...hidden(other.body), type: 'no_action', 'no-action-reason': 'Not my alert to answer at all.' });
    expect(refused.statusCode).toBe(403);

    const page = await as.worker.get(`/alerts/${alertId}`);
    const done = await as.worker.post(`/alerts/${alertId}/answer`, {
      ...hidden(page.body), type: 'decision', 'decision-question': 'What to do about the bruise?', 'decision-outcome': 'Same-day paediatric assessment', 'decision-rationale': 'Non-mobile baby, bruise unexplained.',
    });
    expect(done.statusCode, textOf(done.body)).toBe(303);
    expect(done.headers.location).toBe(`/alerts/${alertId}?done=answered`);
    const after = await as.worker.get(done.headers.location as string);
    expect(textOf(after.body)).toContain('decision recorded: Same-day paediatric assessment, by Test worker');
    expect(after.body).not.toContain('name="type"');
    const replay = await as.worker.post(`/alerts/${alertId}/answer`, { _idem: crypto.randomUUID(), type: 'no_action', 'no-action-reason': 'Posted again from an old tab.' });
    expect(replay.statusCode).toBe(409);
    const decisions = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM entries WHERE child_id = ${child} AND kind = 'decision'`.execute(pw.s.database.db)).rows[0].n;
    expect(decisions).toBe(1);
  });
});
