/// <reference lib="dom" />
/**
 * Every state of a round page in a real browser, made on purpose rather than caught in passing: the
 * console app (functions/console) served in-process over HTTP with its real headers (CSP), reading
 * rounds through the DynamoDB round repository on dynalite. The end-to-end path (API, round machine,
 * console) is console-rounds.test.ts; this one pins the layout of each state: axe-core WCAG 2.1 A/AA,
 * no sideways scrolling at 360 px, screenshots.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/table-keys';
import { consoleApp } from '../../functions/console/app';
import type { ConsoleDeps } from '../../functions/console/deps';
import { consoleErrorPage } from '../../functions/console/error-page';
import { sealSession } from '../../functions/console/session';
import { asset } from '../../functions/pages/assets';
import { DynamoRoundRepository } from '../../functions/rounds/dynamo-rounds';
import type { RoundRecord } from '../../functions/rounds/model';
import { statusOf } from '../../functions/shared/errors';
import { roundRecord } from '../functions/console/round-fakes';
import { MemorySessions, makeDeps, NOW, session } from '../functions/console/support';
import { type LocalTable, localDocumentClient, startDynalite } from '../support/dynalite';
import { fixedClock } from '../support/fakes';
import { checkPage, launchChromium } from './browser';

let table: LocalTable;
let server: Server;
let url = '';
let browser: Browser;
let deps: ConsoleDeps;
const db = () => localDocumentClient(table.endpoint);

/** The console handler's job in a few lines: path below /console, language, errors as pages. */
function serve(d: ConsoleDeps): Server {
  return createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const file = /^\/c\/assets\/(.+)$/.exec(u.pathname)?.[1];
    if (file) {
      const found = asset(file);
      res
        .writeHead(found ? 200 : 404, { 'content-type': found?.type ?? 'text/plain' })
        .end(found?.body ?? '');
      return;
    }
    const lang = u.searchParams.get('lang');
    const locale = lang === 'en' ? 'en' : 'nl';
    try {
      const out = await consoleApp(d, {
        method: req.method ?? 'GET',
        rel: u.pathname.replace(/^\/console/, ''),
        query: Object.fromEntries(u.searchParams),
        body: {},
        cookies: req.headers.cookie ? [req.headers.cookie] : undefined,
        locale,
      });
      res.writeHead(out.statusCode, out.headers).end(out.body);
    } catch (error) {
      const status = statusOf(error);
      res
        .writeHead(status, { 'content-type': 'text/html' })
        .end(consoleErrorPage(status, error, locale, '/console'));
    }
  });
}

beforeAll(async () => {
  [table, browser] = await Promise.all([startDynalite(), launchChromium()]);
  const t = makeDeps();
  deps = {
    ...t.deps,
    clock: fixedClock(NOW),
    rounds: new DynamoRoundRepository(db(), table.tableName, fixedClock(NOW)),
  };
  server = serve(deps);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => server?.close(ok));
  await table?.stop();
});

let n = 0;
async function round(over: Partial<RoundRecord>): Promise<RoundRecord> {
  const record = roundRecord({ roundId: (++n).toString(16).padStart(32, '0'), ...over });
  expect(await deps.rounds.createRound(record)).toBe('created');
  return record;
}

async function open(path: string, locale = 'nl-NL'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  // Signed in: the cookie, and its session held server side (sign-out ends it there).
  const signedIn = session();
  if (deps.sessions instanceof MemorySessions) deps.sessions.keep(deps.vault, signedIn);
  await context.addCookies([{ name: 'cp_session', value: sealSession(deps.vault, signedIn), url }]);
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(url)) throw new Error(`third-party request: ${r.url()}`);
  });
  const res = await page.goto(`${url}${path}`);
  expect(res?.status()).toBe(200);
  return page;
}

/**
 * axe's rule ids for a page that reloads itself every 3 seconds: run right after a load, and again
 * after the next one if a reload cut the run short.
 */
async function axeIds(page: Page): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    await page.waitForEvent('load');
    try {
      const axe = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      return axe.violations.map((v) => v.id);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

const check = (page: Page, name: string) => checkPage(page, `console-round-state-${name}`);

describe('round pages in every state', () => {
  it('waiting for the file, and the list with the command to use', async () => {
    const r = await round({ name: 'Wachtend' });
    let page = await open(`/console/rounds/${r.roundId}`);
    await expect(page.locator('.cp-code').textContent()).resolves.toContain('npm run round -- start');
    await check(page, 'awaiting');
    await page.context().close();
    page = await open('/console/services/waste-collection/rounds');
    await expect(page.locator(`a[href="/console/rounds/${r.roundId}"]`).count()).resolves.toBe(1);
    await check(page, 'list');
    await page.context().close();
  });

  it('checking the file and starting cases: a named bar with words, reloading itself only on request', async () => {
    const checking = await round({ name: 'Controle', status: 'VALIDATING', attempt: 1 });
    let page = await open(`/console/rounds/${checking.roundId}`);
    expect(await page.locator('progress:not([value])').count()).toBe(1);
    await check(page, 'validating');
    await page.context().close();

    const starting = await round({
      name: 'Wijk Oost',
      status: 'STARTING',
      attempt: 1,
      total: 10_000,
      validated: 10_000,
      started: 4_200,
    });
    page = await open(`/console/rounds/${starting.roundId}`);
    const bar = page.locator('#round-progress');
    expect(
      await bar.evaluate((el) => [(el as HTMLProgressElement).value, (el as HTMLProgressElement).max]),
    ).toEqual([4200, 10000]);
    await expect(page.locator('#round-progress-text').textContent()).resolves.toBe(
      '4.200 van 10.000 zaken gestart',
    );
    // The accessible name and description a screen reader announces for the bar.
    const snapshot = await page.locator('main').ariaSnapshot();
    expect(snapshot).toContain('progressbar "Zaken worden gestart"');
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0);
    await check(page, 'starting');

    // Asked for: the meta refresh reloads the page (the CSP blocks scripts, not this), and axe's one
    // finding is the refresh the user turned on.
    await page.click(`a[href$="?auto=1"]`);
    await page.waitForURL(/\?auto=1$/);
    const reloaded = page.waitForEvent('framenavigated', { timeout: 10_000 });
    await deps.rounds.addToCounters(starting.roundId, { started: 800 });
    await reloaded;
    await page.waitForLoadState();
    await expect(page.locator('#round-progress-text').textContent()).resolves.toBe(
      '5.000 van 10.000 zaken gestart',
    );
    expect(await axeIds(page)).toEqual(['meta-refresh']);
    await page.context().close();
  });

  it('rejected: why, what to do, and the first bad rows, in both languages', async () => {
    const r = await round({
      name: 'Wijk Zuid',
      status: 'REJECTED',
      attempt: 1,
      total: 3,
      validated: 1,
      invalid: 2,
      error: '2 rows are invalid and the round was started with onInvalid reject.',
    });
    await deps.rounds.putRowErrors(r.roundId, [
      { line: 3, column: 'phone', reason: 'not a Dutch mobile number' },
      { line: 4, column: 'reference', reason: 'duplicate of line 2' },
    ]);
    for (const [lang, name] of [
      ['', 'rejected-nl'],
      ['?lang=en', 'rejected-en'],
    ] as const) {
      const page = await open(`/console/rounds/${r.roundId}${lang}`);
      await expect(page.locator('#row-errors ~ .cp-table tbody tr').count()).resolves.toBe(2);
      await check(page, name);
      await page.context().close();
    }
  });

  it('failed halfway, and started: the cases spread over the stages', async () => {
    const failed = await round({
      name: 'Wijk West',
      status: 'FAILED',
      attempt: 2,
      total: 6,
      validated: 6,
      started: 0,
      failed: 6,
      error: 'More than 5% of the batches failed (States.ExceedToleratedFailureThreshold).',
    });
    await deps.rounds.putRowFailures(failed.roundId, [
      { line: 2, reference: 'HH-1', reason: 'reference already used in this round with other data' },
    ]);
    let page = await open(`/console/rounds/${failed.roundId}`);
    await check(page, 'failed');
    await page.context().close();

    const started = await round({
      name: 'Wijk Noord',
      status: 'STARTED',
      attempt: 1,
      total: 7,
      validated: 7,
      started: 7,
      completed: 2,
      cancelled: 1,
    });
    const cases: [string, string][] = [
      ['round', 'ACTIVE'],
      ['round', 'ACTIVE'],
      ['feedback', 'ACTIVE'],
      ['', 'ACTIVE'],
      ['feedback', 'COMPLETED'],
      ['feedback', 'COMPLETED'],
      ['round', 'CANCELLED'],
    ];
    const client = db();
    for (const [i, [stage, status]] of cases.entries()) {
      const caseId = `${started.roundId.slice(0, 24)}${String(i).padStart(8, '0')}`;
      const item = { ...keys.case(caseId), ...keys.roundIndex(started.roundId, caseId), status, caseId };
      await client.send(
        new PutCommand({ TableName: table.tableName, Item: stage ? { ...item, stage } : item }),
      );
    }
    page = await open(`/console/rounds/${started.roundId}`);
    const labels = await page.locator('#spread ~ .cp-table tbody th').allTextContents();
    const counts = await page.locator('#spread ~ .cp-table tbody td').allTextContents();
    expect(Object.fromEntries(labels.map((l, i) => [l, counts[i]]))).toEqual({
      'Nog niet in een fase': '1',
      'Aanbieden en ophalen': '2',
      'Hoe ging het samen?': '1',
      Mislukt: '0',
      Afgerond: '2',
      Verlopen: '0',
      Gestopt: '1',
    });
    // Bars are as long as their numbers say: the longest two (2) fill the width, 1 is half of it.
    const widths = await page
      .locator('.cp-hbar-fill')
      .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().width)));
    expect(widths[1]).toBe(widths[4]);
    expect(widths[3]).toBeLessThanOrEqual(2);
    expect(widths[5]).toBeLessThanOrEqual(2);
    expect(Math.abs((widths[0] as number) * 2 - (widths[1] as number))).toBeLessThanOrEqual(1);
    await check(page, 'started');
    await page.context().close();
  });
});
