/**
 * What a fired timer does: wake its thread (Wait over, retry due, task timeout or missed
 * heartbeat), time out its execution, or end an execution's redrivable period (its parked
 * threads are dropped). A timer that no longer matters does nothing. Also the engine clock's
 * fast-forward, which fires the timers it makes due.
 */

import { REDRIVABLE_PERIOD_MS } from '../interpreter/redrive';
import { closeExecution, dropTree, parkTree } from '../interpreter/transitions';
import type { EngineCore } from './engine-core';

/** Fast-forwards the engine clock; every timer due by the new time fires, in due order. */
export async function advanceClock(core: EngineCore, seconds: number): Promise<void> {
  core.store.setClockOffset(core.store.clockOffset + seconds * 1000);
  // Timers set by states that ran because of earlier timers (Wait after Wait) may also be due
  // by the new time: keep firing until nothing due is left, so they fire in due order too.
  for (let i = 0; i < 10_000; i++) {
    fireDueTimers(core);
    core.tick();
    const next = core.timers.next();
    if (next === undefined || next > core.now()) break;
  }
  await core.journal?.sync();
}

export function fireDueTimers(core: EngineCore): void {
  for (const id of core.timers.popDue()) handleTimer(core, id);
  core.kick();
}

function handleTimer(core: EngineCore, id: string): void {
  if (id.startsWith('r')) endRedrivablePeriod(core, Number(id.slice(1)));
  else if (id.startsWith('x')) timeOutExecution(core, Number(id.slice(1)));
  else {
    const execution = core.store.execution(Number(id.split('.')[0]));
    const thread = execution?.threads.get(id);
    if (execution && thread) core.interpreter.wake(execution, thread);
  }
}

function timeOutExecution(core: EngineCore, key: number): void {
  const execution = core.store.execution(key);
  const record = execution?.record;
  if (
    !execution ||
    record?.status !== 'RUNNING' ||
    record.timeoutAt === undefined ||
    record.timeoutAt > core.now()
  )
    return;
  const root = execution.rootThread();
  if (root) parkTree(core.interpreter, execution, root);
  execution.payloads.error = 'States.Timeout';
  closeExecution(
    core.interpreter,
    execution,
    'TIMED_OUT',
    'ExecutionTimedOut',
    { error: 'States.Timeout' },
    root ?? null,
  );
}

/** Drops the parked threads of an execution whose redrivable period is over. */
function endRedrivablePeriod(core: EngineCore, key: number): void {
  const execution = core.store.execution(key);
  const record = execution?.record;
  if (!execution || !record || record.status === 'RUNNING') return;
  if ((record.stopDate ?? 0) + REDRIVABLE_PERIOD_MS > core.now()) return;
  const root = execution.rootThread();
  if (root) dropTree(core.interpreter, execution, root);
}
