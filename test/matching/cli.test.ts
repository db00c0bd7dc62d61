import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { modelParams } from '../../src/matching/model.js';

// Fictional children as two agencies might hold them (test/matching/fixtures): a social care file with
// duplicates (typos, a nickname, day and month swapped, names swapped, a mistyped NHS number) and twins
// who are not one child; a school's file with full names and ISO dates.
const fixtures = path.resolve('test/matching/fixtures');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-link-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function sightline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/sightline.js', ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const fixture = (name: string) => path.join(fixtures, name);
const pairsIn = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n');
const ids = (lines: string[]) => lines.slice(1).map((l) => l.split(',').slice(0, 2).join('-'));
const duplicates = ['A1-A2', 'A1-A3', 'A2-A3', 'R1-R2', 'P1-P2', 'G1-G2', 'D1-D2', 'S1-S2'];

describe('sightline link', () => {
  it('deduplicates a file with configured parameters: every duplicate linked, the twins left to a person', async () => {
    const out = path.join(dir, 'configured.csv');
    const r = await sightline(['link', fixture('children-a.csv'), '--columns', fixture('children-a.json'), '--params', fixture('children-params.json'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = pairsIn(out);
    expect(lines[0]).toBe('id_l,id_r,match_probability');
    expect(ids(lines)).toEqual([...duplicates, 'O1-O2']);
    const twins = Number(lines.at(-1)!.split(',')[2]);
    expect(twins).toBeGreaterThanOrEqual(0.5);
    expect(twins).toBeLessThan(0.99);
    for (const l of lines.slice(1, -1)) expect(Number(l.split(',')[2])).toBeGreaterThanOrEqual(0.99);
    expect(r.stdout).toContain('Deduplicated children-a.csv: 20 records.');
    expect(r.stdout).toContain('Parameters: as configured.');
    expect(r.stdout).toContain('9 pairs linked (match probability >= 0.5): 8 certain (>= 0.99), 1 uncertain.');
    expect(r.stderr).toBe(''); // not a terminal: no progress bar
  });

  it('estimates its parameters from the file alone, and the saved parameters reproduce the run', async () => {
    const out = path.join(dir, 'estimated.csv');
    const saved = path.join(dir, 'params.json');
    const r = await sightline(['link', fixture('children-a.csv'), '--columns', fixture('children-a.json'), '--out', out, '--save-params', saved]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Parameters estimated without labels: about \d+ true pairs among those compared/);
    const linked = ids(pairsIn(out));
    for (const pair of duplicates) expect(linked).toContain(pair);
    expect(linked).not.toContain('T1-T2'); // the same name, another child
    const params = modelParams.parse(JSON.parse(fs.readFileSync(saved, 'utf8')));
    expect(params.comparisons.map((c) => c.role)).toEqual(['given_name', 'surname', 'date_of_birth', 'nhs_number', 'address', 'postcode', 'sex']);

    const again = path.join(dir, 'again.csv');
    const rerun = await sightline(['link', fixture('children-a.csv'), '--columns', fixture('children-a.json'), '--out', again, '--params', saved]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
  });

  it('links two files with different columns, pairs across them only', async () => {
    const out = path.join(dir, 'linked.csv');
    const r = await sightline(['link', fixture('children-a.csv'), fixture('school-b.csv'), '--columns', fixture('children-a.json'), '--columns', fixture('school-b.json'), '--params', fixture('children-params.json'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(ids(pairsIn(out))).toEqual(['A1-B1', 'A2-B1', 'A3-B1', 'R1-B2', 'R2-B2', 'T2-B3', 'H1-B4']);
    expect(r.stdout).toContain('Linked children-a.csv and school-b.csv: 25 records.');
  });

  it('refuses a mapping that names a column the file lacks, or is not a mapping, and writes nothing', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ record_id: 'local_id', given_name: 'first_name' }));
    const out = path.join(dir, 'never.csv');
    const r = await sightline(['link', fixture('children-a.csv'), '--columns', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('children-a.csv has no column "first_name"');
    fs.writeFileSync(bad, JSON.stringify({ record_id: 'local_id', date_of_birth: { column: 'dob', format: 'D/M/Y' } }));
    const r2 = await sightline(['link', fixture('children-a.csv'), '--columns', bad, '--out', out]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('date_of_birth.format');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('explains its usage when a required option is missing', async () => {
    const r = await sightline(['link', fixture('children-a.csv'), '--columns', fixture('children-a.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: sightline link FILE.csv [OTHER.csv]');
  });
});
