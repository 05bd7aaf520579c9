import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FunctionSpec, LocalLambda } from '../../../local/runtime/lambda';

const dir = mkdtempSync(join(tmpdir(), 'coproduce-lambda-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each invocation waits `ms`, and says when it ran and how many invocations its environment has run.
writeFileSync(
  join(dir, 'slow.js'),
  `let runs = 0;
   exports.handler = async ({ ms }) => {
     const start = Date.now();
     runs++;
     await new Promise((r) => setTimeout(r, ms));
     return { start, end: Date.now(), runs };
   };`,
);

/** The most invocations that ran at the same time. */
function overlap(spans: { start: number; end: number }[]): number {
  const edges = spans.flatMap((s) => [
    [s.start, 1],
    [s.end, -1],
  ]);
  edges.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let now = 0;
  let most = 0;
  for (const [, d] of edges) {
    now += d as number;
    most = Math.max(most, now);
  }
  return most;
}

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
  it('runs at most `concurrency` invocations of a function at once, one per environment, and queues the rest', async () => {
    const lambda = new LocalLambda([spec(5)], {}, () => {}, false, 3);
    const out = (await Promise.all(
      Array.from({ length: 12 }, () => lambda.invoke('stack-Slow', { ms: 150 })),
    )) as { start: number; end: number; runs: number }[];
    expect(overlap(out)).toBe(3);
    // Three environments, each reused (warm) for four invocations in turn.
    expect(out.map((o) => o.runs).sort()).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(lambda.stats.get('stack-Slow')?.invocations).toBe(12);
    expect(lambda.stats.get('stack-Slow')?.coldStarts).toBe(3);
    // Run one at a time, the next invocation finds a warm environment.
    await lambda.invoke('stack-Slow', { ms: 1 });
    expect(lambda.stats.get('stack-Slow')?.coldStarts).toBe(3);
    await lambda.close();
  });

  it('lets a function that a Distributed Map runs have as many environments as the map runs children', async () => {
    const lambda = new LocalLambda([spec(5)], {}, () => {}, false, 2);
    expect(
      lambda.allowEnvironments('arn:aws:lambda:eu-west-1:000000000000:function:stack-Slow:$LATEST', 5),
    ).toBe(true);
    // Never fewer than the runtime's own number, and an unknown function is refused.
    expect(lambda.allowEnvironments('stack-Slow', 1)).toBe(true);
    expect(lambda.allowEnvironments('stack-Other', 5)).toBe(false);
    const out = (await Promise.all(
      Array.from({ length: 10 }, () => lambda.invoke('stack-Slow', { ms: 150 })),
    )) as { start: number; end: number }[];
    expect(overlap(out)).toBe(5);
    expect(lambda.stats.get('stack-Slow')?.coldStarts).toBe(5);
    await lambda.close();
  });

  it('gives up an environment once it has been idle for the keep-warm time since its last invocation', async () => {
    const lambda = new LocalLambda([spec(5)], {}, () => {}, false, 1);
    lambda.keepWarmMs = 1000;
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const runs: number[] = [];
    const invoke = async () =>
      runs.push(((await lambda.invoke('stack-Slow', { ms: 1 })) as { runs: number }).runs);
    // Used every 400 ms: 1,600 ms after its first invocation it is still the same environment.
    for (let i = 0; i < 5; i++) {
      if (i > 0) await pause(400);
      await invoke();
    }
    expect(runs).toEqual([1, 2, 3, 4, 5]);
    expect(lambda.stats.get('stack-Slow')?.coldStarts).toBe(1);
    // Idle longer than 1,000 ms: the next invocation starts a new one.
    await pause(1500);
    await invoke();
    expect(runs.at(-1)).toBe(1);
    expect(lambda.stats.get('stack-Slow')?.coldStarts).toBe(2);
    await lambda.close();
  });

  it('counts the timeout from the start of an invocation, not from when it was queued', async () => {
    // 1 s timeout; six 400 ms invocations one at a time: the last waits 2 s, yet none times out.
    const lambda = new LocalLambda([spec(1)], {}, () => {}, false, 1);
    const started = Date.now();
    const all = Array.from({ length: 6 }, () => lambda.invoke('stack-Slow', { ms: 400 }));
    await expect(Promise.all(all)).resolves.toHaveLength(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2400);
    await expect(lambda.invoke('stack-Slow', { ms: 1500 })).rejects.toThrow(/timed out after 1.00 seconds/);
    await lambda.close();
  });
});

describe('environment', () => {
  it("names the function's runtime in AWS_EXECUTION_ENV, as Lambda does", async () => {
    writeFileSync(
      join(dir, 'env.js'),
      'exports.handler = async () => process.env.AWS_EXECUTION_ENV ?? null;',
    );
    const envSpec = (runtime?: string): FunctionSpec => ({
      ...spec(5),
      name: `stack-Env-${runtime ?? 'none'}`,
      arn: `arn:aws:lambda:eu-west-1:000000000000:function:stack-Env-${runtime ?? 'none'}`,
      file: join(dir, 'env.js'),
      ...(runtime ? { runtime } : {}),
    });
    const lambda = new LocalLambda([envSpec('nodejs24.x'), envSpec()], {});
    expect(await lambda.invoke('stack-Env-nodejs24.x', {})).toBe('AWS_Lambda_nodejs24.x');
    // No runtime in the template (an inline or foreign resource): nothing is made up.
    expect(await lambda.invoke('stack-Env-none', {})).toBeNull();
    await lambda.close();
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
    await expect(running).resolves.toMatchObject({ runs: 1 });
    await expect(lambda.invoke('stack-Slow', { ms: 1 })).rejects.toThrow('stopping');
  });
});

describe('CPU profiles (LOCAL_CPU_PROFILE)', () => {
  it('has each environment write a V8 CPU profile of its life when the runtime closes', async () => {
    writeFileSync(
      join(dir, 'busy.js'),
      `exports.handler = async ({ ms }) => {
         const end = Date.now() + ms;
         let n = 0;
         while (Date.now() < end) n += Math.sqrt(n + 1);
         return n;
       };`,
    );
    const busy: FunctionSpec = {
      ...spec(5),
      logicalId: 'Busy',
      name: 'stack-Busy',
      file: join(dir, 'busy.js'),
    };
    busy.arn = busy.arn.replace('stack-Slow', 'stack-Busy');
    const profiles = join(dir, 'profiles');
    const lambda = new LocalLambda([busy], {}, () => {}, false, 2);
    lambda.cpuProfileDir = profiles;
    await Promise.all([lambda.invoke('stack-Busy', { ms: 150 }), lambda.invoke('stack-Busy', { ms: 150 })]);
    await lambda.close();
    const written = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile'));
    expect(written).toHaveLength(2);
    for (const file of written) {
      const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8'));
      const urls = profile.nodes.map((n: { callFrame: { url: string } }) => n.callFrame.url);
      expect(urls).toContain(`file://${join(dir, 'busy.js')}`);
    }
  });
});
