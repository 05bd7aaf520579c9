/// <reference lib="dom" />
/**
 * Delegation in a real browser (Debian's chromium through playwright-core) against the real local
 * runtime: the citizen hands a step to a helper with the plain form (no JavaScript), the link is shown
 * once, the helper's limited page answers that step, the citizen sees who answered and withdraws the
 * link; axe-core WCAG 2.1 A/AA on every new state (both languages for the helper), screenshots in
 * screenshots/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createCase, stepOpen } from '../e2e/cases';
import { checkPage, systemAndBrowser } from './browser';

const pages = systemAndBrowser();

const check = (page: Page, name: string) => checkPage(page, `delegation-${name}`);

describe('letting someone help, in a browser', () => {
  it('the citizen makes a link for one step, the helper answers it, the citizen withdraws the link', async () => {
    const c = await createCase(pages.sys, 'waste-collection', pages.staff);
    await stepOpen(pages.sys, c.caseId, 'present', pages.staff);
    const citizenUrl = `${pages.sys.url}/c/${c.linkToken}`;
    const page = await pages.newPage();
    await page.goto(citizenUrl);
    await expect(page.locator('#delegates h2').textContent()).resolves.toBe('Iemand laten helpen');
    await check(page, 'form-nl');

    // Sent empty: the form comes back with what to fix, next to each field and linked from the top.
    await page.getByRole('button', { name: 'Link maken' }).click();
    await expect(page.locator('#delegate-errors h3').textContent()).resolves.toBe(
      'De link is nog niet gemaakt',
    );
    expect(await page.getAttribute('#delegate-name', 'aria-invalid')).toBe('true');
    // Focus is on what to fix, not at the top of the page.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('delegate-errors');
    await check(page, 'form-errors-nl');

    // The form, by its labels.
    await page.getByLabel('Naam van wie u helpt').fill('Anna de Vries');
    await page.locator('#delegate-step-present').check();
    await page.getByRole('button', { name: 'Link maken' }).click();
    await expect(page.locator('#delegate-created h3').textContent()).resolves.toBe(
      'Link voor Anna de Vries gemaakt',
    );
    const link = await page.getByLabel('De link').inputValue();
    expect(link).toMatch(/\/c\/[A-Za-z0-9_-]{32}$/);
    await expect(page.locator('#delegates li').textContent()).resolves.toContain('Anna de Vries');
    await check(page, 'created-nl');

    // The helper's page: whom they help with what, a form for their step only, none of the rest.
    const helper = await pages.newPage();
    await helper.goto(link);
    await expect(helper.locator('#delegate').textContent()).resolves.toContain('U helpt iemand');
    expect(await helper.locator('#delegates').count()).toBe(0);
    expect(await helper.locator('#processing-log').count()).toBe(0);
    expect(await helper.locator('a[href$="/export"]').count()).toBe(0);
    await check(helper, 'helper-nl');
    await helper.goto(`${link}?lang=en`);
    await expect(helper.locator('#delegate').textContent()).resolves.toContain('You are helping someone');
    await check(helper, 'helper-en');
    await helper.goto(link);
    await helper.locator('#step-present input[type="radio"]').first().check();
    await helper.locator('#step-present button[type="submit"]').click();
    await expect(helper.locator('[role="status"]').last().textContent()).resolves.toContain('Dank u');

    // The citizen sees who answered; then withdraws the link, and the helper's page is gone.
    await stepOpen(pages.sys, c.caseId, 'collect', pages.staff);
    await page.goto(citizenUrl);
    await expect(page.locator('#step-present').textContent()).resolves.toContain(
      'Ingevuld door Anna de Vries, namens u',
    );
    await check(page, 'answered-nl');
    await page.getByRole('button', { name: 'Link van Anna de Vries intrekken' }).click();
    await expect(page.locator('#delegates').textContent()).resolves.toContain('Er helpt nu niemand');
    const gone = await helper.goto(link);
    expect(gone?.status()).toBe(410);
    await check(helper, 'withdrawn-nl');
  }, 180_000);
});
