/**
 * Retry and Catch, in one place: which retrier or catcher applies to an error, how long to wait,
 * and what the thread does then. From the AWS "Error handling" page
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
 * States.Runtime "isn't retriable, and will always cause the execution to fail"; the terminal
 * States.DataLimitExceeded "cannot be caught by the States.ALL error type" (only by its own
 * name); States.TaskFailed "matches any known error name except for States.Timeout"; a missed
 * heartbeat is reported as States.Timeout, and `States.HeartbeatTimeout` "is available inside the
 * Catch and Retry fields" to match only that case. The fields themselves are read in
 * language/retriers-and-catchers.ts.
 */
import type { ResultMerge } from '../language/data-paths';
import type { Catcher, Retrier } from '../language/retriers-and-catchers';
import { asStatesError, FailStateError, HeartbeatTimeout, type StatesError } from '../language/states-errors';
import { dropChildren } from './children';
import type { StateRun } from './ports';
import { exitState, terminateThread } from './transitions';

const DATA_LIMIT = 'States.DataLimitExceeded';

/** An error as Retry/Catch see it: its name, or the error itself (a heartbeat timeout is told apart). */
type Matched = string | StatesError;

export function errorMatches(names: readonly string[], err: Matched): boolean {
  const error = typeof err === 'string' ? err : err.error;
  if (error === 'States.Runtime') return false;
  const wildcard = error !== DATA_LIMIT;
  const heartbeat = err instanceof HeartbeatTimeout;
  for (const n of names) {
    if (n === error) return true;
    if (n === 'States.ALL' && wildcard) return true;
    if (n === 'States.HeartbeatTimeout' && heartbeat) return true;
    if (n === 'States.TaskFailed' && wildcard && error !== 'States.Timeout') return true;
  }
  return false;
}

/**
 * Decide on a retry. `attempts` holds how often each retrier was used in this state (mutated).
 * Returns the delay in milliseconds, or null when the error must go to the catchers. Only the
 * first retrier that matches counts: once it is used up the error goes to Catch, even if a later
 * retrier would match too (AWS "Complex retry scenario" example).
 */
export function retryDelay(
  retriers: Retrier[],
  attempts: number[],
  err: Matched,
  random = Math.random,
): number | null {
  for (let i = 0; i < retriers.length; i++) {
    const r = retriers[i] as Retrier;
    if (!errorMatches(r.errors, err)) continue;
    const n = attempts[i] ?? 0;
    if (n >= r.maxAttempts) return null;
    attempts[i] = n + 1;
    let delay = r.interval * r.backoff ** n;
    if (r.maxDelay !== undefined) delay = Math.min(delay, r.maxDelay);
    if (r.jitter) delay = random() * delay;
    return Math.round(delay * 1000);
  }
  return null;
}

export function findCatcher(catchers: Catcher[], err: Matched): Catcher | undefined {
  return catchers.find((c) => errorMatches(c.errors, err));
}

/** An error in the running state: Retry (after its interval), else Catch, else the thread fails. */
export function handleError(run: StateRun, error: StatesError): void {
  const { interpreter, execution, thread, state } = run;
  if (error instanceof FailStateError || execution.threads.get(thread.id) !== thread) {
    terminateThread(interpreter, execution, thread, error);
    return;
  }
  thread.retryAttempts ??= [];
  const delay = retryDelay(state.retriers, thread.retryAttempts, error);
  if (delay !== null) {
    // A retried Parallel/Map runs all its branches again: the old children are done for.
    dropChildren(interpreter, execution, thread);
    thread.retryCount++;
    interpreter.store.touchThread(execution, thread);
    if (delay <= 0) {
      thread.phase = 'run';
      return;
    }
    thread.phase = 'retry';
    thread.dueAt = interpreter.host.now() + delay;
    interpreter.host.setTimer(thread.dueAt, thread.id);
    return;
  }
  const catcher = findCatcher(state.catchers, error);
  if (!catcher) {
    terminateThread(interpreter, execution, thread, error);
    return;
  }
  dropChildren(interpreter, execution, thread);
  let output: ReturnType<ResultMerge>;
  try {
    output = catcher.merge(thread.input, { Error: error.error, Cause: error.causeText });
  } catch (e) {
    terminateThread(interpreter, execution, thread, asStatesError(e));
    return;
  }
  exitState(run, output, catcher.next, true);
}

/** A retry interval is over: the state runs again. */
export function retryDue(run: StateRun): void {
  const { interpreter, execution, thread } = run;
  thread.dueAt = undefined;
  thread.phase = 'run';
  interpreter.store.touchThread(execution, thread);
  interpreter.queue.push(thread);
}
