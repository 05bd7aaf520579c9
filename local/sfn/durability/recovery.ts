/**
 * Recovery, part two: after replay (replay.ts) the engine picks every execution up where the
 * journal left it. Timers are re-armed at their original due times, open task tokens are open
 * again, runnable threads run, and an integration call that was not recorded as done is made
 * again (at least once, as AWS promises for task integrations).
 */
import { REDRIVABLE_PERIOD_MS } from '../interpreter/redrive';
import type { EngineCore } from '../scheduler/engine-core';
import { executionTimeoutId, redrivePeriodId } from '../scheduler/timers';

export function recover(core: EngineCore): void {
  const { store, timers, interpreter } = core;
  const executions = [...store.executions()];
  for (const { record, threads } of executions) {
    if (record.status === 'RUNNING' && record.timeoutAt !== undefined)
      timers.add(record.timeoutAt, executionTimeoutId(record.key));
    else if (record.status !== 'RUNNING' && threads.has(`${record.key}.0`))
      timers.add((record.stopDate ?? 0) + REDRIVABLE_PERIOD_MS, redrivePeriodId(record.key));
  }
  core.notices.recovered(executions);
  for (const execution of executions) {
    if (!execution.running) continue;
    for (const thread of execution.threads.values()) {
      core.tokens.restore(thread);
      if (thread.phase === 'enter' || thread.phase === 'run') interpreter.queue.push(thread);
      else if ((thread.phase === 'wait' || thread.phase === 'retry') && thread.dueAt !== undefined)
        timers.add(thread.dueAt, thread.id);
      else if (thread.phase === 'task') {
        if (thread.timeoutAt !== undefined) timers.add(thread.timeoutAt, thread.id);
        if (thread.heartbeatAt !== undefined) timers.add(thread.heartbeatAt, thread.id);
        if (!(thread.taskToken && thread.submitted)) core.dispatcher.schedule(execution, thread);
      } else if (thread.phase === 'children') interpreter.pump(execution, thread);
    }
  }
  core.kick();
}
