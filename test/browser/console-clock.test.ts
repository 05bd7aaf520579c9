/**
 * The console's sign-in on the fast-forwarded clock: the local managed login issues its tokens on the
 * engine clock and the console function checks them (and its sessions) on the same clock, so after
 * POST /local/clock moves 30 days on the session has expired, as it would have, and signing in again
 * works (local/runtime/clock.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSystem, prepareAssembly } from '../e2e/harness';
import { launchChromium } from './browser';

const ORG = 'gemeente-klok';
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

async function signIn(page: Page): Promise<void> {
  await page.goto(`${sys.url}/console`);
  expect(new URL(page.url()).pathname).toBe('/local/oauth/oauth2/authorize');
  await page.fill('#org', ORG);
  await page.selectOption('#kind', 'municipality');
  await page.click('button[type=submit]');
  expect(new URL(page.url()).pathname).toBe('/console');
  await expect(page.locator('h1').textContent()).resolves.toBe('Diensten');
}

describe('console sign-in on the fast-forwarded clock', () => {
  it('a session ends with the engine clock, and signing in again works 30 days on', async () => {
    const context = await browser.newContext({ locale: 'nl-NL' });
    const page = await context.newPage();
    await signIn(page);

    await sys.advance(600); // within the session (as long as the sign-in token: an hour)
    await page.goto(`${sys.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console');

    await sys.advance(30 * 86_400);
    await signIn(page); // the old session is over: back to the login, and in again
    await page.goto(`${sys.url}/console/services/waste-collection`);
    expect(new URL(page.url()).pathname).toBe('/console/services/waste-collection');
    await context.close();
  });
});
