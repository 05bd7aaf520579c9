/// <reference lib="dom" />
/**
 * The citizen page in a real browser (Debian's chromium through playwright-core) against the real
 * local runtime: keyboard only, both languages, field errors, axe-core WCAG 2.1 A/AA on every state,
 * and screenshots at phone and desktop width in screenshots/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { caseStatus, citizenWeb, createCase, provider, stepOpen } from '../e2e/cases';
import { answers } from '../e2e/forms';
import { checkPage, systemAndBrowser } from './browser';

const pages = systemAndBrowser();

/** Presses Tab until the element matching `selector` has focus; fails if it never does. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const check = (page: Page, name: string) => checkPage(page, `citizen-${name}`);

async function openCase() {
  const c = await createCase(pages.sys, 'waste-collection', pages.staff);
  await stepOpen(pages.sys, c.caseId, 'present', pages.staff);
  return c;
}

const providerLane = (page: Page) => page.locator('.cp-lane').nth(1);

describe('citizen page in a browser', () => {
  it('a citizen answers with the keyboard alone and sees the provider act', async () => {
    const c = await openCase();
    const page = await pages.newPage();
    await page.goto(`${pages.sys.url}/c/${c.linkToken}`);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    // The NL Design System stylesheet is applied: lanes side by side on a wide screen, stacked on a phone.
    const columns = () =>
      page.evaluate(
        () => getComputedStyle(document.querySelector('.cp-lanes') as Element).gridTemplateColumns,
      );
    expect((await columns()).split(' ')).toHaveLength(2);
    await page.setViewportSize({ width: 360, height: 800 });
    expect((await columns()).split(' ')).toHaveLength(1);
    await page.setViewportSize({ width: 1280, height: 900 });
    await check(page, 'open-nl');
    await tabTo(page, '#f-present-presented-0');
    // Visible focus: the focused control has an outline.
    expect(
      await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle),
    ).not.toBe('none');
    await page.keyboard.press('Space');
    await tabTo(page, '#f-present-note');
    await page.keyboard.type('Container stond om 7 uur buiten');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=present/);
    expect(await page.locator('[role=status]').textContent()).toContain('Dank u');
    expect(await page.locator('#step-present').textContent()).toContain('Container stond om 7 uur buiten');
    // No step form left (the form that lets someone help stays while the case runs).
    expect(await page.locator('.cp-step form').count()).toBe(0);
    await check(page, 'confirmation-nl');

    const collect = await stepOpen(pages.sys, c.caseId, 'collect', pages.staff);
    expect(collect).toBeDefined();
    await page.reload();
    expect(await providerLane(page).locator('#step-collect .utrecht-status-badge').textContent()).toBe(
      'Open',
    );
    const done = await provider(
      pages.sys,
      c.caseId,
      'collect',
      pages.staff,
      answers('waste-collection', 'collect'),
    );
    expect(done.status).toBe(200);
    await page.reload();
    expect(await providerLane(page).locator('#step-collect .utrecht-status-badge').textContent()).toBe(
      'Klaar',
    );
    await page.context().close();
  });

  it('does the same in English, chosen with the language switch', async () => {
    const c = await openCase();
    const page = await pages.newPage();
    await page.goto(`${pages.sys.url}/c/${c.linkToken}`);
    await tabTo(page, 'a[hreflang=en]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('.cp-lane h3').first().textContent()).toBe('What you do');
    await check(page, 'open-en');
    // Tab enters the radio group at its first option; the arrow key moves to (and picks) the next.
    await tabTo(page, '#f-present-presented-0');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#f-present-presented-1')).toBe(true);
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=present/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('[role=status]').textContent()).toContain('Thank you');
    expect(await page.locator('#step-present dd').first().textContent()).toBe('No');
    await check(page, 'confirmation-en');
    await page.context().close();
  });

  it('shows the field error, linked from the summary, and keeps what was typed', async () => {
    const c = await openCase();
    const page = await pages.newPage('en-GB');
    await page.goto(`${pages.sys.url}/c/${c.linkToken}`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.fill('#f-present-note', 'I typed this first');
    await page.click('button[type=submit]');
    await page.waitForSelector('#errors');
    const radio = page.locator('#f-present-presented-0');
    expect(await page.locator('fieldset[aria-invalid=true]').getAttribute('aria-describedby')).toBe(
      'f-present-presented-error',
    );
    expect(await page.locator('#f-present-presented-error').textContent()).toBe('This field is required.');
    expect(await page.inputValue('#f-present-note')).toBe('I typed this first');
    await check(page, 'error-en');
    // Focus is on the summary, so the next Tab is its link, which takes keyboard users to the field.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('errors');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.matches('#errors a') ?? false)).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    expect(await radio.isChecked()).toBe(true);
    await page.context().close();
  });

  it('reopens a completed case with the keyboard: the form, then who reopened it and why', async () => {
    const c = await openCase();
    const answer = (stepId: string) => answers('waste-collection', stepId);
    await citizenWeb(pages.sys, c.linkToken, 'present', answer('present'));
    await stepOpen(pages.sys, c.caseId, 'collect', pages.staff);
    await provider(pages.sys, c.caseId, 'collect', pages.staff, answer('collect'));
    await stepOpen(pages.sys, c.caseId, 'household-feedback', pages.staff);
    await citizenWeb(pages.sys, c.linkToken, 'household-feedback', answer('household-feedback'));
    await stepOpen(pages.sys, c.caseId, 'municipality-feedback', pages.staff);
    await provider(
      pages.sys,
      c.caseId,
      'municipality-feedback',
      pages.staff,
      answer('municipality-feedback'),
    );
    await caseStatus(pages.sys, c.caseId, pages.staff, 'COMPLETED');
    const page = await pages.newPage();
    await page.goto(`${pages.sys.url}/c/${c.linkToken}`);
    await check(page, 'reopen-form');
    await tabTo(page, '#reopen-reason');
    await page.keyboard.type('De container is niet geleegd');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#case-reopened');
    expect(await page.locator('#case-reopened').textContent()).toContain('De container is niet geleegd');
    await check(page, 'reopened');
    await page.context().close();
  });

  it('explains an unknown link', async () => {
    const page = await pages.newPage();
    const res = await page.goto(`${pages.sys.url}/c/${'A'.repeat(22)}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Niet gevonden');
    await check(page, 'unknown-link');
    await page.context().close();
  });
});
