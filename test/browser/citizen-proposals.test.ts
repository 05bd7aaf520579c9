import { describe, expect, it } from 'vitest';
import { createCase, getCase, step, stepOpen } from '../e2e/cases';
import type { Loose } from '../e2e/harness';
import { checkPage, systemAndBrowser } from './browser';

const pages = systemAndBrowser();

const dayAfter = (iso: string, days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(
    new Date(Date.parse(iso) + days * 86_400_000),
  );

describe('negotiated due dates on the citizen page', () => {
  it.each([
    ['nl', 'nl-NL', 'Vraag om deze dag', 'Ja, akkoord'],
    ['en', 'en-GB', 'Ask for this day', 'Yes, agreed'],
  ])('asks for another day and accepts the organisation’s (%s)', async (lang, locale, ask, accept) => {
    const c = await createCase(pages.sys, 'waste-collection', pages.staff);
    const opened = step(await stepOpen(pages.sys, c.caseId, 'present', pages.staff), 'present');
    const page = await pages.newPage(locale);
    await page.goto(`${pages.sys.url}/c/${c.linkToken}?lang=${lang}`);
    await checkPage(page, `citizen-proposals-form-${lang}`);
    // The day (a native date field), the reason by keyboard, then Tab to the button of the same form.
    await page.fill('#propose-day-present', dayAfter(opened.dueAt, 2));
    await page.focus('#propose-reason-present');
    await page.keyboard.type('Op vakantie');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(ask);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const asked = (await getCase(pages.sys, c.caseId, pages.staff)).proposals as Loose[];
    expect(asked).toEqual([
      expect.objectContaining({ by: 'citizen', status: 'OPEN', reason: 'Op vakantie' }),
    ]);
    await checkPage(page, `citizen-proposals-waiting-${lang}`);

    await pages.sys.request('POST', `/cases/${c.caseId}/proposals/${asked[0].proposalId}`, {
      token: pages.staff,
      json: { accept: false },
    });
    const other = await pages.sys.request('POST', `/cases/${c.caseId}/steps/collect/proposals`, {
      token: pages.staff,
      json: { dueAt: dayAfter(opened.dueAt, 1), reason: 'Route verlegd' },
    });
    expect(other.status).toBe(201);
    await page.reload();
    await checkPage(page, `citizen-proposals-answer-${lang}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: accept }).click()]);
    const view = await getCase(pages.sys, c.caseId, pages.staff);
    expect((view.proposals as Loose[]).map((p) => p.status)).toEqual(['DECLINED', 'ACCEPTED']);
    await checkPage(page, `citizen-proposals-answered-${lang}`);
  });
});
