/**
 * Retry timing on the engine clock, from the examples of the AWS "Error handling" page
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html): backoff,
 * MaxDelaySeconds as a cap, JitterStrategy FULL as a random delay between 0 and the capped one.
 * The corpus cross-check (corpus-errors.ts) compares outcomes only: the peer's retry waits are
 * overridden to 0 there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import { runLocal } from './helpers';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

/** Runs a Task that fails `failures` times with `Busy`; returns the gaps between calls in seconds. */
async function gaps(retrier: Record<string, unknown>, failures: number) {
  const at: number[] = [];
  const engine: Engine = new Engine({
    invoke: async () => {
      at.push(engine.now());
      if (at.length <= failures) throw Object.assign(new Error('busy'), { name: 'Busy' });
      return 'ok';
    },
  });
  engines.push(engine);
  const definition = {
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'f' },
        Retry: [{ ErrorEquals: ['Busy'], ...retrier }],
        End: true,
      },
    },
  };
  const out = await runLocal(engine, definition, {});
  return { status: out.status, gaps: at.slice(1).map((t, i) => (t - (at[i] as number)) / 1000) };
}

describe('Retry timing', () => {
  it('backs off by BackoffRate: 3 s, 6 s, 12 s (the BackoffRate example)', async () => {
    const r = await gaps({ IntervalSeconds: 3, MaxAttempts: 3, BackoffRate: 2 }, 3);
    expect(r.status).toBe('SUCCEEDED');
    expect(r.gaps.map(Math.round)).toEqual([3, 6, 12]);
  });

  it('caps the wait at MaxDelaySeconds: 3 s, 5 s, 5 s (the MaxDelaySeconds example)', async () => {
    const r = await gaps({ IntervalSeconds: 3, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 5 }, 3);
    expect(r.gaps.map(Math.round)).toEqual([3, 5, 5]);
  });

  it('with JitterStrategy FULL waits a random time between 0 and the capped backoff', async () => {
    const seen: number[][] = [];
    for (let i = 0; i < 5; i++) {
      const r = await gaps(
        { IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 6, JitterStrategy: 'FULL' },
        3,
      );
      expect(r.status).toBe('SUCCEEDED');
      seen.push(r.gaps);
    }
    for (const g of seen) {
      expect(g[0]).toBeLessThanOrEqual(2.01);
      expect(g[1]).toBeLessThanOrEqual(4.01);
      expect(g[2]).toBeLessThanOrEqual(6.01);
    }
    // Random, not always the full backoff: 15 draws that all equal the cap would be a bug.
    expect(seen.flat().some((s, i) => s < ([2, 4, 6][i % 3] as number) - 0.05)).toBe(true);
  });

  it('rejects a MaxDelaySeconds or JitterStrategy AWS would reject', async () => {
    const engine = new Engine();
    engines.push(engine);
    const defineWith = (retrier: Record<string, unknown>) =>
      engine.createStateMachine({
        name: `bad-${Object.keys(retrier).join('-')}`,
        definition: JSON.stringify({
          StartAt: 'T',
          States: {
            T: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Retry: [{ ErrorEquals: ['X'], ...retrier }],
              End: true,
            },
          },
        }),
      });
    await expect(defineWith({ MaxDelaySeconds: 0 })).rejects.toMatchObject({ name: 'InvalidDefinition' });
    await expect(defineWith({ MaxDelaySeconds: 31_622_401 })).rejects.toMatchObject({
      name: 'InvalidDefinition',
    });
    await expect(defineWith({ JitterStrategy: 'HALF' })).rejects.toMatchObject({ name: 'InvalidDefinition' });
    await expect(defineWith({ MaxDelaySeconds: 31_622_400, JitterStrategy: 'NONE' })).resolves.toMatchObject({
      stateMachineArn: expect.any(String),
    });
  });
});

describe('runLocal (the helper these tests rely on)', () => {
  it('fast-forwards only when nothing runs: a slow task finishes before a top-level TimeoutSeconds', async () => {
    const turns = () => new Promise((r) => setImmediate(r));
    const engine = new Engine({
      // A task that takes a few event-loop turns: the clock must not jump while it runs.
      invoke: async () => {
        for (let i = 0; i < 3; i++) await turns();
        return 'done';
      },
    });
    engines.push(engine);
    const definition = {
      StartAt: 'T',
      TimeoutSeconds: 60,
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f' },
          OutputPath: '$.Payload',
          Next: 'Later',
        },
        Later: { Type: 'Wait', Seconds: 30, End: true },
      },
    };
    const out = await runLocal(engine, definition, {});
    expect(out).toEqual({ status: 'SUCCEEDED', output: 'done' });
  });
});
