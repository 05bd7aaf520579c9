import { describe, expect, it } from 'vitest';
import { startSweeps } from '../../../local/runtime/sweeps';

/** A table that records its sweeps; each sweep takes `ms` and deletes `deleted` items. */
function table(ms: number, deleted = 0) {
  const calls: string[] = [];
  let running = 0;
  let overlapped = false;
  const pass = (kind: string) => async (nowMs: number) => {
    calls.push(`${kind}@${nowMs}`);
    running++;
    if (running > 1) overlapped = true;
    await new Promise((resolve) => setTimeout(resolve, ms));
    running--;
    return deleted;
  };
  return { calls, overlapped: () => overlapped, dynamo: { sweep: pass('all'), sweepStep: pass('step') } };
}

describe('TTL sweeps', () => {
  it('runs background steps on the interval, never two sweeps at once, and a whole sweep when asked', async () => {
    const t = table(30, 2);
    const lines: string[] = [];
    const began = Date.now();
    const sweeps = startSweeps(
      t.dynamo,
      () => 42,
      (line) => lines.push(line),
      10,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const elapsed = Date.now() - began;
    await sweeps.sweepAll();
    await sweeps.stop();
    const steps = t.calls.filter((c) => c.startsWith('step')).length;
    // A 30 ms step every 10 ms: the intervals that find one running are skipped.
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThanOrEqual(Math.ceil(elapsed / 30) + 1);
    expect(t.calls.at(-1)).toBe('all@42');
    expect(t.overlapped()).toBe(false);
    expect(lines).toContain('TTL sweeper: deleted 2 expired item(s)');
  });

  it('stops its background steps, and a failed sweep is logged, not thrown', async () => {
    const calls: string[] = [];
    const lines: string[] = [];
    const failing = {
      sweep: async () => {
        throw new Error('table gone');
      },
      sweepStep: async () => {
        calls.push('step');
        return 0;
      },
    };
    const sweeps = startSweeps(
      failing,
      () => 0,
      (line) => lines.push(line),
      5,
    );
    await expect(sweeps.sweepAll()).resolves.toBeUndefined();
    expect(lines).toContain('TTL sweeper failed: table gone');
    await sweeps.stop();
    const after = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls.length).toBe(after);
  });
});
