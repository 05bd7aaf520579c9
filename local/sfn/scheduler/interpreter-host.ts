/**
 * What the interpreter asks of the engine core: its clock, timers, task dispatch, task tokens,
 * item feeds, and what follows when an execution closes.
 */
import { encodeToken } from '../durability/task-tokens';
import type { Execution } from '../interpreter/execution';
import type { InterpreterHost } from '../interpreter/ports';
import { REDRIVABLE_PERIOD_MS } from '../interpreter/redrive';
import type { EngineCore } from './engine-core';
import { redrivePeriodId } from './timers';

export function interpreterHost(core: EngineCore): InterpreterHost {
  return {
    region: core.region,
    now: () => core.now(),
    setTimer: (due, id) => core.timers.add(due, id),
    dispatchTask: (execution, thread) => core.dispatcher.schedule(execution, thread),
    issueToken: (_execution, thread) => encodeToken(thread.id, thread.attempt),
    executionClosed: (execution) => executionClosed(core, execution),
    itemFeed: (execution, thread) => core.feeds.feed(execution, thread),
    closeItemFeed: (threadId) => core.feeds.close(threadId),
  };
}

/** An execution closed (any status). */
function executionClosed(core: EngineCore, execution: Execution): void {
  const record = execution.record;
  core.notices.record(execution);
  // An unsuccessful execution keeps its threads for RedriveExecution until the redrivable
  // period is over; then they are dropped to keep memory and snapshots small.
  if (record.status !== 'SUCCEEDED')
    core.timers.add((record.stopDate ?? core.now()) + REDRIVABLE_PERIOD_MS, redrivePeriodId(record.key));
  const waiting = core.waiters.get(record.arn);
  if (!waiting) return;
  core.waiters.delete(record.arn);
  for (const resolve of waiting) resolve();
}
