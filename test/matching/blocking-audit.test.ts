import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseRules, blockingRules, candidateRules, chosenRules, type BlockingRule } from '../../src/matching/blocking.js';
import { chooseRules, likelyMatches, type AuditedFile } from '../../src/matching/blocking-audit.js';
import { explain } from '../../src/matching/compare.js';
import { readRecords } from '../../src/matching/csv.js';
import { features } from '../../src/matching/features.js';
import { MATCH_THRESHOLD } from '../../src/matching/linker.js';
import { buildModel, modelParams } from '../../src/matching/model.js';
import { noNicknames } from '../../src/matching/nicknames.js';
import { columnMapping } from '../../src/matching/schemas.js';

const fixture = (name: string) => fs.readFileSync(path.resolve('test/matching/fixtures', name), 'utf8');

describe('likely matches among every pair', () => {
  it('are exactly the pairs the explanation scores at or above the threshold', () => {
    const records = readRecords(fixture('children-a.csv'), columnMapping.parse(JSON.parse(fixture('children-a.json')))).records.map((r) => features(r, noNicknames));
    const model = buildModel(modelParams.parse(JSON.parse(fixture('children-params.json'))), records);
    const expected: string[] = [];
    for (let i = 0; i < records.length; i++) for (let j = i + 1; j < records.length; j++) if (explain(model, records[i], records[j]).match_probability >= MATCH_THRESHOLD) expected.push(`${i}-${j}`);
    const likely = likelyMatches(records, model, MATCH_THRESHOLD);
    const found = Array.from({ length: likely.length / 2 }, (_, p) => `${likely[2 * p]}-${likely[2 * p + 1]}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(found).toEqual(expected);
  });
});

describe('choosing blocking rules without labels', () => {
  // Six records; the "likely matches" are given, as the model would find them.
  const people = ['ann|lee|20100101|leeds', 'ann|lee|20100101|york', 'bob|ray|20110202|leeds', 'rob|ray|20110203|leeds', 'cat|kay|20120303|hull', 'kat|kay|20120404|hull'];
  const records = people.map((p, i) => {
    const [given_name, surname, dob, town] = p.split('|');
    return features({ id: `r${i}`, given_name, surname, date_of_birth: `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6)}`, town }, noNicknames);
  });
  const file: AuditedFile = { name: 'six', records, likely: Int32Array.from([0, 1, 2, 3, 4, 5]) };
  const rule = (name: string, key: BlockingRule['key']): BlockingRule => ({ name, key });
  const base = [rule('date', (f) => f.dob)];
  const surnameTown = rule('surname_town', (f) => `${f.surname}|${f.town}`);
  const given = rule('given', (f) => f.given);
  const surnameYear = rule('surname_year', (f) => `${f.surname}|${f.dob.slice(0, 4)}`);

  it('adds the candidate that recovers most of what the rules so far lose, and stops when the best recovers too little', () => {
    const choice = chooseRules([file], base, [given, surnameTown, surnameYear], 0.4);
    // date keeps pair 1 only; surname_town and surname_year each recover pairs 2 and 3 (2 of 3 = 0.67);
    // the first such wins; after it nothing is lost, so the next best recovers 0 and is rejected.
    expect(choice.chosen).toEqual(['surname_town']);
    expect(choice.steps.map((s) => [s.rule, s.recovered[0].pairs])).toEqual([['surname_town', 2], ['given', 0]]);
    expect(choice.files[0]).toMatchObject({ likely: 3, kept: 3, onlyBy: { date: 1, surname_town: 2 } });
  });

  it('keeps nothing when no candidate recovers the minimum share', () => {
    const choice = chooseRules([file], base, [given], 0.1);
    expect(choice.chosen).toEqual([]);
    expect(choice.files[0]).toMatchObject({ likely: 3, kept: 1, onlyBy: { date: 1 } });
  });
});

describe('the rules in the code', () => {
  it('are the base rules and the chosen candidates, each named once', () => {
    const names = blockingRules.map((r) => r.name);
    expect(names).toEqual([...baseRules.map((r) => r.name), ...chosenRules]);
    expect(new Set([...baseRules, ...candidateRules].map((r) => r.name)).size).toBe(baseRules.length + candidateRules.length);
  });
});
