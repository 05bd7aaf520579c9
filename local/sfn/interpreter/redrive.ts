/**
 * RedriveExecution: an execution that FAILED, TIMED_OUT or was ABORTED continues from where it
 * stopped, keeping everything that succeeded. Sources:
 * - API: https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 * - Guide: https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 *
 * An unsuccessful execution keeps its thread tree parked (transitions.ts, parkTree): every thread still
 * names its state and input. Redrive walks that tree: a Parallel/Map thread keeps its succeeded
 * children and resumes the others ("reschedules and redrives only those branches / iterations
 * that failed or aborted"); every other thread enters its state again, so a failed Task inside a
 * branch restarts at that Task, not at the branch start.
 */
import type { Execution, Thread } from './execution';
import type { ExecutionRecord, StateMachine } from './execution-records';
import type { InterpreterHub } from './ports';
import { forgetTask } from './task-outcome';

const DAY_MS = 86_400_000;
/** "Redrivable period refers to the time during which you can redrive a given execution" (14 days). */
export const REDRIVABLE_PERIOD_MS = 14 * DAY_MS;
/** "The workflow execution hasn't exceeded the maximum open time of one year." */
const MAX_OPEN_MS = 365 * DAY_MS;
/** "The execution event history count is less than 24,999." */
const HISTORY_LIMIT = 24_999;
/** "Idempotent responses for the last 10 client tokens ... valid for up to 15 minutes." */
const TOKENS_KEPT = 10;
const TOKEN_LIFETIME_MS = 15 * 60_000;

/**
 * Why the execution cannot be redriven now, worded as DescribeExecution's documented
 * redriveStatusReason values, or null when it can. `machine` is the state machine as it is now
 * (deleted or not).
 */
export function redriveBlocker(
  record: ExecutionRecord,
  machine: StateMachine | undefined,
  now: number,
): string | null {
  if (record.status === 'RUNNING' || record.status === 'SUCCEEDED')
    return `Execution is ${record.status} and cannot be redriven`;
  if (!machine || machine.deleted) return 'State machine is in DELETING status';
  // "This API action is not supported by EXPRESS state machines" (no documented reason text).
  if (machine.type === 'EXPRESS') return 'Execution of an EXPRESS state machine cannot be redriven';
  if (record.nextEventId - 1 >= HISTORY_LIMIT) return 'Execution history event limit exceeded';
  if (now - record.startDate > MAX_OPEN_MS) return 'Execution has exceeded the max execution time';
  if (now - (record.stopDate ?? now) > REDRIVABLE_PERIOD_MS) return 'Execution redrivable period exceeded';
  return null;
}

/** The redrive date of an earlier successful redrive with this client token, if it still counts. */
export function earlierRedrive(
  record: ExecutionRecord,
  token: string | undefined,
  now: number,
): number | undefined {
  if (token === undefined) return undefined;
  const hit = record.redriveTokens?.find((t) => t.token === token);
  return hit && now - hit.date <= TOKEN_LIFETIME_MS ? hit.date : undefined;
}

/**
 * Puts the execution back to RUNNING and resumes its parked threads. Retry counters start at 0
 * ("the retry attempt count for these states is reset to 0"); the execution's TimeoutSeconds
 * counts again from now ("the state machine level timeout, if defined, is reset to 0").
 */
export function resumeExecution(
  interpreter: InterpreterHub,
  execution: Execution,
  now: number,
  token: string | undefined,
): void {
  const record = execution.record;
  record.status = 'RUNNING';
  record.redriveCount = (record.redriveCount ?? 0) + 1;
  record.redriveDate = now;
  // Tokens past their 15 minutes can never answer again: only the live ones are kept (and
  // journaled with the execution).
  const live = (record.redriveTokens ?? []).filter((t) => now - t.date <= TOKEN_LIFETIME_MS);
  if (token !== undefined) live.push({ token, date: now });
  record.redriveTokens = live.length ? live.slice(-TOKENS_KEPT) : undefined;
  record.stopDate = undefined;
  execution.payloads.output = undefined;
  execution.payloads.error = undefined;
  execution.payloads.cause = undefined;
  const seconds = execution.machine.compiled.timeoutSeconds;
  record.timeoutAt = seconds ? now + seconds * 1000 : undefined;
  interpreter.store.touchPayloads(execution);
  interpreter.history.emit(execution, null, 'ExecutionRedriven', { redriveCount: record.redriveCount });
  const root = execution.rootThread();
  if (root) resume(interpreter, execution, root);
}

function resume(interpreter: InterpreterHub, execution: Execution, thread: Thread): void {
  if (thread.phase === 'done') return;
  thread.retryCount = 0;
  thread.retryAttempts = undefined;
  interpreter.store.touchThread(execution, thread);
  if (thread.phase === 'children') {
    for (const child of execution.children.get(thread.id) ?? [])
      if (child) resume(interpreter, execution, child);
    // A Map launches the iterations it had not started yet; a Distributed Map re-opens its reader.
    interpreter.pump(execution, thread);
    return;
  }
  // Enter the state again with the input it had: a Task is scheduled anew (a new attempt, so a
  // new task token and TimeoutSeconds from now, and late results of the old one are ignored),
  // a Wait waits again (or exits at once when its timestamp has passed), a Choice re-evaluates
  // and a Fail state fails again, as the guide's "Redrive behavior of individual states" says.
  thread.phase = 'enter';
  thread.dueAt = undefined;
  thread.output = undefined;
  forgetTask(thread);
  thread.items = undefined;
  thread.mapRun = undefined;
  interpreter.queue.push(thread);
}
