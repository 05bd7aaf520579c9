/// <reference lib="dom" />
/**
 * A round in the caseworker console, in a real browser against the real local runtime: the round is
 * created, uploaded and started through the HTTP API (as the CLI does), and the console shows it
 * starting (progress bar), then where its cases are (spread over the stages); a rejected round says
 * why and what to do. axe-core WCAG 2.1 A/AA, no sideways scrolling at 360 px, screenshots.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSystem, type Loose, prepareAssembly } from '../e2e/harness';
import { checkPage, launchChromium } from './browser';

const ORG = 'gemeente-rondes';
/** Big enough that starting its cases takes a moment, so the page catches the round running. */
const ROWS = 400;
let sys: LocalSystem;
let browser: Browser;
let api: string;

beforeAll(async () => {
  await prepareAssembly();
  [sys, browser] = await Promise.all([LocalSystem.start(), launchChromium()]);
  api = sys.token(ORG);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sys?.dispose();
});

const check = (page: Page, name: string) => checkPage(page, `console-round-${name}`);

/** A waste-collection file: `rows` good households, then the given bad lines. */
function csv(rows: number, bad: string[] = []): string {
  const lines = ['reference,name,phone,email,locale,address,collectionDate'];
  for (let i = 1; i <= rows; i++)
    lines.push(
      `HH-${i},Huishouden ${i},0612${String(i).padStart(6, '0')},,nl,"Dorpsstraat ${i}, Utrecht",2026-12-01`,
    );
  return `${[...lines, ...bad].join('\r\n')}\r\n`;
}

/** What `npm run round -- start` does: create (or reuse) the round, PUT the file, start it. */
async function startRound(name: string, body: string, onInvalid: 'skip' | 'reject'): Promise<string> {
  const created = await sys.request('POST', '/rounds', {
    token: api,
    json: { serviceId: 'waste-collection', name, onInvalid },
  });
  expect(created.status, created.text).toBe(201);
  const upload = created.json.upload as Loose;
  const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body });
  expect(put.status, await put.text()).toBe(200);
  const started = await sys.request('POST', `/rounds/${created.json.roundId}/start`, { token: api });
  expect(started.status, started.text).toBe(202);
  return String(created.json.roundId);
}

async function signIn(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(sys.url)) throw new Error(`third-party request: ${r.url()}`);
  });
  await page.goto(`${sys.url}/console`);
  await page.fill('#org', ORG);
  await page.selectOption('#kind', 'municipality');
  await page.click('button[type=submit]');
  expect(new URL(page.url()).pathname).toBe('/console');
  return { context, page };
}

describe('rounds in the caseworker console', () => {
  it('shows a round starting, updating by itself on request, then its cases over the stages', async () => {
    const { context, page } = await signIn();
    const bad = [`HH-X1,Fout,12345,,nl,Dorpsstraat 1,2026-12-01`, `HH-X2,Fout,0612999999,,nl,,2026-12-01`];
    const roundId = await startRound('Wijk Noord', csv(ROWS, bad), 'skip');

    await page.goto(`${sys.url}/console/rounds/${roundId}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Ronde: Wijk Noord');
    const running = await page.locator('progress#round-progress').count();
    expect(running, 'the round had finished before the page was first shown').toBe(1);
    // The bar has a name and a text equivalent, and there is no self-refresh unless asked for.
    await expect(page.locator('label[for=round-progress]').textContent()).resolves.toBeTruthy();
    await expect(page.locator('#round-progress-text').textContent()).resolves.toMatch(
      /^(\d[\d.]* regels gecontroleerd|Bestand wordt gecontroleerd|[\d.]+ van [\d.]+ zaken gestart)$/,
    );
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0);
    await check(page, 'progress');

    // Opting in: the page reloads itself every 3 seconds (a meta refresh; the CSP forbids scripts)
    // and stops doing so when the round has started all its cases.
    await page.click(`a[href="/console/rounds/${roundId}?auto=1"]`);
    await page.waitForURL(/\?auto=1$/);
    const stillRunning = (await page.locator('progress').count()) === 1;
    if (stillRunning) expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(1);
    let loads = 0;
    page.on('load', () => loads++);
    await page.waitForSelector('#spread', { timeout: 120_000 });
    // Nothing but the meta refresh reloaded the page.
    if (stillRunning) expect(loads).toBeGreaterThan(0);
    expect(new URL(page.url()).search).toBe('?auto=1');
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0);
    expect(await page.locator('progress').count()).toBe(0);
    await expect(page.locator('.utrecht-status-badge').first().textContent()).resolves.toBe('Gestart');
    const stageRows = await page.locator('#spread ~ .cp-table tbody th').allTextContents();
    // A case that has not entered its first stage yet comes first, under its own label.
    expect(stageRows.filter((l) => l !== 'Nog niet in een fase')).toEqual([
      'Aanbieden en ophalen',
      'Hoe ging het samen?',
      'Mislukt',
      'Afgerond',
      'Verlopen',
      'Gestopt',
    ]);
    const counts = await page.locator('#spread ~ .cp-table tbody td').allTextContents();
    expect(counts.map((c) => Number(c.replace(/\./g, ''))).reduce((a, b) => a + b, 0)).toBe(ROWS);
    const counter = (label: string) =>
      page.locator(`.cp-counters tr:has(th:text-is("${label}")) td`).textContent();
    await expect(counter('Zaken gestart')).resolves.toBe(ROWS.toLocaleString('nl-NL'));
    await expect(counter('Afgekeurd')).resolves.toBe('2');
    await expect(page.locator('#row-errors ~ .cp-table tbody tr').count()).resolves.toBe(2);
    await page.goto(`${sys.url}/console/rounds/${roundId}`);
    await check(page, 'started');

    await page.goto(`${sys.url}/console/services/waste-collection`);
    await page.click('a[href="/console/services/waste-collection/rounds"]');
    await expect(page.locator(`a[href="/console/rounds/${roundId}"]`).textContent()).resolves.toBe(
      'Wijk Noord',
    );
    await check(page, 'list');
    await context.close();
  });

  it('says why a round was rejected and what to do next, in English too', async () => {
    const { context, page } = await signIn();
    const roundId = await startRound(
      'Wijk Zuid',
      csv(5, ['HH-1,Dubbel,0612000099,,nl,Kerkplein 2,2026-12-01']),
      'reject',
    );
    await page.goto(`${sys.url}/console/rounds/${roundId}?auto=1`);
    await page.waitForSelector('.notice.alert', { timeout: 60_000 });
    await expect(page.locator('.utrecht-status-badge').first().textContent()).resolves.toBe('Afgewezen');
    await expect(page.locator('.notice.alert').textContent()).resolves.toContain('dezelfde naam');
    await expect(page.locator('.cp-code').first().textContent()).resolves.toBe(
      "npm run round -- start waste-collection FILE.csv --name 'Wijk Zuid'",
    );
    await expect(page.locator('#row-errors ~ .cp-table tbody td').nth(1).textContent()).resolves.toBe(
      'reference',
    );
    await page.goto(`${sys.url}/console/rounds/${roundId}?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.locator('.notice.alert').textContent()).resolves.toContain('same name');
    await check(page, 'rejected-en');
    await context.close();
  });
});
