import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Browser, textOf } from '../web/session.js';
import { signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
let admin: Browser;
beforeAll(async () => {
  sw = await signalsWorld();
  const baby = await sw.child({ given_name: 'Bea', family_name: 'Pages', date_of_birth: '2025-09-10' });
  await sw.entry(baby, 'hv', { kind: 'injury', occurred_at: '2026-02-12T10:00:00Z', narrative: 'Bruise.', data: { body_locations: ['thigh'], injury_type: 'bruise', explanation_consistent: 'yes' } });
  const older = await sw.child({ given_name: 'Olly', family_name: 'Pages', date_of_birth: '2025-06-01' });
  await sw.entry(older, 'hv', { kind: 'injury', occurred_at: '2026-02-12T10:00:00Z', narrative: 'Bruise.', data: { body_locations: ['thigh'], injury_type: 'bruise', explanation_consistent: 'yes', child_mobile: true } });
  admin = new Browser(sw.app);
  await admin.signIn(sw.w.emails.admin);
});
afterAll(() => sw.close());

const form = (over: Record<string, string> = {}) => ({
  p_infant_months: '6', p_injury_types: 'bruise\nburn\nfracture\nbite\ncut_or_abrasion\nhead_injury\nother', severity: 'urgent', enabled: 'yes', ...over,
});

describe('/admin/signals', () => {
  it('lists the rules with severity, who is alerted and whether each is in use', async () => {
    const res = await admin.get('/admin/signals');
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('R1: Injury in a baby who is not independently mobile');
    expect(text).toContain('R11: Placed with a friend or relative');
    expect(text).toContain('Allocated worker, Their manager');
  });

  it('is for administrators only', async () => {
    const worker = new Browser(sw.app);
    await worker.signIn(sw.w.emails.worker);
    expect((await worker.get('/admin/signals')).statusCode).toBe(403);
  });
});

describe('/admin/signals/:id', () => {
  it('shows the rule, tries a change without JavaScript, and puts it in force', async () => {
    const page = await admin.get('/admin/signals/R1');
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('NICE CG89');
    const tried = await admin.post('/admin/signals/R1/trial', form({ p_infant_months: '9' }));
    expect(tried.statusCode, tried.body).toBe(200);
    const text = textOf(tried.body);
    expect(text).toContain('2 from');
    expect(text).toContain('the rule in force raises 1');
    expect(text).toContain('Olly Pages');
    expect(text).toContain('Injury (Northmoor NHS Trust)');
    const enabled = await admin.post('/admin/signals/R1/versions', { ...form({ p_infant_months: '9' }), reason: 'Our protocol covers babies up to 9 months.', _idem: '6a0b2a4e-3b8e-4b8e-9a55-0d7a3f2d1c11' });
    expect(enabled.statusCode).toBe(303);
    expect(enabled.headers.location).toBe('/admin/signals/R1?done=enabled');
    const after = textOf((await admin.get('/admin/signals/R1?done=enabled')).body);
    expect(after).toContain('The change is in force for your authority from now');
    expect(after).toContain('Our protocol covers babies up to 9 months.');
  });

  it('keeps what was typed and shows an error summary for parameters that do not fit, and for a missing reason', async () => {
    const bad = await admin.post('/admin/signals/R1/trial', form({ p_infant_months: 'nine' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#p_infant_months"');
    expect(bad.body).toContain('value="nine"');
    const n = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM signal_rules`.execute(sw.s.database.db)).rows[0].n);
    const noReason = await admin.post('/admin/signals/R1/versions', { ...form(), reason: '' });
    expect(noReason.statusCode).toBe(422);
    expect(textOf(noReason.body)).toContain('Say why the change is needed');
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM signal_rules`.execute(sw.s.database.db)).rows[0].n)).toBe(n);
  });

  it('refuses a form without its CSRF token', async () => {
    expect((await admin.post('/admin/signals/R1/trial', form(), { csrf: null })).statusCode).toBe(403);
  });
});
