import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ORG } from '../e2e/cases';
import { loadCatalogue } from '../e2e/forms';
import { LocalSystem, prepareAssembly, ROOT } from '../e2e/harness';

/** Screenshots of every page at phone and desktop width; git ignores the folder. */
export const SHOTS = join(ROOT, 'screenshots');

/** Debian's chromium (playwright-core downloads none), with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * No axe violations for WCAG 2.1 A and AA, no sideways scrolling at 360 px, and screenshots at
 * 360 and 1280 px named `<name>-<width>.png`.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    result.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary}`).join(', ')}`,
    ),
    name,
  ).toEqual([]);
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    if (width === 360)
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBe(360);
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A local runtime and a Chromium shared by one test file, with a staff token and the catalogue loaded. */
export interface SystemAndBrowser {
  sys: LocalSystem;
  staff: string;
  browser: Browser;
  /** A page in a fresh context; a request to any other origin than the app's fails the test. */
  newPage(locale?: string): Promise<Page>;
}

/** Starts both before the file's tests and closes both after them (call at the file's top level). */
export function systemAndBrowser(): SystemAndBrowser {
  const fixture = {
    newPage: async (locale = 'nl-NL') => {
      const context = await fixture.browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      // The pages have no script and no third-party fonts or styles (CSP), so what works here works
      // without JavaScript and without anything from elsewhere.
      page.on('request', (r) => {
        if (!r.url().startsWith(fixture.sys.url)) throw new Error(`third-party request: ${r.url()}`);
      });
      return page;
    },
  } as SystemAndBrowser;
  beforeAll(async () => {
    await prepareAssembly();
    [fixture.sys, fixture.browser] = await Promise.all([LocalSystem.start(), launchChromium()]);
    fixture.staff = fixture.sys.token(ORG);
    await loadCatalogue(fixture.sys);
  }, 300_000);
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.sys?.dispose();
  });
  return fixture;
}
