import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidatePairs, MAX_BLOCK } from '../../src/matching/blocking.js';
import { linkThroughOthers } from '../../src/matching/cluster.js';
import { explain } from '../../src/matching/compare.js';
import { readRecords } from '../../src/matching/csv.js';
import { features } from '../../src/matching/features.js';
import { linkRecords, MATCH_THRESHOLD } from '../../src/matching/linker.js';
import { buildModel, modelParams, probability } from '../../src/matching/model.js';
import { noNicknames } from '../../src/matching/nicknames.js';
import { columnMapping, type PersonRecord } from '../../src/matching/schemas.js';

const fixture = (name: string) => fs.readFileSync(path.resolve('test/matching/fixtures', name), 'utf8');
const children = () => readRecords(fixture('children-a.csv'), columnMapping.parse(JSON.parse(fixture('children-a.json')))).records;
const params = () => modelParams.parse(JSON.parse(fixture('children-params.json')));
const prepared = (records: PersonRecord[]) => records.map((r) => features(r, noNicknames));

describe('explanation', () => {
  it('is the prior plus each field, and says which fields agreed and how much each counted', () => {
    const records = prepared(children());
    const model = buildModel(params(), records);
    const [a1, a2] = records;
    const e = explain(model, a1, a2);
    const sum = e.fields.reduce((w, f) => w + f.weight, e.prior_weight);
    expect(e.match_weight).toBeCloseTo(sum, 10);
    expect(e.match_probability).toBeCloseTo(probability(sum), 12);
    const byRole = Object.fromEntries(e.fields.map((f) => [f.role, f]));
    expect(byRole.date_of_birth).toMatchObject({ level: 'day_month_swapped', label: 'day and month swapped', m: 0.02, u: 0.0001 });
    expect(byRole.date_of_birth.weight).toBeCloseTo(Math.log2(0.02 / 0.0001), 10);
    expect(byRole.nhs_number.level).toBe('exact');
    expect(byRole.surname.level).toBe('jw_close');
    // given name exact, adjusted because "amelia" is 2 of the 20 given names: commoner than a random agreement (u 0.01)
    expect(byRole.given_name.frequency_adjustment).toBeCloseTo(Math.log2(0.01 / (2 / 20)), 10);
  });

  it('counts a missing field as nothing either way', () => {
    const records = prepared(children());
    const model = buildModel(params(), records);
    const a3 = records.find((r) => r.id === 'A3')!;
    const nhs = explain(model, records[0], a3).fields.find((f) => f.role === 'nhs_number')!;
    expect(nhs).toMatchObject({ level: 'missing', weight: 0, m: null, u: null });
  });

  it('refuses parameters whose levels do not match the comparison', () => {
    const p = params();
    p.comparisons[0].levels.pop();
    expect(() => buildModel(p, [])).toThrow(/given_name must give m and u for the levels exact, swapped/);
  });
});

describe('blocking', () => {
  it('compares each pair once, and lets swapped names meet', () => {
    const records = prepared(children());
    const c = candidatePairs(records);
    const pairs = [...c.left].map((l, i) => `${records[l].id}-${records[c.right[i]].id}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs).toContain('A1-A3'); // "Brook, Amelia" and "Amelia Brook"
    expect(pairs).not.toContain('E1-N1');
  });

  it('when linking two files, compares only across them', () => {
    const left = prepared([{ id: 'a', surname: 'Holt', given_name: 'Ava' }, { id: 'b', surname: 'Holt', given_name: 'Ava' }]);
    const right = [features({ id: 'c', surname: 'Holt', given_name: 'Ava' }, noNicknames, 1)];
    const c = candidatePairs([...left, ...right], undefined, true);
    expect([...c.left].map((l, i) => `${l}-${c.right[i]}`)).toEqual(['0-2', '1-2']);
  });

  it('skips a key so common it would compare nearly everything (a placeholder date of birth)', () => {
    const records = prepared(Array.from({ length: MAX_BLOCK + 1 }, (_, i) => ({ id: String(i), date_of_birth: '1900-01-01' })));
    const c = candidatePairs(records);
    expect(c.left.length).toBe(0);
    expect(c.oversizedKeys).toBe(1);
  });
});

describe('linking through others', () => {
  it('links every pair a chain joins, with the weakest link of the strongest chain', () => {
    const pairs = linkThroughOthers(4, [
      { left: 0, right: 1, probability: 0.99 },
      { left: 1, right: 2, probability: 0.7 },
      { left: 0, right: 2, probability: 0.6 },
    ]);
    const text = pairs.map((p) => `${Math.min(p.left, p.right)}-${Math.max(p.left, p.right)}:${p.probability}`).sort();
    expect(text).toEqual(['0-1:0.99', '0-2:0.7', '1-2:0.7']);
  });

  it('reports only pairs across files when linking two', () => {
    const pairs = linkThroughOthers(3, [{ left: 0, right: 2, probability: 0.9 }, { left: 1, right: 2, probability: 0.8 }], { side: (i) => (i < 2 ? 0 : 1) });
    expect(pairs.map((p) => `${p.left}-${p.right}`).sort()).toEqual(['0-2', '1-2']);
  });

  it('marks which reported pairs were compared and linked directly', () => {
    const result = linkRecords([children()], { params: params() });
    const direct = result.pairs.filter((p) => p.direct).map((p) => `${p.left}-${p.right}`);
    expect(result.pairs.every((p) => p.probability >= MATCH_THRESHOLD)).toBe(true);
    expect(direct).toContain('A1-A2');
    expect(result.stats.direct).toBe(direct.length);
  });
});

describe('reading a file', () => {
  it('splits a full name, reads dates in the mapping format, and counts dates it cannot read', () => {
    const text = 'id,name,born\n1,Mary Ann Holt,30/06/2018\n2,Holt,2018-06-30\n3,,\n';
    const { records, unreadableDates } = readRecords(text, { record_id: 'id', full_name: 'name', date_of_birth: { column: 'born', format: 'DD/MM/YYYY' } });
    expect(records[0]).toMatchObject({ id: '1', given_name: 'Mary', surname: 'Holt', date_of_birth: '2018-06-30' });
    expect(records[1]).toMatchObject({ surname: 'Holt', date_of_birth: undefined });
    expect([records[2].given_name, records[2].surname, records[2].date_of_birth]).toEqual([undefined, undefined, undefined]);
    expect(unreadableDates).toBe(1);
  });

  it('refuses an empty or repeated record id', () => {
    expect(() => readRecords('id,name\n1,A\n1,B\n', { record_id: 'id', full_name: 'name' })).toThrow('row 3: the record id "1" appears twice');
    expect(() => readRecords('id,name\n,A\n', { record_id: 'id', full_name: 'name' })).toThrow('row 2: the record id ("id") is empty');
  });

  it('refuses a mapping with both a full name and its parts', () => {
    expect(columnMapping.safeParse({ record_id: 'id', full_name: 'n', surname: 's' }).success).toBe(false);
  });
});
