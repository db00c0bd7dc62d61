import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { isEmpty, seedDemo, type DemoWorld } from '../../src/demo/seed.js';
import { DEMO_PASSWORD, demoAccountList } from '../../src/demo/accounts.js';
import { isValidNhsNumber } from '../../src/people/nhs-number.js';
import { testServices } from '../support/db.js';

let s: Services;
let world: DemoWorld;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  s = await testServices();
  expect(await isEmpty(s.database.db)).toBe(true);
  world = await seedDemo(s);
  app = await buildApp(s);
});
afterAll(async () => {
  await app?.close();
  await s?.database.close();
});

/** Every entry about a child, with the kind of agency that wrote it. */
const entriesOf = (childId: string) =>
  s.database.db
    .selectFrom('entries as e')
    .innerJoin('agencies as a', 'a.id', 'e.author_agency_id')
    .select(['e.kind', 'e.data', 'e.narrative', 'e.occurred_at', 'e.author_id', 'e.author_role', 'a.kind as agency_kind', 'a.name as agency_name'])
    .where('e.child_id', '=', childId)
    .orderBy('e.occurred_at')
    .execute();

const tokens = new Map<string, string>();
async function signIn(email: string): Promise<string> {
  if (!tokens.has(email)) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password: DEMO_PASSWORD } });
    expect(res.statusCode, email).toBe(201);
    tokens.set(email, res.json().token);
  }
  return tokens.get(email)!;
}
async function chronologyStatus(email: string, childId: string): Promise<number> {
  const res = await app.inject({ method: 'GET', url: `/api/children/${childId}/entries`, headers: { authorization: `Bearer ${await signIn(email)}` } });
  return res.statusCode;
}
const emailOf = (key: string) => demoAccountList.find((a) => a.key === key)!.email;

describe('seeding the demo', () => {
  // Speed is for benchmarks, not tests: this checks only that seeding filled the database.
  it('fills an empty database', async () => {
    expect(await isEmpty(s.database.db)).toBe(false);
  });

  it('leaves every child record intact', async () => {
    const v = await s.integrity.verifyAll(null);
    expect(v.ok).toBe(true);
    expect(v.children).toBe(7);
    expect(v.entries).toBeGreaterThan(70);
  });

  it('uses fictional people: test-range NHS numbers, the town of Northmoor, no names from real cases', async () => {
    const ids = await s.database.db.selectFrom('person_identifiers').select('value').where('scheme', '=', 'nhs_number').execute();
    expect(ids.length).toBeGreaterThanOrEqual(7);
    for (const { value } of ids) {
      expect(value.startsWith('999')).toBe(true);
      expect(isValidNhsNumber(value)).toBe(true);
    }
    const towns = await s.database.db.selectFrom('person_addresses').select('town').distinct().execute();
    expect(towns.map((t) => t.town)).toEqual(['Northmoor']);
    const names = await s.database.db.selectFrom('person_names').select(['given_name', 'family_name']).execute();
    const practitioners = await s.database.db.selectFrom('practitioners').select('display_name').execute();
    const narratives = await s.database.db.selectFrom('entries').select('narrative').execute();
    const text = [...names.map((n) => `${n.given_name} ${n.family_name}`), ...practitioners.map((p) => p.display_name), ...narratives.map((n) => n.narrative)].join('\n');
    for (const real of ['Connelly', 'Haringey', 'Baby P', 'Whittington', 'North Middlesex', "St Ann's", 'Laming', 'Munro']) expect(text).not.toContain(real);
  });

  it('describes only the past, ending shortly before the anchor', async () => {
    const rows = await s.database.db.selectFrom('entries').select('occurred_at').execute();
    for (const r of rows) expect(new Date(r.occurred_at).getTime()).toBeLessThan(Date.parse('2026-11-27T00:00:00Z'));
  });
});

describe('the key family', () => {
  it('has about eight months of entries from all four kinds of agency', async () => {
    const kai = await entriesOf(world.brennock.kai);
    const maisie = await entriesOf(world.brennock.maisie);
    expect(new Set(kai.map((e) => e.agency_kind))).toEqual(new Set(['local_authority', 'police', 'health', 'school']));
    expect(new Set(maisie.map((e) => e.agency_kind))).toContain('school');
    const first = new Date(kai[0].occurred_at).getTime();
    const last = new Date(kai[kai.length - 1].occurred_at).getTime();
    const days = (last - first) / 86_400_000;
    expect(days).toBeGreaterThan(210);
    expect(days).toBeLessThan(270);
  });

  it('records repeated injuries with body locations and explanations that do not hold together', async () => {
    const injuries = (await entriesOf(world.brennock.kai)).filter((e) => e.kind === 'injury');
    expect(injuries.length).toBeGreaterThanOrEqual(5);
    const data = injuries.map((e) => e.data as { body_locations: string[]; explanation_consistent: string });
    for (const d of data) expect(d.body_locations.length).toBeGreaterThan(0);
    expect(data.map((d) => d.explanation_consistent)).toEqual(expect.arrayContaining(['no', 'unclear']));
    expect(data.some((d) => d.explanation_consistent === 'yes')).toBe(false);
    const kai = await entriesOf(world.brennock.kai);
    const said = (phrase: string, roles: string[]) => kai.some((e) => e.narrative.includes(phrase) && roles.includes(e.author_role));
    expect(said('bruises easily', ['gp'])).toBe(true);
    expect(said('bruises easily', ['health_visitor'])).toBe(true);
    expect(said('fell down the stairs', ['paediatrician'])).toBe(true);
  });

  it('shows attendances at two hospitals run by different trusts, and appointments he was not brought to', async () => {
    const kai = await entriesOf(world.brennock.kai);
    const attendances = kai.filter((e) => e.kind === 'hospital_attendance');
    expect(new Set(attendances.map((e) => (e.data as { hospital: string }).hospital))).toEqual(new Set(['Northmoor General Hospital', 'Riverside University Hospital']));
    expect(new Set(attendances.map((e) => e.agency_name)).size).toBe(2);
    const wnb = kai.filter((e) => e.kind === 'health_appointment' && (e.data as { outcome: string }).outcome === 'was_not_brought');
    expect(wnb.length).toBeGreaterThanOrEqual(4);
  });

  it('has the mother\'s partner in the household only from what the school recorded, with no check', async () => {
    const rels = await s.database.db.selectFrom('relationships').selectAll().where('other_person_id', '=', world.brennock.partner).execute();
    expect(rels.map((r) => r.child_id).sort()).toEqual([world.brennock.kai, world.brennock.maisie].sort());
    for (const r of rels) {
      expect(r).toMatchObject({ kind: 'partner_of_carer', lives_with_child: true, valid_to: null, recorded_by: world.people.dsl });
    }
    const maisie = await entriesOf(world.brennock.maisie);
    expect(maisie.some((e) => e.kind === 'school_concern' && (e.data as { concern_type: string }).concern_type === 'welfare' && e.narrative.includes("mum's boyfriend lives with us"))).toBe(true);
    expect(maisie.some((e) => e.kind === 'school_concern' && (e.data as { concern_type: string }).concern_type === 'attendance')).toBe(true);
    const partner = await s.database.db.selectFrom('persons').select('date_of_birth').where('id', '=', world.brennock.partner).executeTakeFirstOrThrow();
    expect(partner.date_of_birth).toBeNull();
  });

  it('has the police incident, the referral, the strategy discussion, the monitor and the disagreement about removal', async () => {
    const kai = await entriesOf(world.brennock.kai);
    const by = (kind: string, agencyKind: string, text: RegExp) => kai.filter((e) => e.kind === kind && e.agency_kind === agencyKind && text.test(e.narrative));
    expect(kai.filter((e) => e.kind === 'police_incident').length).toBeGreaterThanOrEqual(1);
    expect(kai.some((e) => e.kind === 'contact_referral' && (e.data as { is_referral: boolean }).is_referral)).toBe(true);
    expect(by('case_note', 'local_authority', /^Strategy discussion/).length).toBe(1);
    expect(by('case_note', 'police', /removed to a place of safety/).length).toBeGreaterThanOrEqual(1);
    const decision = by('case_note', 'local_authority', /return home under safeguards/);
    expect(decision.length).toBeGreaterThanOrEqual(1);
    expect(decision[0].narrative).toMatch(/monitor/);
    expect(decision[0].author_id).toBe(world.people.sw);
    expect(kai.some((e) => e.kind === 'correspondence' && (e.data as { counterpart: string }).counterpart.includes('Tina Folkard'))).toBe(true);
    const friend = await s.database.db.selectFrom('relationships').select(['kind', 'lives_with_child']).where('other_person_id', '=', world.brennock.friend).executeTakeFirstOrThrow();
    expect(friend).toEqual({ kind: 'family_friend', lives_with_child: false });
  });
  it('has the plan actions Kai’s first core group agreed, each overdue and undone', async () => {
    const actions = (await sql<{ label: string; author_id: string | null; overdue_at: Date; completed_at: Date | null }>`SELECT label, author_id, overdue_at, completed_at
      FROM process_clocks WHERE child_id = ${world.brennock.kai} AND code = 'PA' ORDER BY due_on`.execute(s.database.db)).rows;
    expect(actions).toHaveLength(3);
    expect(actions.map((a) => a.author_id)).toEqual([null, world.people.hv, world.people.dsl]);
    for (const a of actions) {
      expect(a.completed_at).toBeNull();
      expect(new Date(a.overdue_at).getTime()).toBeLessThan(Date.now());
    }
    expect(actions[1].label).toMatch(/^Plan action: Weigh Kai at the clinic/);
  });

  it('tells the allocated worker and her manager when the second hospital used emergency access', async () => {
    const grants = await s.database.db.selectFrom('emergency_access').select(['practitioner_id', 'granted_at']).where('child_id', '=', world.brennock.kai).execute();
    expect(grants).toHaveLength(1);
    expect(grants[0].practitioner_id).toBe(world.people.paed);
    expect(new Date(grants[0].granted_at).getTime()).toBeLessThan(Date.parse('2026-11-20T00:00:00Z'));
    const told = await s.database.db.selectFrom('notifications').select('recipient_id').where('child_id', '=', world.brennock.kai).where('kind', '=', 'emergency_access').execute();
    expect(told.map((n) => n.recipient_id).sort()).toEqual([world.people.sw, world.people.tm].sort());
  });
});

describe('the demo sign-ins', () => {
  it('each sign in, and reach the key family where they are meant to', async () => {
    const { kai, maisie } = world.brennock;
    for (const a of demoAccountList) {
      const row = await s.database.db.selectFrom('practitioners').select('display_name').where('email', '=', a.email).executeTakeFirstOrThrow();
      expect(row.display_name).toBe(a.name);
      await signIn(a.email);
    }
    for (const key of ['sw', 'tm', 'hos', 'police', 'hv', 'dsl', 'gp', 'paed2']) expect(await chronologyStatus(emailOf(key), kai), key).toBe(200);
    for (const key of ['sw', 'dsl', 'police']) expect(await chronologyStatus(emailOf(key), maisie), key).toBe(200);
  });

  it('keep the other team\'s child out of the demo social worker\'s reach, but not its own worker\'s', async () => {
    expect(await chronologyStatus(emailOf('sw'), world.children.otherTeam)).toBe(404);
    expect(await chronologyStatus('cp.social.worker@demo.sightline.test', world.children.otherTeam)).toBe(200);
  });

  it('let the demo social worker see the ordinary families she has worked with', async () => {
    for (const child of [world.children.attendance, world.children.advice, world.children.newBaby, world.children.missing]) {
      expect(await chronologyStatus(emailOf('sw'), child)).toBe(200);
    }
  });

  it('let the auditor verify every record', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/integrity', headers: { authorization: `Bearer ${await signIn(emailOf('auditor'))}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, children: 7 });
  });
});

describe('the statutory process of the demo children', () => {
  const processOf = async (key: string, childId: string) =>
    (await app.inject({ method: 'GET', url: `/api/children/${childId}/process`, headers: { authorization: `Bearer ${await signIn(emailOf(key))}` } })).json();
  const deadlines = async (email: string, scope: string) =>
    (await app.inject({ method: 'GET', url: `/api/deadlines?scope=${scope}&within_days=60`, headers: { authorization: `Bearer ${await signIn(email)}` } })).json() as { child_id: string; code: string; status: string }[];

  it('has Kai on a plan for physical abuse, with his first review conference and his safety-plan review overdue', async () => {
    const p = await processOf('sw', world.brennock.kai);
    expect(p.stage).toBe('Child protection plan');
    expect(p.child_protection_plan).toMatchObject({ initial_category: 'PHY' });
    const overdue = p.due.filter((d: { status: string }) => d.status === 'overdue').map((d: { code: string }) => d.code);
    expect(overdue).toEqual(expect.arrayContaining(['T8', 'T11', 'SP']));
  });

  it('has the family friend as a monitor of the safety plan, and the school’s report that the condition was breached', async () => {
    const p = await processOf('sw', world.brennock.kai);
    const [plan] = p.safety_plans;
    expect(plan.conditions[0].monitor).toEqual({ person_id: world.brennock.friend });
    expect(plan.breaches).toEqual([expect.objectContaining({ condition: 0, breach: 'breached' })]);
  });

  it('lists the overdue steps for the social worker, and Jordan’s conference for the conference chair to convene', async () => {
    const mine = await deadlines(emailOf('sw'), 'mine');
    expect(mine.filter((d) => d.child_id === world.brennock.kai && d.status === 'overdue').length).toBeGreaterThanOrEqual(3);
    const chair = await deadlines('conference.chair@demo.sightline.test', 'conferences');
    expect(chair.map((d) => [d.child_id, d.code])).toContainEqual([world.children.missing, 'T5']);
  });

  it('records every step that decides something as a named decision, with its reasons and its maker', async () => {
    const deciding = ['referral_decision', 'assessment_completed', 'strategy_discussion', 's47_concluded', 'icpc', 'review_conference', 'safety_plan_agreed'];
    const steps = await s.database.db.selectFrom('entries').select(['id', 'author_id', 'data']).where('kind', '=', 'process_step').execute();
    const decisions = await s.database.db.selectFrom('entries').select(['author_id', 'data']).where('kind', '=', 'decision').execute();
    const byStep = new Map(decisions.map((d) => [(d.data as { process_step_id: string }).process_step_id, d]));
    const decided = steps.filter((st) => deciding.includes((st.data as { step: string }).step));
    expect(decided.length).toBeGreaterThanOrEqual(20);
    expect(decisions).toHaveLength(decided.length);
    for (const st of decided) {
      const d = byStep.get(st.id);
      expect(d?.author_id, (st.data as { step: string }).step).toBe(st.author_id);
      expect((d!.data as { rationale: string }).rationale.length).toBeGreaterThan(60);
    }
  });

  it('shows the police’s dissent about Kai climbing to stage 3, answered twice by social care and overdue there', async () => {
    const get = async (key: string, url: string) =>
      (await app.inject({ method: 'GET', url: `/api/children/${world.brennock.kai}${url}`, headers: { authorization: `Bearer ${await signIn(emailOf(key))}` } })).json();
    const [d] = await get('police', '/disagreements');
    expect(d).toMatchObject({ raiser_id: world.people.police, respondent_id: world.people.sw, stage: 3, status: 'awaiting_response', overdue: true });
    expect(d.opened_at).toBe('2026-07-17T10:45:00.000Z');
    expect(d.trail.map((t: { action: string; stage: number; by_id: string }) => `${t.action}@${t.stage} ${t.by_id}`)).toEqual([
      `opened@1 ${world.people.sw}`, `responded@1 ${world.people.sw}`, `escalated@2 ${world.people.police}`,
      `responded@2 ${world.people.tm}`, `escalated@3 ${world.people.police}`,
    ]);
    expect(d.trail[3].text).toContain('the decision stands');
    expect(d.deadline).toMatchObject({ code: 'E3' });
    expect(Date.parse(d.deadline.escalates_at)).toBeLessThan(Date.parse('2026-11-20T00:00:00Z'));
    // The heads of service answer now; the decision disputed is the strategy discussion's, and the return home is a decision of its own.
    expect((await get('hos', `/disagreements/${d.id}`)).answering_now).toEqual([world.people.hos]);
    const decisions = await get('sw', '/decisions');
    const disputed = decisions.find((x: { id: string }) => x.id === d.decision_id);
    expect(disputed).toMatchObject({ outcome: 'Section 47 enquiry; no immediate protection', disputed: true, maker: { id: world.people.sw } });
    expect(disputed.participants).toContainEqual(expect.objectContaining({ practitioner_id: world.people.police, position: 'dissent' }));
    expect(decisions).toContainEqual(expect.objectContaining({ outcome: expect.stringMatching(/^Return home with safeguards/), disputed: false }));
  });

  it('closed the ordinary referrals at the front door', async () => {
    expect((await processOf('sw', world.children.advice)).stage).toBe('Closed');
    expect((await processOf('sw', world.children.attendance)).episode.closed).toMatchObject({ reason: 'RC7', referralNfa: true });
  });
});
