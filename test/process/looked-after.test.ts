import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGroupMember } from '../../src/people/store.js';
import { onPostgres } from '../support/db.js';
import { homeVisit } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';
import { doneOf, dueOf, processWorld, recordAll, type Body, type ProcessWorld } from './steps-support.js';
import { at, stepsFor, type Steps } from './step-builders.js';

/**
 * Looked-after children: interim care orders (C1), section 20 accommodation (V2), a care order from
 * concluded proceedings (C2), placements, ceasing to be looked after, and the statutory visits of reg 28
 * (T12, migration 0027: within 1 week of the placement's start, then at most every 6 weeks).
 */
let pw: ProcessWorld;
let b: Steps;
const now = new Date('2026-11-27T12:00:00Z');
beforeAll(async () => {
  pw = await processWorld(() => now);
  b = stepsFor(pw.w);
});
afterAll(() => pw.close());

const ico = (d: string): Body => ({ step: 'interim_care_order_made', occurred_at: at(d), narrative: 'Interim care order granted at the first hearing.', data: { court: 'Northmoor Family Court' } });
const s20 = (d: string, data: Body = {}): Body => ({
  step: 'accommodated_section_20', occurred_at: at(d), narrative: 'Mother asked for respite while in hospital.', data: { parental_agreement: true, agreed_by: 'Kim Example, mother', ...data },
});
const placed = (d: string, type = 'foster_care', data: Body = {}): Body => ({ step: 'placement_started', occurred_at: at(d), data: { placement_type: type, ...data } });
const placementEnded = (d: string): Body => ({ step: 'placement_ended', occurred_at: at(d) });
const ceased = (d: string, reason = 'returned_home'): Body => ({ step: 'ceased_looked_after', occurred_at: at(d), data: { reason } });
const visit = async (child: string, d: string, seen = true) => {
  const res = await pw.call('POST', `/api/children/${child}/entries`, 'worker', homeVisit({ occurred_at: at(d, '14:00'), data: { child_seen: seen, child_seen_alone: false, present: ['Foster carer'] } }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
};
const lookedAfter = async (child: string) => (await pw.process(child)).body.looked_after;
const refused = async (child: string, body: Body, detail: string) => {
  const res = await pw.step(child, body);
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body.detail).toBe(detail);
};

describe(`interim care orders and placements (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('an interim care order needs care proceedings under way; it makes the child looked after (C1)', async () => {
    const child = await pw.child();
    await refused(child, ico('2026-03-02'), 'An interim care order is made in care proceedings (Children Act 1989 s38): there are none under way');
    await recordAll(pw, child, [b.careIssued('2026-03-02')]);
    await refused(child, ico('2026-02-27'), 'The order cannot be made before the proceedings were issued on 2026-03-02');
    const made = await pw.step(child, ico('2026-03-03'));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.process.looked_after).toEqual({ since: '2026-03-03', legal_status: 'C1', placement: null });
    expect(made.body.process.stage).toBe('Looked after');
    await refused(child, ico('2026-03-04'), 'The child is already looked after under an interim care order (C1) since 2026-03-03');
    await refused(child, s20('2026-03-04'), 'The child is already looked after under an interim care order (C1) since 2026-03-03');
  });

  it('a placement needs the child looked after; it starts T12, due 1 week later; it ends, and the visits with it', async () => {
    const child = await pw.child();
    await refused(child, placed('2026-03-02'), 'Placement started needs the child to be looked after: record the interim care order, care order or section 20 accommodation first');
    await refused(child, placementEnded('2026-03-02'), 'Placement ended needs the child to be looked after: record the interim care order, care order or section 20 accommodation first');
    await recordAll(pw, child, [b.careIssued('2026-03-02'), ico('2026-03-02')]);
    await refused(child, placed('2026-03-01'), 'Placement started cannot be dated before the child became looked after on 2026-03-02');
    await refused(child, placementEnded('2026-03-03'), 'The child has no current placement to end');
    const start = await pw.step(child, placed('2026-03-02', 'kinship_connected_person', { postcode: 'nm1 2ab' }));
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    expect(start.body.process.looked_after).toEqual({ since: '2026-03-02', legal_status: 'C1', placement: { type: 'kinship_connected_person', since: '2026-03-02' } });
    expect(dueOf(start.body.process, 'T12')).toMatchObject({ due_on: '2026-03-09', status: 'overdue', started_by_entry_id: start.body.entry.id });
    expect(start.body.entry.data).toMatchObject({ postcode: 'NM1 2AB' });
    const ended = await pw.step(child, placementEnded('2026-03-05'));
    expect(ended.status).toBe(201);
    expect(ended.body.process.looked_after.placement).toBeNull();
    expect(dueOf(ended.body.process, 'T12')).toBeUndefined();
    expect(doneOf(ended.body.process, 'T12')).toMatchObject([{ status: 'no_longer_needed' }]);
  });

  it('a move to a new placement has its own first visit within a week', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [s20('2026-03-02'), placed('2026-03-02')]);
    await refused(child, placed('2026-03-01', 'residential'), 'Placement started cannot be dated before the child became looked after on 2026-03-02');
    const moved = await pw.step(child, placed('2026-03-06', 'residential'));
    expect(moved.body.process.looked_after.placement).toEqual({ type: 'residential', since: '2026-03-06' });
    expect(moved.body.process.due.filter((d: { code: string }) => d.code === 'T12')).toMatchObject([{ due_on: '2026-03-13' }]);
  });

  it('a placement type outside the list, a bad postcode, or a police officer recording it are refused', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [s20('2026-03-02')]);
    expect((await pw.step(child, placed('2026-03-02', 'boarding_school'))).status).toBe(422);
    const postcode = await pw.step(child, placed('2026-03-02', 'foster_care', { postcode: 'not a postcode' }));
    expect(postcode.status).toBe(422);
    expect(postcode.body.errors).toEqual([expect.objectContaining({ path: 'data.postcode', message: 'Enter a UK postcode, like NM1 2AB' })]);
    await addGroupMember(pw.s.database.db, child, pw.w.actors.police.id, 'core_group', null);
    expect((await pw.step(child, placed('2026-03-02'), 'police')).status).toBe(403);
    expect(await lookedAfter(child)).toMatchObject({ placement: null });
  });
});

describe('section 20, care orders and ceasing to be looked after', () => {
  it('s20 needs the parent’s agreement (V2); an interim order may follow it (C1), then a care order (C2), the period unbroken', async () => {
    const child = await pw.child();
    const disagreed = await pw.step(child, s20('2026-03-02', { parental_agreement: false }));
    expect(disagreed.status).toBe(422);
    expect(disagreed.body.errors[0]).toMatchObject({ path: 'data.parental_agreement', message: expect.stringContaining('s20(7)') });
    expect(await lookedAfter(child)).toBeNull();
    await recordAll(pw, child, [s20('2026-03-02')]);
    expect(await lookedAfter(child)).toEqual({ since: '2026-03-02', legal_status: 'V2', placement: null });
    await refused(child, s20('2026-03-03'), 'The child is already looked after under section 20 accommodation (V2) since 2026-03-02');
    await recordAll(pw, child, [b.careIssued('2026-03-09'), ico('2026-03-10')]);
    expect(await lookedAfter(child)).toEqual({ since: '2026-03-02', legal_status: 'C1', placement: null });
    await recordAll(pw, child, [b.careConcluded('2026-08-20')]);
    expect(await lookedAfter(child)).toEqual({ since: '2026-03-02', legal_status: 'C2', placement: null });
  });

  it('a care order from concluded proceedings makes the child looked after (C2); an interim order ends with proceedings that make none', async () => {
    const inCare = await pw.child();
    await recordAll(pw, inCare, [b.careIssued('2026-03-02'), b.careConcluded('2026-08-20')]);
    expect(await lookedAfter(inCare)).toEqual({ since: '2026-08-20', legal_status: 'C2', placement: null });

    const home = await pw.child();
    await recordAll(pw, home, [b.careIssued('2026-03-02'), ico('2026-03-02'), placed('2026-03-02')]);
    await recordAll(pw, home, [{ step: 'care_proceedings_concluded', occurred_at: at('2026-08-20'), data: { outcome: 'supervision_order' } }]);
    const view = (await pw.process(home)).body;
    expect(view.looked_after).toBeNull();
    expect(doneOf(view, 'T12')).toMatchObject([{ status: 'no_longer_needed' }]);
  });

  it('ceasing needs the child looked after, not before the period began; a new period cannot start before it ceased', async () => {
    const child = await pw.child();
    await refused(child, ceased('2026-03-02'), 'The child is not looked after');
    await recordAll(pw, child, [s20('2026-03-02'), placed('2026-03-02')]);
    await refused(child, ceased('2026-03-01'), 'Ceased to be looked after cannot be dated before the child became looked after on 2026-03-02');
    expect((await pw.step(child, ceased('2026-03-20', 'adopted'))).status).toBe(422);
    const done = await pw.step(child, ceased('2026-03-20', 'returned_home'));
    expect(done.status).toBe(201);
    expect(done.body.process.looked_after).toBeNull();
    expect(dueOf(done.body.process, 'T12')).toBeUndefined();
    await refused(child, ceased('2026-03-21'), 'The child is not looked after');
    await refused(child, placed('2026-03-21'), 'Placement started needs the child to be looked after: record the interim care order, care order or section 20 accommodation first');
    await refused(child, s20('2026-03-19'), 'The child ceased to be looked after on 2026-03-20: a new period cannot start before that');
    await recordAll(pw, child, [s20('2026-04-01')]);
    expect(await lookedAfter(child)).toEqual({ since: '2026-04-01', legal_status: 'V2', placement: null });
  });

  it('a retried step with the same Idempotency-Key records one entry', async () => {
    const child = await pw.child();
    const headers = { ...(await pw.auth('worker')), 'idempotency-key': `s20-${child}` };
    const send = () => pw.app.inject({ method: 'POST', url: `/api/children/${child}/process/steps`, headers, payload: s20('2026-03-02') });
    const [first, again] = [await send(), await send()];
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json().entry.id).toBe(first.json().entry.id);
    expect(await pw.entryIds(child)).toHaveLength(1);
  });
});

describe('T12: statutory visits to a looked-after child (reg 28)', () => {
  it('due 1 week after the placement; a visit seeing the child meets it, and the next is due 6 weeks after that visit', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [s20('2026-03-02'), placed('2026-03-02')]);
    await visit(child, '2026-03-05', false);
    expect(dueOf((await pw.process(child)).body, 'T12')).toMatchObject({ due_on: '2026-03-09' });
    await visit(child, '2026-03-06');
    const view = (await pw.process(child)).body;
    expect(doneOf(view, 'T12')).toMatchObject([{ due_on: '2026-03-09', status: 'done' }]);
    // 6 March + 42 days = 17 April.
    expect(dueOf(view, 'T12')).toMatchObject({ due_on: '2026-04-17', convention: 'calendar' });
    await visit(child, '2026-04-20');
    const late = (await pw.process(child)).body;
    expect(doneOf(late, 'T12').map((d: { due_on: string; status: string }) => [d.due_on, d.status])).toEqual([['2026-03-09', 'done'], ['2026-04-17', 'done_late']]);
    expect(dueOf(late, 'T12')).toMatchObject({ due_on: '2026-06-01' });
  });

  it('a visit before the placement, or to a child not placed, starts no visit clock', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [s20('2026-03-02')]);
    await visit(child, '2026-03-03');
    expect(dueOf((await pw.process(child)).body, 'T12')).toBeUndefined();
    await recordAll(pw, child, [placed('2026-03-04')]);
    expect(dueOf((await pw.process(child)).body, 'T12')).toMatchObject({ due_on: '2026-03-11' });
  });

  it('the T12 rows: statutory (verified, reg 28), the first-year interval only, England', async () => {
    const rules = (await pw.call('GET', '/api/process/rules?jurisdiction=england', 'worker')).body as { code: string; trigger_event: string; amount: number; unit: string; status: string; local_practice: boolean; source: string }[];
    const t12 = rules.filter((r) => r.code === 'T12');
    expect(t12.map((r) => [r.trigger_event, r.amount, r.unit, r.status, r.local_practice])).toEqual([
      ['looked_after_visit', 6, 'weeks', 'verified', false], ['placement_started', 1, 'weeks', 'verified', false],
    ]);
    expect(t12.every((r) => r.source.includes('reg 28'))).toBe(true);
    expect(t12[0].source).toContain('3 months where the placement is intended to last until the child is 18');
    expect(t12[0].source).toContain('not modelled');
    const due = (event: string) => pw.call('GET', `/api/process/due?rule=T12&start=2026-03-02&event=${event}`, 'worker');
    expect((await due('placement_started')).body).toMatchObject({ due: '2026-03-09', unit: 'weeks', amount: 1 });
    expect((await due('looked_after_visit')).body).toMatchObject({ due: '2026-04-13', unit: 'weeks', amount: 6 });
    const wales = (await pw.call('GET', '/api/process/rules?jurisdiction=wales', 'worker')).body as { code: string }[];
    expect(wales.map((r) => r.code)).not.toContain('T12');
  });
});

describe('the unscheduled-care check (CP-IS: looked after)', () => {
  const check = (nhs: string) => pw.call('POST', '/api/unscheduled-care/checks', 'hv', { nhs_number: nhs, setting: 'emergency_department', reason: 'Fall from a climbing frame' });
  const answer = (since: string) => ({
    on_plan: false, looked_after: true, unborn: false, plan_start: null, looked_after_since: since,
    local_authority: { name: 'Northmoor Council', office_hours_phone: '01000 000001', out_of_hours_phone: '01000 000002' }, last_accesses: [],
  });

  it('answers looked after under an interim care order, and under section 20, with the date it began', async () => {
    const underIco = await pw.child({ nhs_number: '9997000005' });
    await recordAll(pw, underIco, [b.careIssued('2026-03-02'), ico('2026-03-03'), placed('2026-03-03')]);
    const first = await check('9997000005');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toEqual(answer('2026-03-03'));
    const accommodated = await pw.child({ nhs_number: '9997000013' });
    await recordAll(pw, accommodated, [s20('2026-04-01')]);
    expect((await check('9997000013')).body).toEqual(answer('2026-04-01'));
  });

  it('answers not looked after once the child ceased to be, in the exact short answer', async () => {
    const child = await pw.child({ nhs_number: '9997000021' });
    await recordAll(pw, child, [s20('2026-03-02'), placed('2026-03-02'), ceased('2026-05-01', 'returned_home')]);
    const res = await check('9997000021');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ on_plan: false, looked_after: false });
  });
});

describe('pages', () => {
  it('the child’s page shows the legal status and placement; the steps page has the looked-after steps; /deadlines lists T12', async () => {
    const child = await pw.child({ given_name: 'Robin', family_name: 'Fosterley' });
    await recordAll(pw, child, [b.careIssued('2026-03-02'), ico('2026-03-03'), placed('2026-03-04', 'placed_with_parents')]);
    const browser = new Browser(pw.app);
    await browser.signIn(pw.w.emails.worker);
    const page = textOf((await browser.get(`/children/${child}`)).body);
    expect(page).toContain('Looked after Since 3 March 2026; Interim care order (C1); placement: placed with parents since 4 March 2026');
    const steps = textOf((await browser.get(`/children/${child}/process/steps`)).body);
    expect(steps).toMatch(/Looked-after children.*Interim care order made \(s38\).*Accommodated under section 20.*Placement started.*Placement ended.*Ceased to be looked after/);
    const form = await browser.get(`/children/${child}/process/steps/placement_started`);
    expect(textOf(form.body)).toContain('Kinship or connected person');
    const deadlines = textOf((await browser.get('/deadlines')).body);
    expect(deadlines).toContain('Statutory visit to a looked-after child: first visit in the placement');
    expect(deadlines).toContain('Fosterley');
  });

  it('the section 20 form refuses accommodation without agreement, keeping what was typed and writing nothing', async () => {
    const child = await pw.child();
    const browser = new Browser(pw.app);
    await browser.signIn(pw.w.emails.worker);
    const url = `/children/${child}/process/steps/accommodated_section_20`;
    const page = (await browser.get(url)).body;
    const hidden = { _idem: /name="_idem" value="([^"]+)"/.exec(page)?.[1] ?? '', _at: /name="_at" value="([^"]*)"/.exec(page)?.[1] ?? '' };
    const form = { ...hidden, 'occurred-day': '2', 'occurred-month': '3', 'occurred-year': '2026', agreed_by: 'Kim Example, mother', narrative: 'Mother in hospital.' };
    const refusedForm = await browser.post(url, { ...form, parental_agreement: 'no' });
    expect(refusedForm.statusCode).toBe(422);
    expect(textOf(refusedForm.body)).toContain('There is a problem');
    expect(refusedForm.body).toContain('s20(7)');
    expect(refusedForm.body).toContain('Kim Example, mother');
    expect(await pw.entryIds(child)).toEqual([]);
    const agreed = await browser.post(url, { ...form, parental_agreement: 'yes' });
    expect(agreed.statusCode, agreed.body).toBe(303);
    expect(await lookedAfter(child)).toEqual({ since: '2026-03-02', legal_status: 'V2', placement: null });
  });
});
