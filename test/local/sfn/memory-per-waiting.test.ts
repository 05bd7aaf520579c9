/**
 * What a waiting execution costs in memory (issue 13: at most 20 KB per waiting case). A durable
 * engine keeps a waiting execution on disk; in memory stay its record, where its journal lines
 * are, and its timers. Measured as the heap growth, after full collections, over 3,000 executions
 * that each wait for a task token with a timeout and a heartbeat (two timers).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/index';
import { heapAtRest } from './heap';

const dir = mkdtempSync(join(tmpdir(), 'sfn-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ask = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'who.$': '$.who', step: 'ask' }, Next: 'Ask' },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'ask', Payload: { 'token.$': '$$.Task.Token', 'who.$': '$.who' } },
      ResultPath: '$.answer',
      TimeoutSeconds: 86_400,
      HeartbeatSeconds: 3_600,
      End: true,
    },
  },
};

describe('memory per waiting execution', () => {
  it('is a few kilobytes at most: the executions wait on disk', async () => {
    const N = 3_000;
    let invoked = 0;
    const engine = new Engine({
      dataDir: dir,
      residentExecutions: 100,
      invoke: async () => {
        invoked++;
        return { sent: true };
      },
    });
    try {
      const { stateMachineArn } = await engine.createStateMachine({
        name: 'ask',
        definition: JSON.stringify(ask),
      });
      await engine.startExecution({ stateMachineArn, input: '{"who":"warm-up"}' });
      const before = await heapAtRest();
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < N; i = next++) {
          await engine.startExecution({
            stateMachineArn,
            name: `household-${i}`,
            input: JSON.stringify({ who: `household ${i}`, address: 'Benchstraat 1, Utrecht' }),
          });
        }
      };
      await Promise.all(Array.from({ length: 50 }, lane));
      // Every execution sent its token (the integration call returned): all of them wait now.
      for (let i = 0; i < 3000 && invoked < N + 1; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      expect(invoked).toBe(N + 1);
      const perExecution = ((await heapAtRest()) - before) / N;
      expect(engine.stats()).toMatchObject({ running: N + 1, timers: 2 * (N + 1) });
      expect(engine.stats().resident).toBeLessThanOrEqual(100);
      // About 1 KB here; 20 KB is the bound for a whole waiting case.
      expect(perExecution).toBeLessThan(4 * 1024);
    } finally {
      await engine.close();
    }
  });
});
