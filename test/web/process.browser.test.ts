import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildApp, type Services } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { launchChromium, signInAs } from './chromium.js';

/** Where the screenshots go (look at them to judge the pages). */
const SHOTS = process.env.SIGHTLINE_SHOTS ?? '/tmp';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let base: string;
let browser: Browser;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await s?.database.close();
});

const failIfErrors = async (page: Page) => {
  if (await page.locator('.govuk-error-summary').count()) throw new Error(await page.locator('.govuk-error-summary').innerText());
};

describe('a social worker records a step of the statutory process in a real browser', () => {
  it('opens the child, records a referral through its form, and sees it in the chronology and on the deadlines list (no JavaScript)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await signInAs(page, base, w.emails.worker);
    await page.goto(`${base}/children/${w.child}`);
    const section = page.locator('#process');
    expect(await section.innerText()).toContain('No referral');

    await section.getByRole('link', { name: 'Record a step' }).click();
    await page.getByRole('link', { name: 'Referral received' }).click();
    expect(await page.locator('h1').innerText()).toBe('Referral received');
    // The date is today's already; the form asks only who referred and the primary need.
    await page.getByLabel('Who made the referral?').selectOption('3B');
    await page.getByLabel('Primary need').selectOption('N1');
    await page.getByLabel('Notes (optional)').fill('Health visitor rang: bruising to the upper arm noticed at the 12-month review.');
    await page.screenshot({ path: path.join(SHOTS, 'sightline-step-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Add to the record' }).click();
    await page.waitForLoadState();
    await failIfErrors(page);

    await expect.poll(() => new URL(page.url()).pathname).toBe(`/children/${w.child}`);
    expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain('Your entry is in the chronology.');
    const first = await page.locator('.moj-timeline__item').first().innerText();
    expect(first).toContain('Referral received');
    expect(first).toContain('Health visitor rang: bruising to the upper arm');
    expect(first).toContain('Test worker (Social worker, Northmoor Council)');
    const due = await page.locator('#process-due').innerText();
    expect(due).toMatch(/Referral decision.*\(T1\)/);
    expect(due).toMatch(/Assessment.*\(T2\)/);
    expect(await section.innerText()).toContain('Referral awaiting decision');
    await page.screenshot({ path: path.join(SHOTS, 'sightline-child-process.png'), fullPage: true });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deadlines' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/deadlines');
    const row = page.locator('#deadlines tbody tr').filter({ hasText: 'Referral decision' });
    expect(await row.innerText()).toContain('Alex Testchild');
    expect(await row.locator('.govuk-tag').innerText()).toMatch(/Due soon|Upcoming|Overdue/i);
    await page.screenshot({ path: path.join(SHOTS, 'sightline-deadlines.png'), fullPage: true });
    await row.getByRole('link', { name: 'Alex Testchild' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/children/${w.child}`);
    await context.close();
  });

  it('shows a refused step in the error summary, focused by the design system’s script, under the content security policy', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/status of 422/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await signInAs(page, base, w.emails.worker);
    await page.goto(`${base}/children/${w.child}/process/steps/referral`);
    await page.getByLabel('Who made the referral?').selectOption('6');
    await page.getByRole('button', { name: 'Add to the record' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('The child already has an open referral');
    await page.screenshot({ path: path.join(SHOTS, 'sightline-step-refused.png'), fullPage: true });
    // The longest forms: rows of attendees, and a safety plan's conditions with their monitors.
    for (const step of ['strategy_discussion', 'safety_plan_agreed']) {
      await page.goto(`${base}/children/${w.child}/process/steps/${step}`);
      expect(await page.getByLabel('Practitioner in Sightline').or(page.getByLabel('Who monitors it')).count()).toBeGreaterThan(1);
      await page.screenshot({ path: path.join(SHOTS, `sightline-step-${step}.png`), fullPage: true });
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
