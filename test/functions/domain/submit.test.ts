import { beforeEach, describe, expect, it, vi } from 'vitest';
import { caseCipher, caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import type { CaseRecord, StepRecord } from '../../../functions/domain/model';
import { PiiVault } from '../../../functions/domain/pii';
import { type SubmitRequest, submitStep } from '../../../functions/domain/submit';
import { type AppError, statusOf } from '../../../functions/shared/errors';
import { FakeEngine, FakeRepository, failure, fixedClock } from '../../support/fakes';
import { MemoryReportTally } from '../reports/memory-tally';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

const vault = new PiiVault('submit-test-key-0123456789abcdefghijklmnop');
const DATA_KEY = newDataKey(vault, caseOwner('case1')).wrapped;

const caseRecord = (over: Partial<CaseRecord> = {}): CaseRecord => ({
  caseId: 'case1',
  serviceId: 'waste-collection',
  org: 'gm0363',
  status: 'ACTIVE',
  stage: 'prepare',
  dataKey: DATA_KEY,
  citizen: { locale: 'nl' },
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
  requestHash: 'h',
  linkExpiresAt: '2026-06-01T09:00:00.000Z',
  ttl: 1_800_000_000,
  ...over,
});

const openStep = (over: Partial<StepRecord> = {}): StepRecord => ({
  caseId: 'case1',
  stepId: 'confirm-address',
  actor: 'citizen',
  status: 'OPEN',
  visit: 1,
  openedAt: '2026-03-01T09:00:00.000Z',
  dueAt: '2026-03-08T09:00:00.000Z',
  expiresAt: '2026-03-15T09:00:00.000Z',
  taskToken: 'token-1',
  reminders: 0,
  escalated: false,
  ...over,
});

const request = (over: Partial<SubmitRequest> = {}): SubmitRequest => ({
  caseId: 'case1',
  stepId: 'confirm-address',
  actor: 'citizen',
  channel: 'web',
  data: { correct: 'ja', note: 'achterom' },
  ...over,
});

describe('submitStep', () => {
  let repo: FakeRepository;
  let engine: FakeEngine;
  const clock = fixedClock('2026-03-02T10:00:00.000Z');
  let deps: { repo: FakeRepository; engine: FakeEngine; clock: typeof clock; vault: PiiVault };

  beforeEach(async () => {
    clock.set('2026-03-02T10:00:00.000Z');
    repo = new FakeRepository();
    engine = new FakeEngine();
    deps = { repo, engine, clock, vault };
    await repo.createCase(caseRecord(), 'link-hash');
    repo.putStep(openStep());
  });

  it('refuses (409 STEP_REOPENED) a form served for an earlier opening of the step, and changes nothing', async () => {
    const error = await failure(submitStep(deps, request({ openedAt: '2026-02-20T09:00:00.000Z' })));
    expect(error.code).toBe('STEP_REOPENED');
    expect(statusOf(error)).toBe(409);
    expect(error.details).toMatchObject({ status: 'OPEN', openedAt: '2026-03-01T09:00:00.000Z' });
    expect((await repo.getStep('case1', 'confirm-address'))?.status).toBe('OPEN');
    expect(engine.completed).toEqual([]);
    expect(repo.events).toEqual([]);
    // A form for this opening, or one that does not say (an API client), is saved.
    await submitStep(deps, request({ openedAt: '2026-03-01T09:00:00.000Z' }));
    expect((await repo.getStep('case1', 'confirm-address'))?.status).toBe('DONE');
  });

  it('marks the step DONE, completes the task with the submission and logs an event', async () => {
    const { step, submission } = await submitStep(deps, request());
    // No outcome rule reads this step: the engine gets none of its answers.
    const expected = {
      stepId: 'confirm-address',
      actor: 'citizen',
      channel: 'web',
      submittedAt: '2026-03-02T10:00:00.000Z',
      data: {},
    };
    expect(submission).toEqual(expected);
    expect(engine.completed).toEqual([{ taskToken: 'token-1', output: expected }]);
    expect(step).toMatchObject({ status: 'DONE', data: { correct: true, note: 'achterom' }, channel: 'web' });
    expect(step).not.toHaveProperty('taskToken');
    expect(step).not.toHaveProperty('dataEnc');
    // Stored sealed with the case's key, and only so.
    const stored = await repo.getStep('case1', 'confirm-address');
    expect(stored?.status).toBe('DONE');
    expect(stored?.data).toBeUndefined();
    expect(stored?.dataEnc).not.toContain('achterom');
    expect(caseCipher(vault, caseRecord()).openJson(stored?.dataEnc)).toEqual({
      correct: true,
      note: 'achterom',
    });
    expect(repo.events).toEqual([
      {
        caseId: 'case1',
        at: '2026-03-02T10:00:00.000Z',
        type: 'STEP_SUBMITTED',
        actor: 'citizen',
        stepId: 'confirm-address',
        channel: 'web',
        detail: { visit: 1 },
      },
    ]);
  });

  it('refuses an unknown case (404) and a closed case (409 CASE_CLOSED)', async () => {
    expect(statusOf(await failure(submitStep(deps, request({ caseId: 'nope' }))))).toBe(404);
    await repo.closeCase('case1', 'CANCELLED');
    const closed = await failure(submitStep(deps, request()));
    expect([statusOf(closed), closed.code, closed.details]).toEqual([
      409,
      'CASE_CLOSED',
      { status: 'CANCELLED' },
    ]);
  });

  it('refuses a step the service does not have (404) and a step of the other actor (403 WRONG_ACTOR)', async () => {
    expect(statusOf(await failure(submitStep(deps, request({ stepId: 'fly-away' }))))).toBe(404);
    const wrong = await failure(submitStep(deps, request({ actor: 'provider' })));
    expect([statusOf(wrong), wrong.code]).toEqual([403, 'WRONG_ACTOR']);
    expect(engine.completed).toHaveLength(0);
  });

  it('refuses a step that is not open: PENDING when not reached, DONE when answered', async () => {
    const pending = await failure(submitStep(deps, request({ stepId: 'put-out', data: { done: true } })));
    expect([statusOf(pending), pending.code, pending.details?.status]).toEqual([
      409,
      'STEP_NOT_OPEN',
      'PENDING',
    ]);
    await submitStep(deps, request());
    const again = await failure(submitStep(deps, request()));
    expect([again.code, again.details?.status]).toEqual(['STEP_NOT_OPEN', 'DONE']);
    expect(engine.completed).toHaveLength(1);
  });

  it('validates the data against the form and names each failing field, saving nothing', async () => {
    const error = await failure(
      submitStep(deps, request({ data: { correct: 'maybe', bins: '9', extra: 1 } })),
    );
    expect(statusOf(error)).toBe(400);
    expect(error.details?.fields).toEqual({
      correct: 'Answer yes or no.',
      bins: 'Enter at most 4.',
      extra: 'This field is not part of the form.',
    });
    expect((await repo.getStep('case1', 'confirm-address'))?.status).toBe('OPEN');
    expect(engine.completed).toHaveLength(0);
  });

  it('lets exactly one of several concurrent submissions through', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => submitStep(deps, request({ data: { correct: i % 2 === 0 } }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as AppError).code);
    expect(ok).toHaveLength(1);
    expect(refused).toEqual(['STEP_NOT_OPEN', 'STEP_NOT_OPEN', 'STEP_NOT_OPEN', 'STEP_NOT_OPEN']);
    expect(engine.completed).toHaveLength(1);
    expect(repo.events.filter((e) => e.type === 'STEP_SUBMITTED')).toHaveLength(1);
  });

  it('reverts the step and answers 409 TOKEN_EXPIRED when the step’s last wait refused the token', async () => {
    // A minute before its expiry: the refused wait may have been the last one (wait-handover.ts).
    repo.putStep(openStep({ expiresAt: '2026-03-02T10:00:30.000Z' }));
    engine.rejected.add('token-1');
    const error = await failure(submitStep(deps, request()));
    expect([statusOf(error), error.code]).toEqual([409, 'TOKEN_EXPIRED']);
    expect(error.message).toMatch(/Nothing was saved/);
    const step = await repo.getStep('case1', 'confirm-address');
    expect(step).toMatchObject({ status: 'OPEN', taskToken: 'token-1' });
    expect(step?.data).toBeUndefined();
    expect(step?.dataEnc).toBeUndefined();
    expect(repo.events).toHaveLength(0);
  });

  it('keeps an answer between two waits of the step (a reminder’s wait next): that wait takes it over', async () => {
    engine.rejected.add('token-1'); // the invite's wait timed out; the expiry is 13 days ahead
    const { step } = await submitStep(deps, request());
    expect(step.status).toBe('DONE');
    expect((await repo.getStep('case1', 'confirm-address'))?.status).toBe('DONE');
    expect(repo.events.map((e) => [e.type, e.stepId])).toEqual([['STEP_SUBMITTED', 'confirm-address']]);
  });

  it('reverts an answer whose token was refused because the case was stopped meanwhile (cancelled)', async () => {
    engine.rejected.add('token-1');
    // The case is read ACTIVE at the start; cancelled before the engine is asked.
    const complete = repo.completeStep.bind(repo);
    repo.completeStep = async (caseId, stored) => {
      const done = await complete(caseId, stored);
      await repo.closeCase('case1', 'CANCELLED');
      return done;
    };
    const error = await failure(submitStep(deps, request()));
    expect([statusOf(error), error.code]).toEqual([409, 'TOKEN_EXPIRED']);
    expect((await repo.getStep('case1', 'confirm-address'))?.status).toBe('OPEN');
    expect(repo.events).toHaveLength(0);
  });

  it('keeps an answer whose wait an accepted proposal just ended: the re-armed wait takes it over', async () => {
    // The proposal's write marked the token (tokenRetimed) before ending its wait with Step.Retimed.
    repo.putStep(openStep({ tokenRetimed: true }));
    engine.rejected.add('token-1');
    const { step } = await submitStep(deps, request());
    expect(step.status).toBe('DONE');
    const stored = await repo.getStep('case1', 'confirm-address');
    expect(stored?.status).toBe('DONE');
    expect(caseCipher(vault, caseRecord()).openJson(stored?.dataEnc)).toEqual({
      correct: true,
      note: 'achterom',
    });
    expect(repo.events.map((e) => [e.type, e.stepId])).toEqual([['STEP_SUBMITTED', 'confirm-address']]);
  });

  it('logs an answer the engine could not take (a throttle): the step stays DONE for open-step to hand over', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    engine.completeTask = async () => {
      throw throttled;
    };
    await expect(submitStep(deps, request())).rejects.toBe(throttled);
    expect((await repo.getStep('case1', 'confirm-address'))?.status).toBe('DONE');
    expect(repo.events.map((e) => [e.type, e.stepId])).toEqual([['STEP_SUBMITTED', 'confirm-address']]);
    // Should the log's write fail as well, the engine's error is still the one reported.
    repo.putStep(openStep());
    repo.appendEvent = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    await expect(submitStep(deps, request())).rejects.toBe(throttled);
  });

  it("writes an answer's event again when it was lost after the engine took the answer, and only once", async () => {
    const append = repo.appendEvent.bind(repo);
    repo.appendEvent = async () => {
      throw Object.assign(new Error('Throughput exceeds the current capacity'), {
        name: 'ProvisionedThroughputExceededException',
      });
    };
    await expect(
      submitStep(deps, request({ actor: 'citizen', submittedBy: 'helper', delegateId: 'd1' })),
    ).rejects.toThrow('capacity');
    expect(engine.completed).toHaveLength(1);
    expect(repo.events).toEqual([]);
    // The submitter tries again: the step is DONE, so it is refused, and the stored answer is logged.
    repo.appendEvent = append;
    const again = await failure(submitStep(deps, request()));
    expect([again.code, again.details?.status]).toEqual(['STEP_NOT_OPEN', 'DONE']);
    const logged = {
      type: 'STEP_SUBMITTED',
      stepId: 'confirm-address',
      actor: 'citizen',
      channel: 'web',
      at: '2026-03-02T10:00:00.000Z',
      detail: { visit: 1, by: 'helper', delegateId: 'd1' },
    };
    expect(repo.events).toEqual([expect.objectContaining(logged)]);
    // Once more: the same item, not a second answer.
    await failure(submitStep(deps, request()));
    expect(repo.events).toEqual([expect.objectContaining(logged)]);
    expect(engine.completed).toHaveLength(1);
  });

  const event = { caseId: 'case1', actor: 'system' as const };
  /** The visit the citizen's step belongs to begins at 09:00. */
  const enterPrepare = () =>
    repo.appendEvent({
      ...event,
      at: '2026-03-02T09:00:00.000Z',
      type: 'STAGE_ENTERED',
      detail: { stageId: 'prepare', visit: 1 },
    });
  /** `work` runs while every event write fails, as a lost write does. */
  const withEventsLost = async (work: () => Promise<unknown>) => {
    const append = repo.appendEvent.bind(repo);
    repo.appendEvent = async () => {
      throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError' });
    };
    try {
      await work();
    } finally {
      repo.appendEvent = append;
    }
  };

  it('tallies a lost answer for the service report on the retry that restores its event, once', async () => {
    const tally = new MemoryReportTally();
    const counted = { ...deps, tally };
    // The provider's side of the visit is done; the citizen's answer completes it.
    await enterPrepare();
    await repo.appendEvent({
      ...event,
      at: '2026-03-02T09:30:00.000Z',
      type: 'STEP_SUBMITTED',
      actor: 'provider',
      stepId: 'plan-route',
      detail: { visit: 1 },
    });
    await withEventsLost(() => expect(submitStep(counted, request())).rejects.toThrow('Internal'));
    expect(tally.rows.size).toBe(0);
    const again = await failure(submitStep(counted, request()));
    expect([again.code, again.details?.status]).toEqual(['STEP_NOT_OPEN', 'DONE']);
    const visits = () => [...tally.rows.values()].map((row) => [row.stageId, row.side, row.counts.visits]);
    // The visit ended with the citizen's answer at 10:00: each side counts it once.
    expect(visits()).toEqual([
      ['prepare', 'citizen', 1],
      ['prepare', 'provider', 1],
    ]);
    await failure(submitStep(counted, request()));
    expect(visits()).toEqual([
      ['prepare', 'citizen', 1],
      ['prepare', 'provider', 1],
    ]);
    expect(repo.events.filter((e) => e.type === 'STEP_SUBMITTED')).toHaveLength(2);
  });

  it("ends a visit at the other side's later answer when a lost answer is counted on its retry", async () => {
    const tally = new MemoryReportTally();
    const counted = { ...deps, tally };
    await enterPrepare();
    // The citizen's answer at 10:00 stands, but its event is lost; the provider answers at 10:30.
    await withEventsLost(() => expect(submitStep(counted, request())).rejects.toThrow('Internal'));
    await repo.appendEvent({
      ...event,
      at: '2026-03-02T10:30:00.000Z',
      type: 'STEP_SUBMITTED',
      actor: 'provider',
      stepId: 'plan-route',
      detail: { visit: 1 },
    });
    // The citizen tries again at 11:00: the answer's event is restored, and the visit counted.
    clock.set('2026-03-02T11:00:00.000Z');
    await failure(submitStep(counted, request()));
    const counts = (side: string) => [...tally.rows.values()].find((row) => row.side === side)?.counts;
    // Both busy from 09:00 to 10:00; then the citizen waited on the provider until 10:30.
    expect(counts('citizen')).toMatchObject({ visits: 1, waited: 1800, shared: 3600 });
    expect(counts('provider')).toMatchObject({ visits: 1, waited: 0, shared: 3600 });
  });

  it('counts the submission when open-step already completed the re-armed step with the stored data', async () => {
    engine.rejected.add('token-1');
    // open-step, seeing the step DONE, re-arms it with a new token and completes that one.
    engine.beforeComplete = () => {
      const s = repo.steps.get('case1/confirm-address');
      if (s) s.taskToken = 'token-2';
    };
    const { step } = await submitStep(deps, request());
    expect(step.status).toBe('DONE');
    expect((await repo.getStep('case1', 'confirm-address'))?.status).toBe('DONE');
    expect(repo.events.map((e) => e.type)).toEqual(['STEP_SUBMITTED']);
  });

  it('answers the wait the step holds at the write, without reading the step first', async () => {
    // A reminder re-armed the step after the page was shown: the answer goes with the new token.
    repo.putStep(openStep({ taskToken: 'token-2', reminders: 1 }));
    const read = vi.spyOn(repo, 'getStep');
    await submitStep(deps, request());
    expect(engine.completed.map((c) => c.taskToken)).toEqual(['token-2']);
    expect(read).not.toHaveBeenCalled();
  });

  it('tries once more when a refused answer reopened the step between the write and the read', async () => {
    const original = repo.completeStep.bind(repo);
    let first = true;
    repo.completeStep = async (...args) => {
      if (!first) return original(...args);
      first = false;
      return undefined; // lost to another answer, which was then refused and reverted
    };
    await submitStep(deps, request());
    expect(engine.completed.map((c) => c.taskToken)).toEqual(['token-1']);
  });

  it('refuses invalid answers to a step that is not open as not open, without storing them', async () => {
    await submitStep(deps, request());
    const error = await failure(submitStep(deps, request({ data: { correct: 'maybe' } })));
    expect([statusOf(error), error.code, error.details?.status]).toEqual([409, 'STEP_NOT_OPEN', 'DONE']);
    const pending = await failure(submitStep(deps, request({ stepId: 'put-out', data: { done: 'maybe' } })));
    expect([statusOf(pending), pending.details?.status]).toEqual([409, 'PENDING']);
  });

  it('records who submitted for provider steps', async () => {
    repo.putStep(openStep({ stepId: 'plan-route', actor: 'provider', taskToken: 'token-p' }));
    const { step } = await submitStep(
      deps,
      request({
        stepId: 'plan-route',
        actor: 'provider',
        channel: 'api',
        submittedBy: 'staff-sub-1',
        data: { day: '2026-03-10', kind: 'gft' },
      }),
    );
    expect(step.submittedBy).toBe('staff-sub-1');
    expect(repo.events[0]?.detail).toEqual({ visit: 1, by: 'staff-sub-1' });
  });

  it('refuses an erased case with 409 CASE_ERASED and stores nothing', async () => {
    await repo.erase('case1', { at: '2026-03-02T09:30:00.000Z', by: 'staff-1' });
    const error = await failure(submitStep(deps, request()));
    expect([statusOf(error), error.code]).toEqual([409, 'CASE_ERASED']);
    expect((await repo.getStep('case1', 'confirm-address'))?.status).toBe('OPEN');
    expect(engine.completed).toEqual([]);
  });
});
