import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hit } from '../../src/signals/hit.js';
import { childrenDueForSchedule } from '../../src/signals/engine.js';
import { recordAll } from '../process/steps-support.js';
import { stepsFor, type Steps } from '../process/step-builders.js';
import { Browser, textOf } from '../web/session.js';
import { signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
let b: Steps;
beforeAll(async () => { sw = await signalsWorld(); b = stepsFor(sw.w); });
afterAll(() => sw.close());

/**
 * R8's baby check came with migration 0026 (in force from 27 November 2026), so these histories are
 * that autumn: a plan from Monday 9 November 2026, whose first visit (T11, 10 working days) is due by
 * 23 November. A baby born on 1 June 2026 is 5 months old.
 */
const onPlan = () => [b.referral('2026-11-02'), b.decision('strategy_discussion', '2026-11-02'), b.strategy('2026-11-03'), b.s47Concluded('2026-11-06'), b.icpc('2026-11-09')];
const BABY = { date_of_birth: '2026-06-01' };
const visit = (day: string, data: Record<string, boolean>) => ({
  kind: 'home_visit', occurred_at: `${day}T10:00:00Z`, narrative: 'Visited at home; the baby was in the cot.', data: { child_seen: true, child_seen_alone: false, ...data },
});
const r8 = (hits: Hit[]) => hits.filter((h) => h.rule_id === 'R8');
const kinds = (hits: Hit[]) => r8(hits).map((h) => h.pattern_key.split(':')[0]);

describe('R8: a baby on a plan not seen awake and undressed', () => {
  it('fires when no visit since the plan began saw the baby both awake and undressed within the visit interval', async () => {
    const child = await sw.child(BABY);
    const ids = await recordAll(sw, child, onPlan());
    // Seen, and awake, but not undressed: the visit keeps "not seen" quiet (next due 30 November), not this.
    await sw.entry(child, 'worker', visit('2026-11-16', { baby_seen_awake: true, baby_seen_undressed: false }));
    const hits = r8(await sw.onSchedule(child, new Date('2026-11-27T12:00:00Z')));
    expect(hits).toEqual([expect.objectContaining({ pattern_key: `not-seen-awake-undressed:${ids[4]}:none`, entry_ids: [ids[4]], once: true, severity: 'high' })]);
    expect(hits[0].reason).toBe('The baby has not been seen awake and undressed since the child protection plan began on 9 November 2026, and the next was due by 23 November 2026.');
  });

  it('stays silent when a visit in time saw the baby awake and undressed, and fires once that visit’s interval lapses, apart from “not seen”', async () => {
    const child = await sw.child(BABY);
    await recordAll(sw, child, onPlan());
    const seen = await sw.entry(child, 'worker', visit('2026-11-16', { baby_seen_awake: true, baby_seen_undressed: true }));
    expect(r8(await sw.onSchedule(child, new Date('2026-11-27T12:00:00Z')))).toEqual([]);
    // The 16 November visit's interval ended on 30 November: both the visit and the baby check are now overdue.
    const later = r8(await sw.onSchedule(child, new Date('2026-12-02T12:00:00Z')));
    expect(kinds(later)).toEqual(['not-seen', 'not-seen-awake-undressed']);
    expect(later[1]).toEqual(expect.objectContaining({ pattern_key: expect.stringMatching(new RegExp(`:${seen}$`)), entry_ids: [seen] }));
    expect(later[1].reason).toBe('The baby on a child protection plan was last seen awake and undressed on 16 November 2026 (Northmoor Council), and the next was due by 30 November 2026.');
  });

  it('raises the baby check as its own alert beside "not seen", each once however often the sweep runs', async () => {
    const child = await sw.child(BABY);
    await recordAll(sw, child, onPlan());
    const at = new Date('2026-12-02T12:00:00Z');
    await sw.s.redFlags.sweep(at, childrenDueForSchedule);
    await sw.s.redFlags.sweep(at, childrenDueForSchedule);
    const open = (await sql<{ pattern_key: string }>`SELECT pattern_key FROM alerts WHERE child_id = ${child} AND rule_id = 'R8'`.execute(sw.s.database.db)).rows;
    expect(open.map((a) => a.pattern_key.split(':')[0]).sort()).toEqual(['not-seen', 'not-seen-awake-undressed']);
  });

  it('does not look at a child of 12 months or more, nor use the baby fields of a visit before the plan', async () => {
    const toddler = await sw.child({ date_of_birth: '2025-10-01' });
    await recordAll(sw, toddler, onPlan());
    expect(kinds(await sw.onSchedule(toddler, new Date('2026-11-27T12:00:00Z')))).toEqual(['not-seen']);
    const baby = await sw.child(BABY);
    await sw.entry(baby, 'worker', visit('2026-10-30', { baby_seen_awake: true, baby_seen_undressed: true }));
    await recordAll(sw, baby, onPlan());
    expect(kinds(await sw.onSchedule(baby, new Date('2026-11-27T12:00:00Z')))).toEqual(['not-seen', 'not-seen-awake-undressed']);
  });

  it('shows the baby parameters to an administrator; the interval left blank stays the visit’s', async () => {
    const admin = new Browser(sw.app);
    await admin.signIn(sw.w.emails.admin);
    const page = textOf((await admin.get('/admin/signals/R8')).body);
    expect(page).toContain('Baby under months');
    expect(page).toContain('Now: Not set');
    const tried = await admin.post('/admin/signals/R8/trial', {
      p_visit_codes: 'T11', p_seen_alone_days: '28', p_seen_alone_from_years: '2', p_baby_under_months: '6', p_baby_seen_awake_undressed_days: '', severity: 'high', enabled: 'yes',
    });
    expect(tried.statusCode, textOf(tried.body).slice(0, 400)).toBe(200);
  });

  it('counts a set number of days when the authority sets one', async () => {
    const child = await sw.child(BABY);
    await recordAll(sw, child, onPlan());
    await sw.entry(child, 'worker', visit('2026-11-20', { baby_seen_awake: true, baby_seen_undressed: true }));
    const admin = await sw.call('POST', '/api/signals/rules/R8/versions', 'admin', { parameters: { baby_seen_awake_undressed_days: 7 }, reason: 'Our practice: a baby on a plan is seen awake and undressed every week.' });
    expect(admin.status, JSON.stringify(admin.body)).toBe(201);
    // Seen on 20 November: in time through 27 November under 7 days (the visit interval runs to 4 December).
    const at = new Date(Math.max(Date.parse('2026-11-28T12:00:00Z'), Date.parse(admin.body.effective_from) + 60_000));
    const hits = r8(await sw.onSchedule(child, at));
    expect(hits.find((h) => h.pattern_key.startsWith('not-seen-awake-undressed'))?.reason).toContain('last seen awake and undressed on 20 November 2026 (Northmoor Council), more than 7 days ago');
  });
});

describe('the home visit form asks about a baby only for a baby', () => {
  it('shows the two optional questions for a baby, keeps them, and not for an older child', async () => {
    const browser = new Browser(sw.app);
    await browser.signIn(sw.w.emails.worker);
    const baby = await sw.child(BABY);
    const older = await sw.child({ date_of_birth: '2024-01-01' });
    const form = await browser.get(`/children/${baby}/entries/new?kind=home_visit`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('Was the baby seen awake? (optional)');
    expect(textOf(form.body)).toContain('Was the baby seen undressed? (optional)');
    // Narrative first: the questions come after what happened.
    expect(form.body.indexOf('name="narrative"')).toBeLessThan(form.body.indexOf('name="baby_seen_awake"'));
    const other = await browser.get(`/children/${older}/entries/new?kind=home_visit`);
    expect(other.statusCode).toBe(200);
    expect(other.body).toContain('name="child_seen"');
    expect(other.body).not.toContain('baby_seen_awake');

    // Optional: left blank, the visit is recorded without them; answered, they are kept.
    const when = { 'occurred-day': '20', 'occurred-month': '11', 'occurred-year': '2026', 'occurred-time': '10:00' };
    const blank = await browser.post(`/children/${baby}/entries`, { kind: 'home_visit', ...when, narrative: 'Baby asleep in the cot; mother chatty.', child_seen: 'yes', child_seen_alone: 'no', announced: 'yes' });
    expect(blank.statusCode).toBe(303);
    const answered = await browser.post(`/children/${baby}/entries`, {
      kind: 'home_visit', ...when, narrative: 'Baby awake on the changing mat; nappy changed.', child_seen: 'yes', child_seen_alone: 'no', announced: 'yes',
      baby_seen_awake: 'yes', baby_seen_undressed: 'yes',
    });
    expect(answered.statusCode).toBe(303);
    const rows = (await sql<{ data: Record<string, unknown> }>`SELECT data FROM entries WHERE child_id = ${baby} AND kind = 'home_visit' ORDER BY seq`.execute(sw.s.database.db)).rows;
    expect(rows.map((r) => [r.data.baby_seen_awake, r.data.baby_seen_undressed])).toEqual([[undefined, undefined], [true, true]]);
    const page = textOf((await browser.get(answered.headers.location as string)).body);
    expect(page).toContain('Baby seen awake: Yes');
    expect(page).toContain('Baby seen undressed: Yes');

    // A baby not seen cannot be seen awake: the form says so and keeps what was typed.
    const bad = await browser.post(`/children/${baby}/entries`, { kind: 'home_visit', ...when, narrative: 'No answer at the door.', child_seen: 'no', child_seen_alone: 'no', baby_seen_awake: 'yes' });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toContain('A baby cannot be seen awake or undressed without being seen');
    expect(bad.body).toContain('No answer at the door.');
    expect(bad.body).toContain('name="baby_seen_awake"');
  });
});
