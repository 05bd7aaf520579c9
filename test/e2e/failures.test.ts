import { describe, expect, it } from 'vitest';
import { caseStatus, createCase, getCase, ORG, openPage, provider, stepOpen } from './cases';
import { answers } from './forms';
import { eventually, type LocalSystem, type Loose } from './harness';
import { withLocalSystem } from './setup';

// Issue 9: a failure that retries cannot absorb ends the case FAILED for both partners to see, and a
// redrive resumes it where it failed. The failure is forced in the local runtime (POST /local/faults)
// with an error no Retry of the state machine covers.

let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

async function fail(handler: string, times: number, error = 'Forced.Failure') {
  const res = await sys.request('POST', '/local/faults', {
    json: { function: handler, times, error, message: 'forced by the e2e test' },
  });
  expect(res.status, res.text).toBe(201);
}

describe('a case whose workflow fails, end to end over HTTP', () => {
  it('shows FAILED to staff and citizen, and completes after a redrive', async () => {
    // The next open-step invocation (the invitation of the first step) fails for good.
    await fail('open-step', 2);
    const c = await createCase(sys, 'waste-collection', staff);

    await caseStatus(sys, c.caseId, staff, 'FAILED', 20_000);
    // The status is written first, the CASE_FAILED event right after it (case-failure.ts).
    const failed = await eventually(async () => {
      const view = await getCase(sys, c.caseId, staff);
      return (view.events as Loose[]).some((e) => e.type === 'CASE_FAILED') ? view : undefined;
    }, 'the CASE_FAILED event');
    expect(failed.failure).toMatchObject({ error: 'Forced.Failure' });

    // The citizen sees plainly that the organisation's side failed, and can answer nothing meanwhile.
    const page = await openPage(sys, c.linkToken);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/iets mis|went wrong/i);
    expect(page.text).not.toContain('name="_csrf"');
    const json = await sys.request('GET', `/c/${c.linkToken}`, { headers: { accept: 'application/json' } });
    expect(json.json.status).toBe('FAILED');

    // Listed under FAILED for staff.
    const list = await sys.request('GET', '/cases?serviceId=waste-collection&status=FAILED', {
      token: staff,
    });
    expect(list.status).toBe(200);
    expect((list.json.items as Loose[]).map((i) => i.caseId)).toContain(c.caseId);

    // Another organisation cannot redrive it; the own one can, once.
    const other = sys.token('gemeente-anders');
    expect((await sys.request('POST', `/cases/${c.caseId}/redrive`, { token: other })).status).toBe(404);
    const redrive = await sys.request('POST', `/cases/${c.caseId}/redrive`, { token: staff });
    expect(redrive.status, redrive.text).toBe(200);
    expect(redrive.json).toMatchObject({ caseId: c.caseId, status: 'ACTIVE' });
    const again = await sys.request('POST', `/cases/${c.caseId}/redrive`, { token: staff });
    expect(again.status).toBe(409);

    // The failed invitation runs again: the step opens, the SMS goes out, and the case completes.
    await stepOpen(sys, c.caseId, 'present', staff, 20_000);
    await eventually(async () => {
      const sent = (await sys.outbox()).filter((m) => m.to === c.phone);
      return sent.length > 0 ? sent : undefined;
    }, 'the invitation after the redrive');
    expect((await sys.sms(c.phone, 'ja')).status).toBe(200);
    const collect = await provider(sys, c.caseId, 'collect', staff, answers('waste-collection', 'collect'));
    expect(collect.status, collect.text).toBe(200);
    await stepOpen(sys, c.caseId, 'household-feedback', staff);
    expect((await sys.sms(c.phone, 'ja')).status).toBe(200);
    await stepOpen(sys, c.caseId, 'municipality-feedback', staff);
    const last = await provider(
      sys,
      c.caseId,
      'municipality-feedback',
      staff,
      answers('waste-collection', 'municipality-feedback'),
    );
    expect(last.status, last.text).toBe(200);
    const done = await caseStatus(sys, c.caseId, staff, 'COMPLETED', 20_000);
    const types = (done.events as Loose[]).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['CASE_FAILED', 'CASE_REDRIVEN']));
    expect(done.failure).toBeUndefined();
  });

  it('retries a throttled function instead of failing the case', async () => {
    // Two throttles in a row are within the state machine's Retry: the case never fails.
    await fail('open-step', 2, 'Lambda.TooManyRequestsException');
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff, 60_000);
    const view = await getCase(sys, c.caseId, staff);
    expect(view.status).toBe('ACTIVE');
    expect((view.events as Loose[]).map((e) => e.type)).not.toContain('CASE_FAILED');
  });
});
