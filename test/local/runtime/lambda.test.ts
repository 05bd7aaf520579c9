import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FunctionSpec, LocalLambda } from '../../../local/runtime/lambda';

const dir = mkdtempSync(join(tmpdir(), 'coproduce-lambda-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each invocation waits `ms`, and reports how many invocations of it were running at that moment.
writeFileSync(
  join(dir, 'slow.js'),
  `let running = 0;
   exports.handler = async ({ ms }) => {
     running++;
     const seen = running;
     await new Promise((r) => setTimeout(r, ms));
     running--;
     return { seen };
   };`,
);

const spec = (timeoutSeconds: number): FunctionSpec => ({
  logicalId: 'Slow',
  name: 'stack-Slow',
  arn: 'arn:aws:lambda:eu-west-1:000000000000:function:stack-Slow',
  file: join(dir, 'slow.js'),
  exportName: 'handler',
  env: {},
  timeoutSeconds,
  memoryMb: 128,
});

describe('lambda concurrency', () => {
  it('runs at most `concurrency` invocations of a function at once and queues the rest', async () => {
    const lambda = new LocalLambda([spec(5)], {}, () => {}, false, 3);
    const out = (await Promise.all(
      Array.from({ length: 12 }, () => lambda.invoke('stack-Slow', { ms: 30 })),
    )) as { seen: number }[];
    expect(Math.max(...out.map((o) => o.seen))).toBe(3);
    expect(lambda.stats.get('stack-Slow')?.invocations).toBe(12);
  });

  it('counts the timeout from the start of an invocation, not from when it was queued', async () => {
    // 1 s timeout; six 400 ms invocations one at a time: the last waits 2 s, yet none times out.
    const lambda = new LocalLambda([spec(1)], {}, () => {}, false, 1);
    const started = Date.now();
    const all = Array.from({ length: 6 }, () => lambda.invoke('stack-Slow', { ms: 400 }));
    await expect(Promise.all(all)).resolves.toHaveLength(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2400);
    await expect(lambda.invoke('stack-Slow', { ms: 1500 })).rejects.toThrow(/timed out after 1.00 seconds/);
  });
});

describe('closing', () => {
  it('refuses queued and new invocations, and waits for the running ones', async () => {
    const lambda = new LocalLambda([spec(5)], {}, () => {}, false, 1);
    const running = lambda.invoke('stack-Slow', { ms: 200 });
    const queued = lambda.invoke('stack-Slow', { ms: 10 });
    await new Promise((r) => setTimeout(r, 20));
    const closing = lambda.close();
    await expect(queued).rejects.toThrow('The local runtime is stopping');
    await closing;
    await expect(running).resolves.toEqual({ seen: 1 });
    await expect(lambda.invoke('stack-Slow', { ms: 1 })).rejects.toThrow('stopping');
  });
});
