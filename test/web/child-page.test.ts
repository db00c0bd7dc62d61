import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { homeVisit, newChild, world, type World } from '../support/fixtures.js';
import { addGroupMember } from '../../src/people/store.js';
import { Browser, textOf } from './session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let worker: Browser;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  worker = new Browser(app);
  await worker.signIn(w.emails.worker);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const entries = () => s.database.db.selectFrom('entries').selectAll().where('child_id', '=', w.child).orderBy('seq').execute();
const when = { 'occurred-day': '12', 'occurred-month': '1', 'occurred-year': '2026', 'occurred-time': '2:30pm' };

describe('adding an entry through the quick form', () => {
  it('records a home visit with its few facts, at the UK time typed, and shows it in the chronology', async () => {
    const form = await worker.get(`/children/${w.child}/entries/new?kind=home_visit`);
    expect(form.statusCode).toBe(200);
    const text = textOf(form.body);
    expect(text).toContain('Add a home visit');
    expect(text).toContain('Alex Testchild');
    // Narrative first.
    expect(form.body.indexOf('name="narrative"')).toBeLessThan(form.body.indexOf('name="child_seen"'));
    const res = await worker.post(`/children/${w.child}/entries`, {
      kind: 'home_visit', ...when,
      narrative: 'Visited after school. Alex was playing with blocks and chatted about nursery.',
      child_seen: 'yes', child_seen_alone: 'no', announced: 'no', present: 'Mother\nMaternal grandmother',
    });
    expect(res.statusCode).toBe(303);
    const [row] = (await entries()).filter((e) => e.narrative.startsWith('Visited after school'));
    expect(row.kind).toBe('home_visit');
    expect(row.data).toEqual({ child_seen: true, child_seen_alone: false, announced: false, present: ['Mother', 'Maternal grandmother'] });
    // 2:30pm on 12 January in the UK is 14:30 UTC (GMT).
    expect(row.occurred_at.toISOString()).toBe('2026-01-12T14:30:00.000Z');
    expect(res.headers.location).toBe(`/children/${w.child}?added=${row.id}#entry-${row.id}`);
    const page = await worker.get(res.headers.location as string);
    const pageText = textOf(page.body);
    expect(pageText).toContain('Your entry is in the chronology.');
    expect(page.body).toContain(`id="entry-${row.id}"`);
    expect(pageText).toContain('Visited after school.');
    expect(pageText).toContain('12 January 2026 at 2:30pm');
    expect(pageText).toContain('by Test worker (Social worker, Northmoor Council)');
    expect(pageText).toContain('Child seen: Yes');
    expect(pageText).toContain('Present: Mother, Maternal grandmother');
  });

  it('uses the summer-time offset in summer', async () => {
    await worker.post(`/children/${w.child}/entries`, { kind: 'case_note', narrative: 'Summer note', 'occurred-day': '1', 'occurred-month': '7', 'occurred-year': '2025', 'occurred-time': '09:00' });
    const row = (await entries()).find((e) => e.narrative === 'Summer note')!;
    expect(row.occurred_at.toISOString()).toBe('2025-07-01T08:00:00.000Z');
  });

  it('shows every problem in an error summary, keeps what was typed, and writes nothing', async () => {
    const before = (await entries()).length;
    const audits = await s.database.db.selectFrom('audit_events').select('id').where('action', '=', 'append_entry').execute();
    const res = await worker.post(`/children/${w.child}/entries`, {
      kind: 'home_visit', narrative: '', 'occurred-day': '31', 'occurred-month': '2', 'occurred-year': '2026', 'occurred-time': 'teatime',
      child_seen: 'no', child_seen_alone: 'yes', present: 'Uncle (Ray) <b>',
    });
    expect(res.statusCode).toBe(422);
    const text = textOf(res.body);
    expect(text).toContain('There is a problem');
    expect(res.body).toContain('href="#narrative"');
    expect(text).toContain('Write what happened');
    expect(text).toContain('The date it happened must be a real date');
    expect(text).toContain('Enter a real time, like 14:30 or 2:30pm');
    expect(text).toContain('A child cannot be seen alone without being seen');
    expect(res.body).toContain('href="#f-child_seen_alone"');
    // What was typed is still there (escaped).
    expect(res.body).toContain('Uncle (Ray) &lt;b&gt;');
    expect(res.body).toContain('value="teatime"');
    expect(res.body).toMatch(/name="child_seen_alone" type="radio" value="yes" checked/);
    expect(res.body).toContain('<title>Error: ');
    expect((await entries()).length).toBe(before);
    expect((await s.database.db.selectFrom('audit_events').select('id').where('action', '=', 'append_entry').execute()).length).toBe(audits.length);
  });

  it('asks for the required facts of a kind in plain English', async () => {
    const res = await worker.post(`/children/${w.child}/entries`, { kind: 'injury', narrative: 'Bruise seen on the arm', ...when });
    expect(res.statusCode).toBe(422);
    const text = textOf(res.body);
    expect(text).toContain('Choose where on the body the injury is');
    expect(text).toContain('Choose the kind of injury');
    expect(text).toContain('Say whether the explanation is consistent with the injury');
    expect(res.body).toContain('href="#f-body_locations-1"');
  });

  it('does not record something that has not happened yet', async () => {
    const next = new Date().getUTCFullYear() + 1;
    const res = await worker.post(`/children/${w.child}/entries`, { kind: 'case_note', narrative: 'Later', 'occurred-day': '1', 'occurred-month': '1', 'occurred-year': String(next), 'occurred-time': '10:00' });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain('must not be in the future');
  });

  it('records a double-submitted form once', async () => {
    const form = { kind: 'case_note', narrative: 'Pressed twice', ...when, _idem: '2b0c8a8e-4f7e-4d7c-9d55-7a1f6c2f9e01' };
    const a = await worker.post(`/children/${w.child}/entries`, form);
    const b = await worker.post(`/children/${w.child}/entries`, form);
    expect(a.headers.location).toBe(b.headers.location);
    expect((await entries()).filter((e) => e.narrative === 'Pressed twice')).toHaveLength(1);
  });
});

describe('corrections', () => {
  it('keeps the corrected entry visible, marked, beside its correction; a reason is required', async () => {
    const original = await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: 'Visit on the wrong day', occurred_at: '2026-01-05T10:00:00Z' }));
    const id = original.body.id;
    const form = await worker.get(`/children/${w.child}/entries/${id}/correct`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Visit on the wrong day');
    expect(form.body).toMatch(/name="child_seen" type="radio" value="yes" checked/);
    const noReason = await worker.post(`/children/${w.child}/entries/${id}/correct`, { kind: 'home_visit', narrative: 'Visit on the right day', 'occurred-day': '6', 'occurred-month': '1', 'occurred-year': '2026', 'occurred-time': '10:00', child_seen: 'yes', child_seen_alone: 'no' });
    expect(noReason.statusCode).toBe(422);
    expect(textOf(noReason.body)).toContain('Say why this entry needs correcting');
    expect(noReason.body).toContain('Visit on the right day');
    const saved = await worker.post(`/children/${w.child}/entries/${id}/correct`, { kind: 'home_visit', narrative: 'Visit on the right day', 'occurred-day': '6', 'occurred-month': '1', 'occurred-year': '2026', 'occurred-time': '10:00', child_seen: 'yes', child_seen_alone: 'no', correction_reason: 'Recorded against the wrong date' });
    expect(saved.statusCode).toBe(303);
    const correction = (await entries()).find((e) => e.supersedes_id === id)!;
    expect(correction.correction_reason).toBe('Recorded against the wrong date');
    const page = await worker.get(`/children/${w.child}`);
    const html = page.body;
    const at = (entryId: string) => html.indexOf(`id="entry-${entryId}"`);
    expect(at(correction.id)).toBeGreaterThan(0);
    expect(at(id)).toBeGreaterThan(at(correction.id));
    // Nothing sits between the correction and what it corrects.
    expect(html.slice(at(correction.id), at(id)).match(/moj-timeline__item/g)).toHaveLength(1);
    const oldItem = html.slice(at(id) - 200, at(id) + 2000);
    expect(oldItem).toContain('sl-entry--corrected');
    expect(textOf(oldItem)).toContain('Corrected');
    expect(textOf(oldItem)).toContain('Visit on the wrong day');
    expect(textOf(html)).toContain('Why it was corrected: Recorded against the wrong date');
    // Correcting the old one again goes to the latest version.
    const again = await worker.get(`/children/${w.child}/entries/${id}/correct`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/children/${w.child}/entries/${correction.id}/correct`);
  });
});

describe("the child's page", () => {
  it('filters the chronology by agency and by kind with a plain GET form', async () => {
    await addGroupMember(s.database.db, w.child, w.actors.police.id, 'strategy_discussion', w.actors.manager.id);
    await s.record.append(w.actors.police, w.child, { kind: 'police_incident', occurred_at: '2026-01-03T22:00:00Z', narrative: 'Neighbours reported shouting.', data: { incident_type: 'domestic_abuse' } });
    const all = textOf((await worker.get(`/children/${w.child}`)).body);
    expect(all).toContain('Visited after school');
    const notes = textOf((await worker.get(`/children/${w.child}?kind=case_note`)).body);
    expect(notes).toContain('Pressed twice');
    expect(notes).not.toContain('Visited after school');
    expect(notes).toContain('Show every entry');
    const byPolice = textOf((await worker.get(`/children/${w.child}?agency=${w.police}`)).body);
    expect(byPolice).toContain('Neighbours reported shouting.');
    expect(byPolice).toContain('Incident: Domestic abuse');
    expect(byPolice).not.toContain('Visited after school');
  });

  it("shows the summary: name, date of birth and age, NHS number 3-3-4, allocated worker, and who has looked", async () => {
    const page = await worker.get(`/children/${w.child}`);
    const text = textOf(page.body);
    expect(text).toContain('Alex Testchild');
    expect(text).toContain('Born 1 March 2025');
    expect(text).toContain('999 000 0018');
    expect(text).toContain('Allocated worker Test worker');
    expect(text).toContain('Assessment Team A');
    expect(text).toContain('Who has looked at this record');
    expect(text).toMatch(/Test worker Social worker, Northmoor Council Viewed the record/);
    const log = await worker.get(`/children/${w.child}/access-log`);
    expect(log.statusCode).toBe(200);
    expect(textOf(log.body)).toContain('Added an entry');
  });
});

describe('someone with no relationship', () => {
  it('finds a restricted result, can make a referral without seeing the record, and can use emergency access', async () => {
    const police = new Browser(app);
    await police.signIn(w.emails.hv);
    await police.get('/search');
    const found = await police.post('/search', { nhs_number: '999 000 0018' });
    expect(found.statusCode).toBe(200);
    const text = textOf(found.body);
    expect(text).toContain('Restricted');
    expect(text).not.toContain('Testchild');
    expect(found.body).toContain(`/children/${w.child}/entries/new?kind=contact_referral`);
    expect(found.body).toContain(`/children/${w.child}/emergency-access`);

    const referral = await police.get(`/children/${w.child}/entries/new?kind=contact_referral`);
    expect(referral.statusCode).toBe(200);
    expect(textOf(referral.body)).toContain('Make a referral');
    expect(referral.body).not.toContain('Testchild');
    expect((await police.get(`/children/${w.child}/entries/new?kind=home_visit`)).statusCode).toBe(404);

    const tooShort = await police.post(`/children/${w.child}/emergency-access`, { reason: 'urgent' });
    expect(tooShort.statusCode).toBe(422);
    expect(textOf(tooShort.body)).toContain('Give the reason in at least 10 characters');
    expect(tooShort.body).toContain('>urgent</textarea>');
    expect((await police.get(`/children/${w.child}`)).statusCode).toBe(404);

    const granted = await police.post(`/children/${w.child}/emergency-access`, { reason: 'Baby brought to clinic with a facial bruise; need history now' });
    expect(granted.statusCode).toBe(303);
    const page = await police.get(`/children/${w.child}`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('You are using emergency access');
    expect(textOf(page.body)).toContain('Reason given: Baby brought to clinic');
  });

  it('a search by name and date of birth needs both, and says so', async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.dsl);
    await b.get('/search');
    const none = await b.post('/search', {});
    expect(none.statusCode).toBe(422);
    expect(textOf(none.body)).toContain('Enter an NHS number, or a family name and date of birth');
    const half = await b.post('/search', { family_name: 'Testchild', 'date_of_birth-day': '1', 'date_of_birth-month': '3' });
    expect(half.statusCode).toBe(422);
    expect(textOf(half.body)).toContain('Their date of birth must include a day, month and year in numbers');
    expect(half.body).toContain('value="Testchild"');
    const bad = await b.post('/search', { nhs_number: '999 000 0019' });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toContain('Enter a valid NHS number');
    const other = await newChild(s, { given_name: 'Robin', family_name: 'Elsewhere', date_of_birth: '2023-05-05' });
    const byName = await b.post('/search', { family_name: 'elsewhere', 'date_of_birth-day': '5', 'date_of_birth-month': '5', 'date_of_birth-year': '2023' });
    expect(byName.statusCode).toBe(200);
    expect(byName.body).toContain(`/children/${other}/emergency-access`);
    expect(textOf(byName.body)).toContain('1 child found');
  });
});
