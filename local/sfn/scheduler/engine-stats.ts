/** Counts for diagnostics, tests and benchmarks (Engine.stats). */
import type { EngineCore } from './engine-core';

export interface EngineStats {
  executions: number;
  running: number;
  /** Executions in memory (a durable engine keeps the others on disk). */
  resident: number;
  /** Threads of running resident executions, and threads parked by unsuccessful ones (for redrive). */
  threads: number;
  parked: number;
  /** Open task tokens of resident executions. */
  tokens: number;
  timers: number;
  /** Threads ready to run now. */
  runnable: number;
  /** Task integration calls in flight, and tasks waiting for a free slot (maxConcurrentTasks). */
  tasksInFlight: number;
  tasksQueued: number;
  /** ItemReader feeds reading from S3 right now (work in progress, like a running task). */
  reading: number;
}

export function engineStats(core: EngineCore): EngineStats {
  let running = 0;
  for (const { record } of core.store.entries.values()) if (record.status === 'RUNNING') running++;
  let resident = 0;
  let threads = 0;
  let parked = 0;
  let tokens = 0;
  for (const execution of core.store.residentExecutions()) {
    resident++;
    if (!execution.running) {
      parked += execution.threads.size;
      continue;
    }
    threads += execution.threads.size;
    for (const thread of execution.threads.values())
      if (thread.taskToken && thread.phase === 'task') tokens++;
  }
  return {
    executions: core.store.entries.size,
    running,
    resident,
    threads,
    parked,
    tokens,
    timers: core.timers.size,
    runnable: core.interpreter.queue.length,
    tasksInFlight: core.dispatcher.inFlight,
    tasksQueued: core.dispatcher.queued,
    reading: core.feeds.reading,
  };
}
