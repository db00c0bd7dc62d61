import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { onPostgres, testServices } from '../support/db.js';

/** Runs `node bin/sightline.js …` as an operator would. */
function cli(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATA_DIR;
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/sightline.js', ...args], { env: { ...base, LOG_LEVEL: 'silent', ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

// PGlite: a fresh data directory the CLI migrates itself. PostgreSQL: this file's test database.
let env: Record<string, string>;
let s: Services | undefined;
let dir: string | undefined;
beforeAll(async () => {
  if (onPostgres) {
    s = await testServices();
    const name = (await sql<{ db: string }>`SELECT current_database() AS db`.execute(s.database.db)).rows[0].db;
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-rules-'));
    env = { DATA_DIR: dir };
  }
});
afterAll(async () => {
  await s?.database.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`sightline due and rules (${onPostgres ? 'PostgreSQL' : 'PGlite data dir'})`, { timeout: 180_000 }, () => {
  it('due prints the date, the convention, the bank holidays on the way and the rule’s source', async () => {
    const r = await cli(env, ['due', 'T1', '2026-12-24']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('T1 (england, national): Referral decision');
    expect(r.stdout).toContain('Due:      2026-12-29 (Tuesday)');
    expect(r.stdout).toContain('Counted:  1 working day, working-days:t0-is-day-0');
    expect(r.stdout).toContain('Bank holidays on the way: 2026-12-25 Christmas Day; 2026-12-28 Boxing Day (substitute day)');
    expect(r.stdout).toMatch(/Source: {3}WT2023 .*\[secondary S8,S10\]/);
    expect(r.stdout).toContain('Rule:     secondary; effective from 2024-01-01');
  });

  it('due gives hours as an exact UK time, and Wales its own rules', async () => {
    const ep1 = await cli(env, ['due', 'EP1', '2026-03-27T18:00']);
    expect(ep1.stdout).toContain('Due:      2026-03-30T19:00:00+01:00');
    expect(ep1.stdout).toContain('Counted:  72 hours, hours');
    const w1 = await cli(env, ['due', 'w1', '2026-08-03', '--jurisdiction', 'wales']);
    expect(w1.stdout).toContain('Due:      2026-10-01 (Thursday)');
    expect(w1.stdout).toContain('Bank holidays on the way: 2026-08-31 Summer bank holiday');
  });

  it('due explains what it cannot do, and exits non-zero', async () => {
    const noLa = await cli(env, ['due', 'T2', '2026-01-05', '--locality', randomUUID()]);
    expect(noLa).toMatchObject({ code: 1, stdout: '' });
    expect(noLa.stderr.trim()).toBe('The locality is not a local authority.');
    const missing = await cli(env, ['due', 'T2']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: sightline due RULE START');
  });

  it('rules lists each rule with its trigger, amount and unit, convention, source and effective date', async () => {
    const r = await cli(env, ['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Timescale rules for england (working days: England and Wales bank holidays, known from 2024-01-01 to 2028-12-31)');
    const codes = [...r.stdout.matchAll(/^(\S+) +\S/gm)].map((m) => m[1]).filter((c) => /^[A-Z]+\d+$/.test(c));
    expect(codes).toEqual(['T1', 'T2', 'T5', 'T6', 'T8', 'T9', 'T11', 'T12', 'T12', 'T13', 'EP1', 'EP2', 'EP3', 'CP1', 'CP2', 'AH1', 'AH2', 'AM1', 'AM2', 'AU1', 'AU2', 'E1', 'E2', 'E3', 'E4', 'EU1', 'EU2', 'EU3', 'EU4', 'WB1', 'WB2']);
    expect(r.stdout).toContain([
      'T2   Assessment (single child and family assessment, s17 or s47) concluded',
      '     trigger:    The point of referral [referral_received]',
      '     deadline:   45 working days, counted working-days:t0-is-day-0',
    ].join('\n'));
    expect(r.stdout).toContain('     status:     unverified; national; a local authority may set its own');
    expect(r.stdout.match(/effective: {2}from 2024-01-01/g)).toHaveLength(32);
    const wales = await cli(env, ['rules', '--jurisdiction', 'wales']);
    expect(wales.stdout).toContain('W1   Continuing assessment (s47 enquiries) completed');
    expect(wales.stdout).not.toContain('T2   ');
    const bad = await cli(env, ['rules', '--jurisdiction', 'scotland']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('jurisdiction');
  });
});
