/// <reference lib="dom" />
/**
 * Negotiated due dates on the citizen page in a real browser (chromium through playwright-core) against
 * the real local runtime: the citizen asks for another day with the keyboard alone, the organisation
 * proposes one for its own step, the citizen accepts it on the page; axe-core WCAG 2.1 A/AA on every
 * state (checkPage), in both languages.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase, getCase, ORG, step, stepOpen } from '../e2e/cases';
import { loadCatalogue } from '../e2e/forms';
import { LocalSystem, type Loose, prepareAssembly } from '../e2e/harness';
import { checkPage, launchChromium } from './browser';

let sys: LocalSystem;
let staff: string;
let browser: Browser;

beforeAll(async () => {
  await prepareAssembly();
  [sys, browser] = await Promise.all([LocalSystem.start(), launchChromium()]);
  staff = sys.token(ORG);
  await loadCatalogue(sys);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sys?.dispose();
});

async function newPage(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

const dayAfter = (iso: string, days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(
    new Date(Date.parse(iso) + days * 86_400_000),
  );

describe('negotiated due dates on the citizen page', () => {
  it.each([
    ['nl', 'nl-NL', 'Vraag om deze dag', 'Ja, akkoord'],
    ['en', 'en-GB', 'Ask for this day', 'Yes, agreed'],
  ])('asks for another day and accepts the organisation’s (%s)', async (lang, locale, ask, accept) => {
    const c = await createCase(sys, 'waste-collection', staff);
    const opened = step(await stepOpen(sys, c.caseId, 'present', staff), 'present');
    const page = await newPage(locale);
    await page.goto(`${sys.url}/c/${c.linkToken}?lang=${lang}`);
    await checkPage(page, `citizen-proposals-form-${lang}`);
    // The day (a native date field), the reason by keyboard, then Tab to the button of the same form.
    await page.fill('#propose-day-present', dayAfter(opened.dueAt, 2));
    await page.focus('#propose-reason-present');
    await page.keyboard.type('Op vakantie');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(ask);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const asked = (await getCase(sys, c.caseId, staff)).proposals as Loose[];
    expect(asked).toEqual([
      expect.objectContaining({ by: 'citizen', status: 'OPEN', reason: 'Op vakantie' }),
    ]);
    await checkPage(page, `citizen-proposals-waiting-${lang}`);

    await sys.request('POST', `/cases/${c.caseId}/proposals/${asked[0].proposalId}`, {
      token: staff,
      json: { accept: false },
    });
    const other = await sys.request('POST', `/cases/${c.caseId}/steps/collect/proposals`, {
      token: staff,
      json: { dueAt: dayAfter(opened.dueAt, 1), reason: 'Route verlegd' },
    });
    expect(other.status).toBe(201);
    await page.reload();
    await checkPage(page, `citizen-proposals-answer-${lang}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: accept }).click()]);
    const view = await getCase(sys, c.caseId, staff);
    expect((view.proposals as Loose[]).map((p) => p.status)).toEqual(['DECLINED', 'ACCEPTED']);
    await checkPage(page, `citizen-proposals-answered-${lang}`);
  });
});
