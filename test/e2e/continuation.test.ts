import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedAssembly } from './assembly';
import { caseStatus, citizenWeb, createCase, getCase, ok, provider, step, stepOpen } from './cases';
import { answers, loadCatalogue } from './forms';
import { eventually, LocalSystem, type Loose, prepareAssembly, ROOT } from './harness';

// Issue 9: a case that would outlive one execution (a year, or ~20,000 history events) goes on in a
// new execution at the same position. The real care-plan machine continues only after months of
// rejection loops, so this scenario runs a copy of the synthesized assembly whose time budget before
// a back-jump is 0 seconds: the first rejection of the plan continues in a new execution.

const SVC = 'care-plan';
let sys: LocalSystem;
let staff: string;
let assembly: string;

beforeAll(async () => {
  await prepareAssembly();
  assembly = editedAssembly(process.env.CDK_OUT ?? join(ROOT, 'cdk.out'), (text) =>
    text.replace(
      /(\\"Variable\\":\\"\$\.entry\.seconds\\",\\"NumericGreaterThan\\":)\d+/g,
      (_, rule: string) => `${rule}0`,
    ),
  );
  sys = await LocalSystem.start({ cdkOut: assembly });
  await loadCatalogue(sys);
  staff = sys.token('thuiszorg-e2e', 'care-provider');
}, 300_000);

afterAll(async () => {
  await sys?.dispose();
  rmSync(assembly, { recursive: true, force: true });
});

async function citizen(caseId: string, link: string, stepId: string, overrides: Record<string, string> = {}) {
  await stepOpen(sys, caseId, stepId, staff);
  const res = await citizenWeb(sys, link, stepId, answers(SVC, stepId, overrides));
  expect(ok(res.status), `${stepId}: ${res.status} ${res.text.slice(0, 300)}`).toBe(true);
}

async function staffStep(caseId: string, stepId: string, overrides: Record<string, string> = {}) {
  await stepOpen(sys, caseId, stepId, staff);
  const res = await provider(sys, caseId, stepId, staff, answers(SVC, stepId, overrides));
  expect(res.status, `${stepId}: ${res.text}`).toBe(200);
}

describe('a case that continues in a new execution', () => {
  it('goes on at the stage it was sent back to, as one case, and can be cancelled there', async () => {
    const c = await createCase(sys, SVC, staff);
    await citizen(c.caseId, c.linkToken, 'own-possibilities');
    await staffStep(c.caseId, 'provider-assessment');
    await staffStep(c.caseId, 'propose-plan', { plan: 'plan A' });
    await citizen(c.caseId, c.linkToken, 'accept-plan', { agrees: 'nee', note: 'te weinig uren' });

    // Back in the assessment, now in the case's second execution.
    const back = await stepOpen(sys, c.caseId, 'own-possibilities', staff);
    expect(back.caseId).toBe(c.caseId);
    expect(back.stage).toBe('assessment');
    const continued = (back.events as Loose[]).find((e) => e.type === 'CASE_CONTINUED');
    expect(continued?.detail).toMatchObject({ from: c.caseId, to: `${c.caseId}-2`, stageId: 'assessment' });
    // The earlier answers stay with the case; the step is opened a second time, in the new execution.
    expect(step(back, 'propose-plan').data.plan).toBe('plan A');
    const opened = await eventually(async () => {
      const events = (await getCase(sys, c.caseId, staff)).events as Loose[];
      const found = events.filter((e) => e.type === 'STEP_OPENED' && e.stepId === 'own-possibilities');
      return found.length === 2 ? found : undefined;
    }, 'the second invitation');
    expect(opened.map((e) => e.detail.visit)).toEqual([1, 3]);

    // The new execution carries the case on: answers reach it, and cancelling stops it.
    await citizen(c.caseId, c.linkToken, 'own-possibilities', { ownAbilities: 'koken' });
    await staffStep(c.caseId, 'provider-assessment');
    await stepOpen(sys, c.caseId, 'propose-plan', staff);
    const cancel = await sys.request('POST', `/cases/${c.caseId}/cancel`, {
      token: staff,
      json: { reason: 'e2e: continued case stopped' },
    });
    expect(cancel.status, cancel.text).toBe(200);
    const cancelled = await caseStatus(sys, c.caseId, staff, 'CANCELLED');
    expect(cancelled.status).toBe('CANCELLED');
  });
});
