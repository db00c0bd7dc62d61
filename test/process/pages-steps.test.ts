import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Services } from '../../src/app.js';
import { addDays, londonDate } from '../../src/process/dates.js';
import { addGroupMember, allocate } from '../../src/people/store.js';
import { formatDateTime, londonIso, londonParts } from '../../src/web/dates.js';
import { onPostgres, testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
const as: Record<string, Browser> = {};
let mother: string;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const who of ['worker', 'manager', 'police', 'hv', 'otherworker']) {
    as[who] = new Browser(app);
    expect((await as[who].signIn(w.emails[who])).statusCode).toBe(303);
  }
  mother = (await s.people.createAdult(w.actors.worker, { given_name: 'Jodie', family_name: 'Testchild', sex: 'female', date_of_birth: '1999-06-14' })).body.id;
  await s.people.addRelationship(w.actors.worker, w.child, { other_person_id: mother, kind: 'parent', lives_with_child: true, valid_from: '2025-03-01' });
  await addGroupMember(s.database.db, w.child, w.actors.hv.id, 'core_group', w.actors.manager.id);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const steps = (childId = w.child) => s.database.db.selectFrom('entries').select(['id', 'data', 'narrative']).where('child_id', '=', childId).where('kind', '=', 'process_step').orderBy('seq').execute();
/** The form's hidden fields (its idempotency key, and when it was opened), as a browser sends them back. */
const hidden = (html: string) => ({ _idem: /name="_idem" value="([^"]+)"/.exec(html)?.[1] ?? '', _at: /name="_at" value="([^"]*)"/.exec(html)?.[1] ?? '' });
const on = (iso: string, prefix = 'occurred') => {
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y };
};
const today = () => londonDate(new Date());
const url = (step: string, child = w.child) => `/children/${child}/process/steps/${step}`;

/** Opens a step's form as a browser would, then posts it with the form's own idempotency key. */
async function record(who: string, step: string, form: Record<string, string | string[]>, child = w.child) {
  const page = await as[who].get(url(step, child));
  expect(page.statusCode, page.body).toBe(200);
  return as[who].post(url(step, child), { ...hidden(page.body), ...form });
}

describe(`recording steps through the pages (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lists the steps by group, only those the practitioner’s agency records', async () => {
    const child = textOf((await as.worker.get(`/children/${w.child}`)).body);
    expect(child).toContain('Statutory process No referral · Record a step');
    expect(child).toContain('Nothing is due.');
    const list = textOf((await as.worker.get(`/children/${w.child}/process/steps`)).body);
    expect(list).toMatch(/Referral and assessment Referral received Referral decision .* Section 47 enquiries and conferences Strategy discussion/);
    expect(list).toMatch(/Emergency powers Police protection ended .* Safety plans Safety plan agreed .* Closure Case closed/);
    expect(list).not.toContain('Police protection (s46) started');
    expect(list).toContain('record a home visit (whether the child was seen, and seen alone, who was there');
    const hv = textOf((await as.hv.get(`/children/${w.child}/process/steps`)).body);
    expect(hv).toContain('Safety plans Safety plan condition breached or not verifiable');
    expect(hv).not.toContain('Referral received');
    expect((await as.hv.get(url('referral'))).statusCode).toBe(403);
    expect((await as.otherworker.get(`/children/${w.child}/process/steps`)).statusCode).toBe(404);
    expect((await as.worker.get(url('no_such_step'))).statusCode).toBe(404);
  });

  it('shows what is missing in an error summary, keeps what was typed and writes nothing', async () => {
    const res = await record('worker', 'referral', { ...on(today()), 'occurred-day': '31', 'occurred-month': '2', referral_source: '', primary_need: 'N4', narrative: 'Call from the health visitor.' });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toMatch(/There is a problem The date it happened must be a real date Choose who made the referral/);
    for (const kept of ['href="#referral_source"', 'href="#occurred-day"', '<option value="N4" selected>', 'Call from the health visitor.']) expect(res.body).toContain(kept);
    expect(await steps()).toEqual([]);
  });

  it('records a late referral decision only with its reason, and shows the deadlines on the child’s page', async () => {
    const twentyDaysAgo = addDays(today(), -20);
    const referral = await record('worker', 'referral', { ...on(twentyDaysAgo), referral_source: '3B', primary_need: 'N1', narrative: '' });
    expect(referral.statusCode, textOf(referral.body)).toBe(303);
    const [entry] = await steps();
    expect(entry.data).toMatchObject({ step: 'referral', referral_source: '3B', primary_need: 'N1' });
    expect(entry.narrative).toBe('Referral received.');
    expect(referral.headers.location).toBe(`/children/${w.child}?added=${entry.id}#entry-${entry.id}`);

    const page = await as.worker.get(referral.headers.location as string);
    const text = textOf(page.body);
    expect(text).toContain('Your entry is in the chronology.');
    expect(text).toContain('Statutory process Referral awaiting decision');
    expect(text).toMatch(/Referral decision: [^(]+ \(T1\) \d+ \w+ \d{4} Overdue/);
    expect(page.body).toContain('govuk-tag--red');
    expect(text).toContain('Open episode Referral');
    expect(text).toContain('from Health visitor (3B); primary need Abuse or neglect (N1); awaiting decision');

    // The decision is late: the form asks why only once the service says so, and keeps what was typed.
    const noReason = await record('worker', 'referral_decision', { ...on(today()), outcome: 'strategy_discussion', referrer_acknowledged: 'yes', narrative: 'Agreed with the team manager.' });
    expect(noReason.statusCode).toBe(422);
    const why = textOf(noReason.body);
    expect(why).toMatch(/There is a problem Late: due by \d{4}-\d{2}-\d{2} under T1\. Give the reason/);
    expect(why).toContain('Why is it late?');
    expect(noReason.body).toContain('href="#late_reason"');
    expect(noReason.body).toContain('value="strategy_discussion" checked');
    expect(noReason.body).toContain('Agreed with the team manager.');
    expect(await steps()).toHaveLength(1);

    const form = { ...hidden(noReason.body), ...on(today()), outcome: 'strategy_discussion', referrer_acknowledged: 'yes', narrative: 'Agreed with the team manager.', late_reason: 'Referral reached the team after the weekend duty rota.' };
    const decided = await as.worker.post(url('referral_decision'), form);
    expect(decided.statusCode, decided.body).toBe(303);
    // The same form sent again (a double click) records nothing more.
    expect((await as.worker.post(url('referral_decision'), form)).headers.location).toBe(decided.headers.location);
    expect(await steps()).toHaveLength(2);
    const after = textOf((await as.worker.get(`/children/${w.child}`)).body);
    expect(after).toMatch(/Referral decision: [^(]+ \(T1, due by \d+ \w+ \d{4}\) ?: Done late\. Why: Referral reached the team after the weekend duty rota\./);
    expect(after).toContain('Late: Referral reached the team after the weekend duty rota.');
  });

  it('answers a step the process does not allow with its reason (409), writing nothing', async () => {
    const res = await record('worker', 'assessment_completed', { ...on(today()), factors: ['16A', '3B'], outcome: 'continue', narrative: 'Neglect and domestic abuse found.' });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain('There is a problem There is no open assessment to complete');
    expect(res.body).toMatch(/value="16A" checked/);
    expect(res.body).toMatch(/value="3B" checked/);
    expect(await steps()).toHaveLength(2);
  });

  it('records a strategy discussion from rows of attendees, filling in a practitioner’s name and agency', async () => {
    const form = await as.worker.get(url('strategy_discussion'));
    expect(form.body).toContain(`<option value="${w.actors.worker.id}" selected>`);
    const rows = {
      'attendees-1-practitioner': w.actors.police.id, 'attendees-1-name': '', 'attendees-1-agency': '',
      'attendees-2-practitioner': '', 'attendees-2-name': 'Dr Example Paediatrician', 'attendees-2-agency': '',
    };
    const missing = await as.worker.post(url('strategy_discussion'), { ...hidden(form.body), ...on(today()), 'attendees-0-practitioner': w.actors.worker.id, ...rows, outcome: 's47', s47_lead_id: w.actors.worker.id });
    expect(missing.statusCode).toBe(422);
    expect(textOf(missing.body)).toContain('Choose the agency of person 3 at the meeting');
    expect(missing.body).toContain('href="#attendees-2-agency"');
    expect(missing.body).toContain('value="Dr Example Paediatrician"');

    const ok = await as.worker.post(url('strategy_discussion'), {
      ...hidden(missing.body), ...on(today()), 'attendees-0-practitioner': w.actors.worker.id, ...rows, 'attendees-2-agency': 'health',
      outcome: 's47', immediate_protection: 'no', s47_lead_id: w.actors.worker.id, narrative: 'Unexplained bruising: a joint enquiry with police.',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const strategy = (await steps()).at(-1)!;
    expect(strategy.data).toMatchObject({
      step: 'strategy_discussion', outcome: 's47', immediate_protection: false, s47_lead_id: w.actors.worker.id,
      attendees: [
        { practitioner_id: w.actors.worker.id, name: 'Test worker', agency_kind: 'local_authority' },
        { practitioner_id: w.actors.police.id, name: 'Test police', agency_kind: 'police' },
        { name: 'Dr Example Paediatrician', agency_kind: 'health' },
      ],
    });
    // The officer at the discussion now reaches the child's record through it.
    expect(textOf((await as.police.get(`/children/${w.child}`)).body)).toContain('Statutory process Section 47 enquiry');
  });
});

describe('safety plans through the pages', () => {
  it('agrees a plan with monitors, then records a breach of one condition', async () => {
    const form = await as.worker.get(url('safety_plan_agreed'));
    expect(form.body).toContain(`value="person:${mother}"`);
    const reviewOn = addDays(today(), 14);
    const base = { ...on(reviewOn, 'review_on'), ...on(today()), narrative: 'Alex stays at home while these safeguards hold.' };
    const noMonitor = await as.worker.post(url('safety_plan_agreed'), { ...hidden(form.body), ...base, 'conditions-0-condition': 'Lee Harrow does not stay overnight', 'conditions-0-monitor': '', 'conditions-0-how_checked': 'Unannounced visits' });
    expect(noMonitor.statusCode).toBe(422);
    expect(textOf(noMonitor.body)).toMatch(/There is a problem [^.]*monitor/);
    expect(noMonitor.body).toContain('href="#conditions-0-monitor"');

    const agreed = await as.worker.post(url('safety_plan_agreed'), {
      ...hidden(noMonitor.body), ...base,
      'conditions-0-condition': 'Lee Harrow does not stay overnight', 'conditions-0-monitor': `person:${mother}`, 'conditions-0-how_checked': 'Jodie rings the social worker each Monday',
      'conditions-2-condition': 'Alex attends nursery every weekday', 'conditions-2-monitor': `practitioner:${w.actors.worker.id}`, 'conditions-2-how_checked': 'Nursery attendance register',
    });
    expect(agreed.statusCode, agreed.body).toBe(303);
    const plan = (await steps()).at(-1)!;
    expect(plan.data).toMatchObject({ step: 'safety_plan_agreed', review_on: reviewOn, conditions: [{ monitor: { person_id: mother } }, { monitor: { practitioner_id: w.actors.worker.id } }] });

    const breachForm = await as.hv.get(url('safety_plan_condition_breached'));
    expect(breachForm.body).toContain(`<option value="${plan.id}/1">Alex attends nursery every weekday`);
    const breach = await as.hv.post(url('safety_plan_condition_breached'), { ...hidden(breachForm.body), ...on(today()), plan_condition: `${plan.id}/1`, breach: 'not_verifiable', narrative: 'Nursery closed for staff training.' });
    expect(breach.statusCode, breach.body).toBe(303);
    const page = textOf((await as.worker.get(`/children/${w.child}`)).body);
    expect(page).toMatch(/Safety plan: Agreed \d+ \w+ \d{4} \(Review by \d+ \w+ \d{4}\)/);
    expect(page).toContain('Lee Harrow does not stay overnight Jodie Testchild Jodie rings the social worker each Monday');
    expect(page).toMatch(/Alex attends nursery every weekday Could not be checked on \d+ \w+ \d{4} Test worker Nursery attendance register/);
    expect(page).toMatch(/Safety plan review \(SP\) \d+ \w+ \d{4} Upcoming/);
  });
});

describe('police protection and the work lists', () => {
  it('lets an officer with no relationship take a child into police protection and see the 72 hours on their list', async () => {
    const child = await newChild(s, { given_name: 'Robin', family_name: 'Example' });
    expect((await as.police.get(`/children/${child}/process/steps`)).statusCode).toBe(404);
    const start = londonParts(new Date(Date.now() - 2 * 3_600_000));
    const form = await as.police.get(url('police_protection_started', child));
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('You do not have a relationship with this child');
    expect(textOf(form.body)).not.toContain('Robin');
    const res = await as.police.post(url('police_protection_started', child), {
      ...hidden(form.body), 'occurred-day': start.day, 'occurred-month': start.month, 'occurred-year': start.year, 'occurred-time': `${start.hour}:${start.minute}`, place_of_safety: 'Northmoor police station',
    });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/deadlines?show=mine&recorded=police_protection');
    const list = textOf((await as.police.get(res.headers.location as string)).body);
    expect(list).toContain('Police protection is recorded.');
    const began = londonIso(Number(start.year), Number(start.month), Number(start.day), Number(start.hour), Number(start.minute))!;
    const due = formatDateTime(new Date(Date.parse(began) + 72 * 3_600_000));
    expect(list).toMatch(new RegExp(`Robin Example .*\\(EP1\\) ${due} \\(UK time\\) (69|70) hours left Upcoming`));
  });

  it('shows an emergency protection order’s end as an exact time, with the hours left', async () => {
    const res = await record('worker', 'epo_made', { ...on(today()), court: 'Northmoor Family Court' });
    expect(res.statusCode, textOf(res.body)).toBe(303);
    const page = textOf((await as.worker.get(`/children/${w.child}`)).body);
    const ends = addDays(today(), 7).split('-').map(Number);
    const endDay = new Date(Date.UTC(ends[0], ends[1] - 1, ends[2])).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect(page).toMatch(new RegExp(`\\(EP2\\) the end of ${endDay} \\(midnight, UK time\\) 1[6-9]\\d hours left Upcoming`));
    expect(page).toMatch(/Emergency protection order Made \d+ \w+ \d{4}, in force/);
  });

  it('shows each practitioner their tab, overdue first, each row linking to the child', async () => {
    const second = await newChild(s, { given_name: 'Casey', family_name: 'Example' });
    await allocate(s.database.db, second, w.actors.teammate.id, w.team, w.actors.manager.id);
    as.teammate = new Browser(app);
    await as.teammate.signIn(w.emails.teammate);
    expect((await record('teammate', 'referral', { ...on(today()), referral_source: '6', primary_need: 'N0' }, second)).statusCode).toBe(303);
    // A second referral while one is open is refused with the census rule.
    const again = await record('worker', 'referral', { ...on(today()), referral_source: '6' });
    expect(again.statusCode).toBe(422);
    expect(textOf(again.body)).toContain('The child already has an open referral');

    const mine = await as.worker.get('/deadlines');
    expect(mine.body).toContain('<a class="sl-nav__link" href="/deadlines" aria-current="page">Deadlines</a>');
    expect(mine.body).toContain('<a class="moj-sub-navigation__link" aria-current="page" href="/deadlines?show=mine">');
    expect(mine.body).toContain(`href="/children/${w.child}#process">Alex Testchild</a>`);
    expect(mine.body).not.toContain('Casey Example');

    const team = await as.manager.get('/deadlines');
    expect(team.body).toContain('aria-current="page" href="/deadlines?show=team"');
    const rows = textOf(team.body);
    expect(rows).toContain('Alex Testchild');
    expect(rows).toMatch(/Casey Example Referral decision: [^(]+ \(T1\) .* Test teammate/);
    const statuses = [...rows.matchAll(/(Overdue|Due soon|Upcoming) Test \w+/g)].map((m) => m[1]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses).toEqual([...statuses].sort((a, b) => ['Overdue', 'Due soon', 'Upcoming'].indexOf(a) - ['Overdue', 'Due soon', 'Upcoming'].indexOf(b)));

    const conferences = textOf((await as.manager.get('/deadlines?show=conferences')).body);
    expect(conferences).toMatch(/Conferences to convene .*Alex Testchild Initial child protection conference [^(]*\(ICPC\) held \(T5\) \d+ \w+ \d{4} (Upcoming|Due soon) Test worker/);
  });
});

