/**
 * RedriveExecution: an execution that FAILED, TIMED_OUT or was ABORTED continues from where it
 * stopped, keeping everything that succeeded. Sources:
 * - API: https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 * - Guide: https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 *
 * An unsuccessful execution keeps its thread tree parked (flow.ts, parkTree): every thread still
 * names its state and input. Redrive walks that tree: a Parallel/Map thread keeps its succeeded
 * children and resumes the others ("reschedules and redrives only those branches / iterations
 * that failed or aborted"); every other thread enters its state again, so a failed Task inside a
 * branch restarts at that Task, not at the branch start.
 */

import type { ExecRec, Machine, Store, Thread } from '../durability/store';
import type { Runner } from './runner';

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
 * Why `x` cannot be redriven now, worded as DescribeExecution's documented redriveStatusReason
 * values, or null when it can. `machine` is the state machine as it is now (deleted or not).
 */
export function redriveBlocker(x: ExecRec, machine: Machine | undefined, now: number): string | null {
  if (x.st === 'RUNNING' || x.st === 'SUCCEEDED') return `Execution is ${x.st} and cannot be redriven`;
  if (!machine || machine.deleted) return 'State machine is in DELETING status';
  // "This API action is not supported by EXPRESS state machines" (no documented reason text).
  if (machine.type === 'EXPRESS') return 'Execution of an EXPRESS state machine cannot be redriven';
  if (x.ne - 1 >= HISTORY_LIMIT) return 'Execution history event limit exceeded';
  if (now - x.start > MAX_OPEN_MS) return 'Execution has exceeded the max execution time';
  if (now - (x.stop ?? now) > REDRIVABLE_PERIOD_MS) return 'Execution redrivable period exceeded';
  return null;
}

/** The redrive date of an earlier successful redrive with this client token, if it still counts. */
export function earlierRedrive(x: ExecRec, token: string | undefined, now: number): number | undefined {
  if (token === undefined) return undefined;
  const hit = x.redriveTokens?.find((t) => t.token === token);
  return hit && now - hit.date <= TOKEN_LIFETIME_MS ? hit.date : undefined;
}

/**
 * Puts `x` back to RUNNING and resumes its parked threads. Retry counters start at 0 ("the retry
 * attempt count for these states is reset to 0"); the execution's TimeoutSeconds counts again
 * from now ("the state machine level timeout, if defined, is reset to 0").
 */
export function resumeExecution(
  runner: Runner,
  store: Store,
  x: ExecRec,
  machine: Machine,
  now: number,
  token: string | undefined,
): void {
  x.st = 'RUNNING';
  x.redriveCount = (x.redriveCount ?? 0) + 1;
  x.redriveDate = now;
  // Tokens past their 15 minutes can never answer again: only the live ones are kept (and
  // journaled with the execution).
  const live = (x.redriveTokens ?? []).filter((t) => now - t.date <= TOKEN_LIFETIME_MS);
  if (token !== undefined) live.push({ token, date: now });
  x.redriveTokens = live.length ? live.slice(-TOKENS_KEPT) : undefined;
  x.stop = undefined;
  x.output = undefined;
  x.error = undefined;
  x.cause = undefined;
  const seconds = machine.compiled.timeoutSeconds;
  x.to = seconds ? now + seconds * 1000 : undefined;
  store.touchExec(x);
  runner.history.emit(x, null, 'ExecutionRedriven', { redriveCount: x.redriveCount });
  const root = store.threads.get(`${x.key}.0`);
  if (root) resume(runner, store, x, root);
}

function resume(runner: Runner, store: Store, x: ExecRec, t: Thread): void {
  if (t.ph === 'done') return;
  t.rc = 0;
  t.ra = undefined;
  store.touch(t);
  if (t.ph === 'kids') {
    for (const k of store.kids.get(t.id) ?? []) if (k) resume(runner, store, x, k);
    // A Map launches the iterations it had not started yet; a Distributed Map re-opens its reader.
    runner.pump(x, t, runner.state(x, t));
    return;
  }
  // Enter the state again with the input it had: a Task is scheduled anew (a new attempt, so a
  // new task token and TimeoutSeconds from now, and late results of the old one are ignored),
  // a Wait waits again (or exits at once when its timestamp has passed), a Choice re-evaluates
  // and a Fail state fails again, as the guide's "Redrive behavior of individual states" says.
  t.ph = 'enter';
  t.due = undefined;
  t.out = undefined;
  t.tok = undefined;
  t.sub = undefined;
  t.to = undefined;
  t.hb = undefined;
  t.hs = undefined;
  t.eff = undefined;
  t.items = undefined;
  t.mr = undefined;
  runner.queue.push(t);
}
