import { describe, expect, it } from 'vitest';
import { caseStatus, citizenWeb, createCase, ORG, provider, step, stepOpen } from './cases';
import { answers } from './forms';
import type { LocalSystem, Loose } from './harness';
import { withLocalSystem } from './setup';

// "It is not done", end to end over HTTP: a waste collection run to COMPLETED, reopened by the
// citizen inside its 14-day window, runs its collection stage again in a new execution and completes
// again; reopening a case that is not completed (or twice at once) changes it at most once.

const DAY = 86_400;
let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

/** Both partners' steps of one whole waste collection, from the collection stage on. */
async function runToCompletion(caseId: string, linkToken: string): Promise<Loose> {
  await stepOpen(sys, caseId, 'present', staff);
  expect((await citizenWeb(sys, linkToken, 'present', answers('waste-collection', 'present'))).status).toBe(
    303,
  );
  await stepOpen(sys, caseId, 'collect', staff);
  expect((await provider(sys, caseId, 'collect', staff, answers('waste-collection', 'collect'))).status).toBe(
    200,
  );
  await stepOpen(sys, caseId, 'household-feedback', staff);
  const feedback = answers('waste-collection', 'household-feedback', { satisfied: 'ja' });
  expect((await citizenWeb(sys, linkToken, 'household-feedback', feedback)).status).toBe(303);
  await stepOpen(sys, caseId, 'municipality-feedback', staff);
  const last = answers('waste-collection', 'municipality-feedback');
  expect((await provider(sys, caseId, 'municipality-feedback', staff, last)).status).toBe(200);
  return caseStatus(sys, caseId, staff, 'COMPLETED');
}

const reopenedEvents = (view: Loose) => (view.events as Loose[]).filter((e) => e.type === 'CASE_REOPENED');

describe('reopening a completed case, end to end', () => {
  it('the citizen reopens it inside the window: ACTIVE at the collection stage, and it completes again', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await runToCompletion(c.caseId, c.linkToken);

    // The page offers the form now that the case is completed.
    const page = await sys.request('GET', `/c/${c.linkToken}`);
    expect(page.text).toContain(`action="/c/${c.linkToken}/reopen`);

    const res = await sys.request('POST', `/c/${c.linkToken}/reopen`, {
      json: { reason: 'De container is niet geleegd' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ caseId: c.caseId, status: 'ACTIVE', stage: 'round' });

    const reopened = await stepOpen(sys, c.caseId, 'present', staff);
    expect(reopened.status).toBe('ACTIVE');
    expect(reopened.stage).toBe('round');
    expect(step(reopened, 'present').status).toBe('OPEN');
    // Staff see who reopened it and why; the citizen sees it in their own history too.
    expect(reopenedEvents(reopened)).toEqual([
      expect.objectContaining({
        actor: 'citizen',
        detail: expect.objectContaining({ reason: 'De container is niet geleegd', stageId: 'round' }),
      }),
    ]);
    const own = await sys.request('GET', `/c/${c.linkToken}`, { headers: { accept: 'application/json' } });
    expect(reopenedEvents(own.json)).toEqual([
      expect.objectContaining({
        actor: 'citizen',
        detail: { reason: 'De container is niet geleegd', stageId: 'round' },
      }),
    ]);

    const done = await runToCompletion(c.caseId, c.linkToken);
    expect(reopenedEvents(done)).toHaveLength(1);
    expect((done.steps as Loose[]).every((s) => s.status === 'DONE')).toBe(true);
  });

  it('answers 409 for a case that is not completed, and of two reopenings at once exactly one counts', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    const early = await sys.request('POST', `/cases/${c.caseId}/reopen`, {
      token: staff,
      json: { reason: 'Nog niet klaar' },
    });
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ error: { code: 'CASE_NOT_COMPLETED' } });

    await runToCompletion(c.caseId, c.linkToken);
    const [byCitizen, byStaff] = await Promise.all([
      sys.request('POST', `/c/${c.linkToken}/reopen`, { json: { reason: 'Burger: niet geleegd' } }),
      sys.request('POST', `/cases/${c.caseId}/reopen`, {
        token: staff,
        json: { reason: 'Gemeente: overgeslagen' },
      }),
    ]);
    expect([byCitizen.status, byStaff.status].sort()).toEqual([200, 409]);
    const view = await stepOpen(sys, c.caseId, 'present', staff);
    expect(reopenedEvents(view)).toHaveLength(1);
    expect(view.status).toBe('ACTIVE');
  });

  // The window counts on the functions' clock, which is the engine's (POST /local/clock moves both).
  it('reopens inside the 14-day window on the fast-forwarded clock, and answers 409 after it', async () => {
    const inside = await createCase(sys, 'waste-collection', staff);
    const outside = await createCase(sys, 'waste-collection', staff);
    await runToCompletion(inside.caseId, inside.linkToken);
    await runToCompletion(outside.caseId, outside.linkToken);

    await sys.advance(13 * DAY);
    const late = await sys.request('POST', `/cases/${inside.caseId}/reopen`, {
      token: staff,
      json: { reason: 'Gemeente: toch niet geleegd' },
    });
    expect(late.status).toBe(200);
    expect(late.json).toMatchObject({ caseId: inside.caseId, status: 'ACTIVE', stage: 'round' });

    await sys.advance(2 * DAY); // 15 days after the completion
    const closed = await sys.request('POST', `/c/${outside.linkToken}/reopen`, {
      json: { reason: 'Burger: niet geleegd' },
    });
    expect(closed.status).toBe(409);
    expect(closed.json).toMatchObject({ error: { code: 'REOPEN_WINDOW_CLOSED' } });
    const byStaff = await sys.request('POST', `/cases/${outside.caseId}/reopen`, {
      token: staff,
      json: { reason: 'Gemeente: overgeslagen' },
    });
    expect(byStaff.status).toBe(409);
    const view = await caseStatus(sys, outside.caseId, staff, 'COMPLETED');
    expect(reopenedEvents(view)).toHaveLength(0);
  });
});
