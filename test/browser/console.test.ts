/// <reference lib="dom" />
/**
 * The caseworker console in a real browser (Debian's chromium through playwright-core) against the
 * real local runtime: sign-in through the local managed login (OAuth code flow with PKCE), start a
 * case, act on a provider step, see its processing log and the chart; axe-core WCAG 2.1 A/AA on every console page and
 * screenshots at phone and desktop width in screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepOpen } from '../e2e/cases';
import { LocalSystem, prepareAssembly } from '../e2e/harness';
import { checkPage, launchChromium } from './browser';

const ORG = 'gemeente-console';
let sys: LocalSystem;
let browser: Browser;

beforeAll(async () => {
  await prepareAssembly();
  [sys, browser] = await Promise.all([LocalSystem.start(), launchChromium()]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sys?.dispose();
});

const check = (page: Page, name: string) => checkPage(page, `console-${name}`);

describe('caseworker console in a browser', () => {
  it('a caseworker signs in, starts a case, acts on a provider step and sees the chart', async () => {
    const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(sys.url)) throw new Error(`third-party request: ${r.url()}`);
    });

    // Without a session the console sends the browser to the (local) managed login.
    await page.goto(`${sys.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/local/oauth/oauth2/authorize');
    expect(new URL(page.url()).searchParams.get('code_challenge_method')).toBe('S256');
    await page.fill('#org', ORG);
    await page.selectOption('#kind', 'municipality');
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/console');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'cp_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await expect(page.locator('h1').textContent()).resolves.toBe('Diensten');
    await check(page, 'home');

    await page.click('a[href="/console/services/waste-collection/new"]');
    await check(page, 'start');
    await page.fill('#name', 'Piet Jansen');
    await page.fill('#phone', '0612345600');
    await page.fill('#f-context-address', 'Dorpsstraat 1, Utrecht');
    await page.fill('#f-context-collectionDate', '2026-12-01');
    await page.fill('#reference', 'BR-1');
    await page.click('form[action$="/cases"] button[type=submit]');
    const caseId = /\/console\/cases\/([0-9a-f]{32})/.exec(page.url())?.[1] as string;
    expect(caseId).toBeTruthy();
    await expect(page.locator('.cp-citizen-link a').textContent()).resolves.toMatch(/\/c\/[A-Za-z0-9_-]+$/);

    await stepOpen(sys, caseId, 'collect', sys.token(ORG));
    await page.reload();
    await check(page, 'case-open');
    // A colleague's tab, open on the same case before the answer below is sent.
    const colleague = await context.newPage();
    await colleague.goto(`${sys.url}/console/cases/${caseId}`);
    // Keyboard only: the first answer of the provider's form, then send.
    await page.focus('#f-collect-collected-0');
    await page.keyboard.press('Space');
    await page.focus('#step-collect button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/notice=saved/);
    await expect(page.locator('#step-collect .utrecht-status-badge').textContent()).resolves.toBe('Klaar');
    await check(page, 'case-saved');
    // The colleague answers too: refused on the case itself, with focus on why and what was typed kept.
    await colleague.check('#f-collect-collected-1');
    await colleague.fill('#f-collect-note', 'Container stond er niet');
    const [refused] = await Promise.all([
      colleague.waitForResponse((r) => r.request().method() === 'POST'),
      colleague.click('#step-collect button[type=submit]'),
    ]);
    expect(refused.status()).toBe(409);
    await expect(colleague.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe(
      'alert',
    );
    const box = (await colleague.locator('[role=alert]').textContent()) ?? '';
    expect(box).toContain('door u of een collega');
    expect(box).toContain('Container stond er niet');
    await check(colleague, 'case-refused');
    await colleague.close();
    // The organisation by its name, and the history in words rather than the log's codes.
    await expect(page.locator('.cp-brand').textContent()).resolves.toBe(
      'Behandelaarsconsole · Gemeente Console',
    );
    const history = (await page.locator('section[aria-labelledby=history] tbody').textContent()) ?? '';
    expect(history).toContain('Zaak gestart door Gemeente Console');
    expect(history).toContain('ingevuld door Gemeente Console in de console');
    expect(history).not.toMatch(/CASE_|STEP_|SMS_|provider|system/);
    // The whole processing log has a page of its own (the case page shows the newest lines).
    await page.goto(`${sys.url}/console/cases/${caseId}/processing`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Verwerkingslog');
    await expect(page.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(2);
    await check(page, 'processing');

    await page.goto(`${sys.url}/console/services/waste-collection`);
    await expect(page.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(1);
    await check(page, 'list');
    // At 1280 px every column header stays on one line, however much the lanes hold: no header breaks
    // inside a word ("Sta-tus"). Long lane text (many steps, long titles) is what squeezes the short columns.
    await page.$$eval('tbody td', (cells) => {
      for (const cell of cells)
        cell.insertAdjacentHTML('beforeend', `<p>${'Afval aangeboden? '.repeat(40)}</p>`);
    });
    const headerLines = await page.$$eval('thead th', (cells) =>
      cells.map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return [cell.textContent, new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size];
      }),
    );
    expect(headerLines.filter(([, lines]) => lines !== 1)).toEqual([]);

    await page.goto(`${sys.url}/console/services/waste-collection/chart?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.locator('svg[role=img]').count()).resolves.toBe(2);
    await check(page, 'chart');
    await context.close();
  });
});
