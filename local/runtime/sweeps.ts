/**
 * When the TTL sweeps run (ttl-sweeper.ts deletes the expired items): one at a time. A background
 * step every interval, skipped while a sweep still runs (ttl-sweeper.ts says why it need not be
 * prompt), and a whole sweep when the clock is moved on, which the caller waits for.
 */
import type { LocalDynamo } from './dynamo';

export interface Sweeps {
  /** A sweep of every table at the engine's now, after the one that runs. */
  sweepAll(): Promise<void>;
  /** No more background steps; resolves once the sweep that runs is done. */
  stop(): Promise<void>;
}

export function startSweeps(
  dynamo: Pick<LocalDynamo, 'sweep' | 'sweepStep'>,
  now: () => number,
  log: (line: string) => void,
  intervalMs = 60_000,
): Sweeps {
  let sweeping = Promise.resolve();
  let pending = 0;
  const sweepWith = (pass: (nowMs: number) => Promise<number>) => {
    pending++;
    sweeping = sweeping
      .then(async () => {
        const deleted = await pass(now());
        if (deleted > 0) log(`TTL sweeper: deleted ${deleted} expired item(s)`);
      })
      .catch((e: Error) => {
        log(`TTL sweeper failed: ${e.message}`);
      })
      .finally(() => {
        pending--;
      });
    return sweeping;
  };
  const timer = setInterval(() => {
    if (pending === 0) void sweepWith(dynamo.sweepStep);
  }, intervalMs);
  timer.unref();
  return {
    sweepAll: () => sweepWith(dynamo.sweep),
    async stop() {
      clearInterval(timer);
      await sweeping;
    },
  };
}
