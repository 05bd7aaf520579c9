import { describe, expect, it } from 'vitest';
import { AsyncLambda, DEFAULT_ASYNC } from '../../../local/runtime/async-invoke';
import { LambdaServiceError } from '../../../local/runtime/lambda';
import { Scheduler } from '../../../local/runtime/scheduler';

// Lambda's event queue: a throttle (429) or a Lambda service error (5xx) is not an attempt; the event
// goes back in the queue and is tried again, from 1 second apart, until its maximum age.
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html

function queue(outcomes: (Error | 'ok')[], maximumEventAgeSeconds = DEFAULT_ASYNC.maximumEventAgeSeconds) {
  let clock = 0;
  const scheduler = new Scheduler(() => clock);
  const calls: number[] = [];
  const records: unknown[] = [];
  const lambda = new AsyncLambda({
    run: async () => {
      calls.push(clock);
      const next = outcomes.shift() ?? 'ok';
      if (next !== 'ok') throw next;
      return 'done';
    },
    find: () => ({ name: 'f', arn: 'arn:aws:lambda:eu-west-1:000000000000:function:f' }),
    configs: new Map([['f', { ...DEFAULT_ASYNC, maximumEventAgeSeconds, onFailure: 'arn:dest' }]]),
    scheduler,
    now: () => clock,
    deliver: async (_arn, payload) => void records.push(payload),
    log: () => {},
  });
  const advance = async (ms: number) => {
    clock += ms;
    scheduler.runDue();
    await lambda.idle();
  };
  return { lambda, calls, records, advance, scheduler };
}

const throttle = () => new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.', 429);

describe('asynchronous invocation', () => {
  it('keeps a throttled event queued and runs it later, as its first attempt', async () => {
    const q = queue([throttle(), throttle(), 'ok']);
    const invocation = q.lambda.invoke('f', { a: 1 });
    await q.lambda.idle();
    expect(q.calls).toEqual([0]);
    await q.advance(1000);
    await q.advance(2000);
    expect(q.calls).toEqual([0, 1000, 3000]);
    await expect(invocation.firstAttempt).resolves.toMatchObject({ ok: true, result: 'done' });
    q.scheduler.stop();
  });

  it('gives up on a throttled event at its maximum age, to the on-failure destination', async () => {
    const q = queue(Array.from({ length: 20 }, throttle), 60);
    const invocation = q.lambda.invoke('f', {});
    await q.lambda.idle();
    for (let i = 0; i < 10; i++) await q.advance(16_000);
    await expect(invocation.settled).resolves.toMatchObject({
      ok: false,
      error: { errorType: 'TooManyRequestsException' },
    });
    expect(q.records).toEqual([
      expect.objectContaining({ requestContext: expect.objectContaining({ condition: 'EventAgeExceeded' }) }),
    ]);
    q.scheduler.stop();
  });
});
