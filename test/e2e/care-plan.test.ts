import { describe, expect, it } from 'vitest';
import { caseStatus, citizenWeb, createCase, getCase, ok, openPage, provider, step, stepOpen } from './cases';
import { answers } from './forms';
import { eventually, type LocalSystem } from './harness';
import { withLocalSystem } from './setup';

const SVC = 'care-plan';
let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token('thuiszorg-e2e', 'care-provider');
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

describe('care plan, end to end over HTTP', () => {
  it('loops back to the assessment when the patient rejects the plan, then completes', async () => {
    const c = await createCase(sys, SVC, staff);
    await citizen(c.caseId, c.linkToken, 'own-possibilities', { ownAbilities: 'koken, wassen' });
    await staffStep(c.caseId, 'provider-assessment');
    await staffStep(c.caseId, 'propose-plan', { plan: 'plan A' });
    await citizen(c.caseId, c.linkToken, 'accept-plan', { agrees: 'nee', note: 'te weinig uren' });

    // Back in the assessment: both assessment steps are open again, as a second visit.
    const back = await stepOpen(sys, c.caseId, 'own-possibilities', staff);
    expect(back.stage).toBe('assessment');
    expect(back.status).toBe('ACTIVE');
    // Both sides still read what was answered the last time, as such.
    expect(step(back, 'own-possibilities').earlierData.ownAbilities).toBe('koken, wassen');
    await citizen(c.caseId, c.linkToken, 'own-possibilities', { ownAbilities: 'koken' });
    await staffStep(c.caseId, 'provider-assessment');
    const rewriting = await stepOpen(sys, c.caseId, 'propose-plan', staff);
    expect(step(rewriting, 'propose-plan').earlierData.plan).toBe('plan A');
    expect(step(rewriting, 'accept-plan')).toMatchObject({
      status: 'PENDING',
      earlierData: { agrees: false, note: 'te weinig uren' },
    });
    expect(step(rewriting, 'accept-plan').data).toBeUndefined();
    // Refused as the views show it: not reached yet, rather than the last visit's DONE.
    const early = await sys.request('POST', `/c/${c.linkToken}/steps/accept-plan`, {
      json: { data: { agrees: true } },
    });
    expect([early.status, early.json.error.details.status]).toEqual([409, 'PENDING']);
    const page = await openPage(sys, c.linkToken);
    expect(page.text).toContain('Antwoord van de vorige keer:');
    expect(page.text).toContain('te weinig uren');
    await staffStep(c.caseId, 'propose-plan', { plan: 'plan B' });
    await citizen(c.caseId, c.linkToken, 'accept-plan', { agrees: 'ja' });

    const view = await stepOpen(sys, c.caseId, 'patient-evaluation', staff);
    expect(view.stage).toBe('evaluation');
    expect(step(view, 'propose-plan').data.plan).toBe('plan B');
    await citizen(c.caseId, c.linkToken, 'patient-evaluation');
    await staffStep(c.caseId, 'provider-evaluation');
    await citizen(c.caseId, c.linkToken, 'patient-feedback');
    await staffStep(c.caseId, 'provider-feedback');
    const done = await caseStatus(sys, c.caseId, staff, 'COMPLETED');
    const opened = (done.events as { type: string; stepId?: string }[]).filter(
      (e) => e.type === 'STEP_OPENED' && e.stepId === 'own-possibilities',
    );
    expect(opened).toHaveLength(2);
  });

  it('asks the patient to agree only once the plan exists: no invitation, web answer or SMS before', async () => {
    const c = await createCase(sys, SVC, staff);
    await citizen(c.caseId, c.linkToken, 'own-possibilities');
    await staffStep(c.caseId, 'provider-assessment');
    const writing = await stepOpen(sys, c.caseId, 'propose-plan', staff);
    expect(step(writing, 'accept-plan').status).toBe('PENDING');

    const early = await citizenWeb(
      sys,
      c.linkToken,
      'accept-plan',
      answers(SVC, 'accept-plan', { agrees: 'ja' }),
    );
    expect(early.status).toBe(409);
    expect((await sys.sms(c.phone, 'JA')).status).toBe(200);
    const review = (m: { to: string; body: string }) =>
      m.to === c.phone && m.body.includes('zorgplan klaar. Akkoord? Antwoord');
    expect((await sys.outbox()).filter(review)).toEqual([]);
    const still = await getCase(sys, c.caseId, staff);
    expect(step(still, 'accept-plan').status).toBe('PENDING');
    expect(still.stage).toBe('agreement');

    await staffStep(c.caseId, 'propose-plan', { plan: 'plan A' });
    await stepOpen(sys, c.caseId, 'accept-plan', staff);
    const invited = await eventually(async () => {
      const found = (await sys.outbox()).filter(review);
      return found.length > 0 ? found : undefined;
    }, 'the invitation to review the plan');
    expect(invited).toHaveLength(1);
    expect((await sys.sms(c.phone, 'JA')).status).toBe(200);
    const agreed = await stepOpen(sys, c.caseId, 'patient-evaluation', staff);
    expect(step(agreed, 'accept-plan')).toMatchObject({
      status: 'DONE',
      channel: 'sms',
      data: { agrees: true },
    });
  });
});
