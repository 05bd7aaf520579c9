/** Counts for diagnostics, tests and benchmarks (Engine.stats). */
import type { EngineCore } from './engine-core';

export interface EngineStats {
  executions: number;
  running: number;
  /** Threads of running executions, and threads parked by unsuccessful ones (for redrive). */
  threads: number;
  parked: number;
  tokens: number;
  timers: number;
  /** ItemReader feeds reading from S3 right now (work in progress, like a running task). */
  reading: number;
}

export function engineStats(core: EngineCore): EngineStats {
  let executions = 0;
  let running = 0;
  let threads = 0;
  let parked = 0;
  for (const execution of core.store.executions()) {
    executions++;
    if (execution.running) {
      running++;
      threads += execution.threads.size;
    } else parked += execution.threads.size;
  }
  return {
    executions,
    running,
    threads,
    parked,
    tokens: core.tokens.size,
    timers: core.timers.size,
    reading: core.feeds.reading,
  };
}
