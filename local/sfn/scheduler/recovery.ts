/**
 * Recovery, part two: after the journal is replayed (replay.ts) the engine picks every running
 * execution up where the journal left it. Timers are re-armed at their original due times,
 * runnable threads run, and an integration call that was not recorded as done is made again (at
 * least once, as AWS promises for task integrations). Task tokens need nothing: they live in
 * their threads (task-tokens.ts). Executions are loaded one at a time and evicted again unless
 * they have work to do now, so a restart with 100,000 waiting cases stays small.
 */
import { REDRIVABLE_PERIOD_MS } from '../interpreter/redrive';
import type { EngineCore } from './engine-core';
import { executionTimeoutId, redrivePeriodId } from './timers';

export function recover(core: EngineCore): void {
  const { store, timers, interpreter } = core;
  const busy = new Set<number>();
  for (const { record } of store.entries.values()) {
    if (record.status !== 'RUNNING') {
      // The handler drops whatever is still parked once the period is over (and nothing else).
      if (record.status !== 'SUCCEEDED')
        timers.add((record.stopDate ?? 0) + REDRIVABLE_PERIOD_MS, redrivePeriodId(record.key));
      continue;
    }
    if (record.timeoutAt !== undefined) timers.add(record.timeoutAt, executionTimeoutId(record.key));
    const execution = store.execution(record.key);
    if (!execution) continue;
    for (const thread of execution.threads.values()) {
      if (thread.phase === 'enter' || thread.phase === 'run') {
        interpreter.queue.push(thread);
        busy.add(record.key);
      } else if ((thread.phase === 'wait' || thread.phase === 'retry') && thread.dueAt !== undefined)
        timers.add(thread.dueAt, thread.id);
      else if (thread.phase === 'task') {
        if (thread.timeoutAt !== undefined) timers.add(thread.timeoutAt, thread.id);
        if (thread.heartbeatAt !== undefined) timers.add(thread.heartbeatAt, thread.id);
        if (!(thread.taskToken && thread.submitted)) core.dispatcher.schedule(execution, thread);
      } else if (thread.phase === 'children') interpreter.pump(execution, thread);
    }
    store.evict(busy);
  }
  core.notices.recovered(store.entries.values(), (key) => store.execution(key));
  store.evict(busy);
  core.kick();
}
