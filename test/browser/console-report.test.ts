/// <reference lib="dom" />
/**
 * The console's report page (who waits on whom) in a real browser against the real local runtime:
 * one waste collection run to its end over the API, then the caseworker opens the report from the
 * service's menu, changes the range, and sees a wrong range explained; axe-core WCAG 2.1 A/AA on each
 * state, screenshots at phone and desktop width in screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseStatus, citizenWeb, createCase, provider, stepOpen } from '../e2e/cases';
import { answers, loadCatalogue } from '../e2e/forms';
import { LocalSystem, prepareAssembly } from '../e2e/harness';
import { checkPage, launchChromium } from './browser';

const ORG = 'gemeente-rapportage';
let sys: LocalSystem;
let browser: Browser;

beforeAll(async () => {
  await prepareAssembly();
  [sys, browser] = await Promise.all([LocalSystem.start(), launchChromium()]);
  await loadCatalogue(sys);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sys?.dispose();
});

const check = (page: Page, name: string) => checkPage(page, `console-report-${name}`);

async function completeOneCase() {
  const staff = sys.token(ORG);
  const c = await createCase(sys, 'waste-collection', staff);
  await stepOpen(sys, c.caseId, 'present', staff);
  expect((await citizenWeb(sys, c.linkToken, 'present', answers('waste-collection', 'present'))).status).toBe(
    303,
  );
  await stepOpen(sys, c.caseId, 'collect', staff);
  expect(
    (await provider(sys, c.caseId, 'collect', staff, answers('waste-collection', 'collect'))).status,
  ).toBe(200);
  await stepOpen(sys, c.caseId, 'household-feedback', staff);
  const feedback = answers('waste-collection', 'household-feedback', { satisfied: 'ja' });
  expect((await citizenWeb(sys, c.linkToken, 'household-feedback', feedback)).status).toBe(303);
  await stepOpen(sys, c.caseId, 'municipality-feedback', staff);
  const last = answers('waste-collection', 'municipality-feedback');
  expect((await provider(sys, c.caseId, 'municipality-feedback', staff, last)).status).toBe(200);
  await caseStatus(sys, c.caseId, staff, 'COMPLETED');
  return c;
}

describe('the report page in a browser', () => {
  it('a caseworker opens who waits on whom, changes the range, and downloads the CSV', async () => {
    const c = await completeOneCase();
    const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${sys.url}/console`);
    await page.fill('#org', ORG);
    await page.selectOption('#kind', 'municipality');
    await page.click('button[type=submit]');
    await page.click('a[href="/console/services/waste-collection/report"]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Wie wacht op wie: Afvalinzameling');
    await expect(page.locator('svg[role=img] title').textContent()).resolves.toContain('mediaan');
    const table = (await page.locator('section[aria-labelledby=report-table] tbody').textContent()) ?? '';
    expect(table).toContain('De inwoner (wachtte op Gemeente Rapportage)');
    await expect(page.locator('main, body').first().textContent()).resolves.toContain(
      '2 afgeronde fasebezoeken',
    );
    await check(page, 'nl');

    // A range that ends before it starts: explained, and the last 30 days shown.
    const today = new Date().toISOString().slice(0, 10);
    await page.fill('#from', today);
    await page.fill('#to', '2020-01-01');
    await page.click('form.cp-filters button[type=submit]');
    await expect(page.locator('[role=alert]').textContent()).resolves.toBe(
      '‘Van’ ligt na ‘Tot en met’. Hieronder staan de laatste 30 dagen.',
    );
    await check(page, 'range-error');

    const href = await page.locator('a[download]').getAttribute('href');
    expect(href).toContain('format=csv');
    const csv = await context.request.get(`${sys.url}${href}`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^stage,title,side,visits/);

    // The case page says it in words too, as does the citizen's own page.
    await page.goto(`${sys.url}/console/cases/${c.caseId}`);
    await expect(page.locator('#case-waiting').textContent()).resolves.toMatch(/De inwoner (wachtte|hoefde)/);
    await check(page, 'case-waiting');
    const citizen = await context.newPage();
    await citizen.goto(`${sys.url}/c/${c.linkToken}`);
    await expect(citizen.locator('#case-waiting').textContent()).resolves.toMatch(/U (wachtte|hoefde)/);
    await checkPage(citizen, 'citizen-waiting');
    await context.close();
  });
});
