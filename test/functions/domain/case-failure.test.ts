import { beforeEach, describe, expect, it } from 'vitest';
import { providerOf } from '../../../functions/domain/access';
import {
  type ExecutionStopped,
  markCaseFailed,
  redriveFailedCase,
} from '../../../functions/domain/case-failure';
import type { CaseRecord } from '../../../functions/domain/model';
import type { ExecutionDescriber } from '../../../functions/domain/ports';
import { ConflictError, statusOf } from '../../../functions/shared/errors';
import { FakeEngine, FakeRepository, failure, fixedClock } from '../../support/fakes';

const staff = providerOf({ 'custom:org': 'gm0363', 'custom:orgKind': 'municipality', sub: 'staff-1' });
const ARN = 'arn:aws:states:eu-west-1:000000000000:execution:coproduce-test-waste-collection:c1';

function record(over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: 'c1',
    serviceId: 'waste-collection',
    org: 'gm0363',
    status: 'ACTIVE',
    citizen: { locale: 'nl' },
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
    requestHash: 'h',
    linkExpiresAt: '2026-06-01T09:00:00.000Z',
    ttl: 4_000_000_000,
    ...over,
  };
}

const stopped = (over: Partial<ExecutionStopped> = {}): ExecutionStopped => ({
  caseId: 'c1',
  execution: 'c1',
  executionArn: ARN,
  status: 'FAILED',
  error: 'Lambda.TooManyRequestsException',
  cause: 'Rate exceeded',
  stoppedAt: '2026-03-02T08:00:00.000Z',
  redriveCount: 0,
  ...over,
});

class Executions implements ExecutionDescriber {
  calls: string[] = [];
  answer = { error: 'States.TaskFailed', cause: 'described cause', redriveCount: 0 };
  async describeFailure(executionArn: string) {
    this.calls.push(executionArn);
    return this.answer;
  }
}

let repo: FakeRepository;
let engine: FakeEngine;
let executions: Executions;
const clock = fixedClock('2026-03-02T09:00:00.000Z');

beforeEach(() => {
  repo = new FakeRepository();
  engine = new FakeEngine();
  executions = new Executions();
  repo.cases.set('c1', record());
});

const mark = (over: Partial<ExecutionStopped> = {}) => markCaseFailed({ repo, executions }, stopped(over));
const failedEvents = () => repo.events.filter((e) => e.type === 'CASE_FAILED');

describe('markCaseFailed', () => {
  it('makes the ACTIVE case FAILED with the failure and logs CASE_FAILED', async () => {
    expect(await mark()).toBe('failed');
    expect(repo.cases.get('c1')).toMatchObject({
      status: 'FAILED',
      failure: {
        error: 'Lambda.TooManyRequestsException',
        cause: 'Rate exceeded',
        at: '2026-03-02T08:00:00.000Z',
        execution: 'c1',
        redriveCount: 0,
      },
    });
    expect(failedEvents()).toEqual([
      {
        caseId: 'c1',
        at: '2026-03-02T08:00:00.000Z',
        type: 'CASE_FAILED',
        actor: 'system',
        detail: { error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded', execution: 'c1' },
      },
    ]);
    expect(executions.calls).toEqual([]);
  });

  it('is idempotent: a repeated event changes nothing and logs nothing twice', async () => {
    await mark();
    const before = structuredClone(repo.cases.get('c1'));
    expect(await mark()).toBe('already-failed');
    expect(await mark({ cause: 'another text for the same failure' })).toBe('already-failed');
    expect(repo.cases.get('c1')).toEqual(before);
    expect(failedEvents()).toHaveLength(1);
  });

  it('ignores an execution that is not the case’s current one', async () => {
    repo.cases.set('c1', record({ execution: 'c1-2' }));
    expect(await mark({ execution: 'c1' })).toBe('ignored');
    expect(repo.cases.get('c1')?.status).toBe('ACTIVE');
    expect(await mark({ execution: 'c1-2' })).toBe('failed');
  });

  it.each(['CANCELLED', 'COMPLETED', 'EXPIRED'] as const)('ignores a %s case', async (status) => {
    repo.cases.set('c1', record({ status }));
    expect(await mark({ status: 'ABORTED' })).toBe('ignored');
    expect(repo.cases.get('c1')?.status).toBe(status);
    expect(failedEvents()).toEqual([]);
  });

  it('ignores an unknown case', async () => {
    expect(await mark({ caseId: 'nope' })).toBe('ignored');
  });

  it('asks Step Functions for error and cause when the event has neither', async () => {
    await mark({ error: undefined, cause: undefined });
    expect(executions.calls).toEqual([ARN]);
    expect(repo.cases.get('c1')?.failure).toMatchObject({
      error: 'States.TaskFailed',
      cause: 'described cause',
    });
  });

  it('cuts the cause to 1,000 characters and names a timeout without an error', async () => {
    executions.answer = { error: '', cause: '', redriveCount: 0 };
    await mark({ status: 'TIMED_OUT', error: '', cause: 'x'.repeat(5000) });
    expect(repo.cases.get('c1')?.failure).toMatchObject({ error: 'States.Timeout' });
    expect(repo.cases.get('c1')?.failure?.cause).toHaveLength(1000);
  });

  it('after a redrive, a late copy of the earlier failure is ignored, a new failure counts', async () => {
    await mark();
    await redriveFailedCase({ repo, engine, clock }, staff, 'c1');
    expect(await mark({ redriveCount: 0 })).toBe('ignored');
    expect(repo.cases.get('c1')?.status).toBe('ACTIVE');
    expect(await mark({ redriveCount: 1, error: 'States.TaskFailed' })).toBe('failed');
    expect(failedEvents()).toHaveLength(2);
  });
});

describe('redriveFailedCase', () => {
  beforeEach(async () => {
    await mark();
  });

  it('makes the case ACTIVE, redrives its current execution and logs CASE_REDRIVEN', async () => {
    const resumed = await redriveFailedCase({ repo, engine, clock }, staff, 'c1');
    expect(resumed).toMatchObject({ caseId: 'c1', status: 'ACTIVE' });
    expect(resumed.failure).toBeUndefined();
    expect(engine.redriven).toEqual([{ serviceId: 'waste-collection', execution: 'c1' }]);
    expect(repo.cases.get('c1')?.status).toBe('ACTIVE');
    expect(repo.events.at(-1)).toEqual({
      caseId: 'c1',
      at: '2026-03-02T09:00:00.000Z',
      type: 'CASE_REDRIVEN',
      actor: 'provider',
      detail: { by: 'staff-1', execution: 'c1' },
    });
  });

  it('the case is ACTIVE before Step Functions resumes it (the resumed states write under ACTIVE)', async () => {
    let during: string | undefined;
    engine.beforeRedrive = () => {
      during = repo.cases.get('c1')?.status;
    };
    await redriveFailedCase({ repo, engine, clock }, staff, 'c1');
    expect(during).toBe('ACTIVE');
  });

  it('logs CASE_REDRIVEN at the time it resumes the case, before whatever the resumed run logs', async () => {
    // The resumed execution takes a moment, and the clock moves on meanwhile.
    engine.beforeRedrive = () => clock.set('2026-03-02T09:00:00.006Z');
    await redriveFailedCase({ repo, engine, clock }, staff, 'c1');
    clock.set('2026-03-02T09:00:00.000Z');
    expect(repo.events.at(-1)).toMatchObject({ type: 'CASE_REDRIVEN', at: '2026-03-02T09:00:00.000Z' });
  });

  it('refuses a case that is not FAILED (409 CASE_NOT_FAILED), and another organisation’s (404)', async () => {
    await redriveFailedCase({ repo, engine, clock }, staff, 'c1');
    const again = await failure(redriveFailedCase({ repo, engine, clock }, staff, 'c1'));
    expect([statusOf(again), again.code]).toEqual([409, 'CASE_NOT_FAILED']);
    const other = providerOf({ 'custom:org': 'gm0599', 'custom:orgKind': 'municipality' });
    expect(statusOf(await failure(redriveFailedCase({ repo, engine, clock }, other, 'c1')))).toBe(404);
    expect(engine.redriven).toHaveLength(1);
  });

  it('puts the failure back when Step Functions refuses: 409 NOT_REDRIVABLE, the case FAILED', async () => {
    engine.redriveError = new ConflictError('NOT_REDRIVABLE', 'too old', {
      reason: 'ExecutionNotRedrivable',
    });
    const refused = await failure(redriveFailedCase({ repo, engine, clock }, staff, 'c1'));
    expect([statusOf(refused), refused.code]).toEqual([409, 'NOT_REDRIVABLE']);
    expect(repo.cases.get('c1')).toMatchObject({ status: 'FAILED', failure: { execution: 'c1' } });
    expect(repo.events.filter((e) => e.type === 'CASE_REDRIVEN')).toEqual([]);
    // Once Step Functions takes it, the case can still be tried again.
    delete engine.redriveError;
    await redriveFailedCase({ repo, engine, clock }, staff, 'c1');
    expect(repo.cases.get('c1')?.status).toBe('ACTIVE');
  });

  it('puts the failure back on an unexpected engine error too, and lets it surface', async () => {
    engine.redriveError = new Error('network');
    await expect(redriveFailedCase({ repo, engine, clock }, staff, 'c1')).rejects.toThrow('network');
    expect(repo.cases.get('c1')?.status).toBe('FAILED');
  });

  it('of ten concurrent redrives exactly one goes through; the others are 409', async () => {
    // Every request reads the case before any of them writes.
    engine.beforeRedrive = () => new Promise((resolve) => setTimeout(resolve, 5));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => redriveFailedCase({ repo, engine, clock }, staff, 'c1')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ConflictError] : []));
    expect(refused.map((e) => e.code)).toEqual(Array(9).fill('CASE_NOT_FAILED'));
    expect(engine.redriven).toHaveLength(1);
    expect(repo.events.filter((e) => e.type === 'CASE_REDRIVEN')).toHaveLength(1);
  });
});
