import type { Hit } from '../../src/signals/hit.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
beforeAll(async () => {
  sw = await signalsWorld();
});
afterAll(() => sw.close());

const only = (rule: string, hits: Hit[]) => hits.filter((h) => h.rule_id === rule);
const welfare = (at: string, concerns: string[]) => ({
  kind: 'school_concern', occurred_at: at, narrative: 'Mother says her new partner collects the child now.', concerns, data: { concern_type: 'welfare' },
});
const checks = (at: string, person: string, list: string[]) => ({
  kind: 'adult_check', occurred_at: at, narrative: 'Checks completed on the adult.', data: { person_id: person, checks: list, concerns_found: false },
});
const injury = (at: string, explanation: string) => ({
  kind: 'injury', occurred_at: at, narrative: 'Bruising to the back.', data: { body_locations: ['back'], injury_type: 'bruise', explanation_consistent: explanation },
});

describe('R6: an adult linked to the child who has not been checked', () => {
  it('fires when a school names the mother’s new partner in an entry, until every check is recorded', async () => {
    const child = await sw.child();
    const partner = await sw.adult(child, { kind: 'partner_of_carer' });
    const named = await sw.entry(child, 'dsl', welfare('2026-02-02T10:00:00Z', [partner]));
    const hits = only('R6', await sw.onEntry(child, named));
    expect(hits).toEqual([expect.objectContaining({ pattern_key: `adult:${partner}`, entry_ids: [named], severity: 'high' })]);
    expect(hits[0].reason).toContain('Dan Unchecked is recorded as partner of carer');
    expect(hits[0].reason).toContain('Elm Street Primary (2 February 2026)');
    expect(hits[0].reason).toContain('identity, police (PNC), children’s social care history and probation or MAPPA checks are');

    const part = await sw.entry(child, 'worker', checks('2026-02-05T10:00:00Z', partner, ['identity', 'police']));
    const again = await sw.entry(child, 'dsl', welfare('2026-02-09T10:00:00Z', [partner]));
    const still = only('R6', await sw.onEntry(child, again));
    expect(still[0].entry_ids).toEqual([named, part, again]);
    expect(still[0].reason).toContain('no children’s social care history and probation or MAPPA checks are');
    await sw.entry(child, 'worker', checks('2026-02-10T10:00:00Z', partner, ['csc_history', 'probation']));
    const later = await sw.entry(child, 'dsl', welfare('2026-02-16T10:00:00Z', [partner]));
    expect(only('R6', await sw.onEntry(child, later))).toEqual([]);
  });

  it('fires when a lodger is recorded, and names an adult named in an entry with no relationship at all', async () => {
    const child = await sw.child();
    const lodger = await sw.adult(child, { kind: 'lodger', lives_with_child: true }, { given_name: 'Lee', family_name: 'Lodger' });
    expect(only('R6', await sw.onPeople(child, [lodger]))[0].reason).toContain('Lee Lodger is recorded as lodger living with the child');
    const stranger = await sw.call('POST', '/api/adults', 'police', { given_name: 'Max', family_name: 'Visitor', sex: 'male' });
    const incident = await sw.entry(child, 'police', { kind: 'police_incident', occurred_at: '2026-02-03T22:00:00Z', narrative: 'Domestic at the address.', concerns: [stranger.body.id], data: { incident_type: 'domestic_abuse' } });
    const hits = only('R6', await sw.onEntry(child, incident));
    expect(hits.map((h) => h.pattern_key)).toEqual([`adult:${stranger.body.id}`]);
    expect(hits[0].reason).toContain('Max Visitor is named in an entry by Northmoor Police');
  });

  it('stays silent for a parent, and for an adult whose checks are all done', async () => {
    const child = await sw.child();
    const mother = await sw.adult(child, { kind: 'parent', lives_with_child: true }, { given_name: 'Mary', sex: 'female' });
    expect(only('R6', await sw.onPeople(child, [mother]))).toEqual([]);
    const uncle = await sw.adult(child, { kind: 'relative' }, { given_name: 'Uncle' });
    await sw.entry(child, 'worker', checks('2026-01-20T10:00:00Z', uncle, ['identity', 'police', 'csc_history', 'probation']));
    const named = await sw.entry(child, 'dsl', welfare('2026-02-02T10:00:00Z', [mother, uncle]));
    expect(only('R6', await sw.onEntry(child, named))).toEqual([]);
  });
});

describe('R11: placed with a friend or relative after a suspected non-accidental injury', () => {
  it('fires when the child goes to live with a family friend after an unexplained injury, with no connected-person assessment', async () => {
    const child = await sw.child();
    const nai = await sw.entry(child, 'hv', injury('2026-01-10T10:00:00Z', 'none_given'));
    const friend = await sw.adult(child, { kind: 'family_friend', lives_with_child: true, valid_from: '2026-01-15' }, { given_name: 'Fran', family_name: 'Friend', sex: 'female' });
    const hits = only('R11', await sw.onPeople(child, [friend]));
    expect(hits).toEqual([expect.objectContaining({ pattern_key: `carer:${friend}`, entry_ids: [nai], severity: 'urgent' })]);
    expect(hits[0].reason).toContain('Since 2026-01-15 the child lives with Fran Friend (family friend');
    expect(hits[0].reason).toContain('Northmoor NHS Trust on 10 January 2026');
  });

  it('stays silent once the carer is assessed, and when the injury was explained', async () => {
    const child = await sw.child();
    await sw.entry(child, 'hv', injury('2026-01-10T10:00:00Z', 'none_given'));
    const friend = await sw.adult(child, { kind: 'family_friend', lives_with_child: true, valid_from: '2026-01-15' });
    await sw.entry(child, 'worker', checks('2026-01-14T10:00:00Z', friend, ['connected_person_assessment']));
    expect(only('R11', await sw.onPeople(child, [friend]))).toEqual([]);
    const other = await sw.child();
    await sw.entry(other, 'hv', injury('2026-01-10T10:00:00Z', 'yes'));
    const gran = await sw.adult(other, { kind: 'relative', lives_with_child: true, valid_from: '2026-01-15' });
    expect(only('R11', await sw.onPeople(other, [gran]))).toEqual([]);
  });
});
