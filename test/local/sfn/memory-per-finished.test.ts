/**
 * What a finished execution costs an in-memory engine, which keeps every execution and its history
 * for as long as it runs (bench:engine holds ~200,000 by its last round, and every full collection
 * marks them all). Measured as the heap growth, after full collections, over 5,000 executions of
 * the bench machine (Pass, Parallel, Choice): ~2.5 KB each; it was ~3.3 KB when a succeeded
 * execution kept two empty thread indexes and its history kept the event objects of
 * ExecutionStarted, ParallelStateStarted and the like whole.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/index';
import { benchMachine } from './corpus';
import { heapAtRest } from './heap';

describe('memory per finished execution (in memory)', () => {
  it('stays under 2.9 KB, its history still whole', async () => {
    const N = 5_000;
    const engine = new Engine({});
    try {
      const { stateMachineArn } = await engine.createStateMachine({
        name: 'finished',
        definition: JSON.stringify(benchMachine),
      });
      const run = async (i: number) => {
        const input = JSON.stringify({ id: `id${i}`, amount: i % 200 });
        const { executionArn } = await engine.startExecution({ stateMachineArn, input });
        return engine.waitForExecution(executionArn as string);
      };
      await run(-1);
      const before = await heapAtRest();
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < N; i = next++) expect((await run(i)).status).toBe('SUCCEEDED');
      };
      await Promise.all(Array.from({ length: 50 }, lane));
      const perExecution = ((await heapAtRest()) - before) / N;
      expect(perExecution).toBeLessThan(2.9 * 1024);
      // Nothing was dropped to get there: the last execution reads back in full.
      const [last] = engine.listExecutions({ stateMachineArn, maxResults: 1 }).executions ?? [];
      const history = engine.getExecutionHistory({ executionArn: last?.executionArn, maxResults: 100 });
      expect(history.events?.map((e) => e.type)).toEqual(
        expect.arrayContaining(['ExecutionStarted', 'ParallelStateStarted', 'ExecutionSucceeded']),
      );
      expect(history.events?.[0]).toMatchObject({
        executionStartedEventDetails: { input: expect.stringMatching(/^\{"id":"id/) },
      });
    } finally {
      await engine.close();
    }
  });
});
