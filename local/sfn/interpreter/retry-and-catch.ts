/**
 * Retry and Catch: which retrier/catcher applies to an error, and how long to wait. From the AWS
 * "Error handling" page (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
 * States.Runtime "isn't retriable, and will always cause the execution to fail"; the terminal
 * States.DataLimitExceeded "cannot be caught by the States.ALL error type" (only by its own
 * name); States.TaskFailed "matches any known error name except for States.Timeout"; a missed
 * heartbeat is reported as States.Timeout, and `States.HeartbeatTimeout` "is available inside the
 * Catch and Retry fields" to match only that case.
 */
import { DefinitionError } from '../language/distributed-map-config';
import { compileResultPath, type ResultMerge } from '../language/payload-template';
import { type AslCatcher, type AslRetrier, HeartbeatTimeout, type StatesError } from '../language/types';

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

export interface Retrier {
  errors: string[];
  interval: number;
  maxAttempts: number;
  backoff: number;
  maxDelay?: number;
  jitter: boolean;
}

export interface Catcher {
  errors: string[];
  next: string;
  merge: ResultMerge;
}

/** "You must specify a value greater than 0 and less than 31622401 for MaxDelaySeconds." */
const MAX_DELAY_LIMIT = 31_622_401;

export function compileRetriers(r: AslRetrier[] | undefined): Retrier[] {
  return (r ?? []).map((x) => {
    const max = x.MaxDelaySeconds;
    if (max !== undefined && (!Number.isInteger(max) || max <= 0 || max >= MAX_DELAY_LIMIT))
      throw new DefinitionError(`MaxDelaySeconds must be an integer from 1 to ${MAX_DELAY_LIMIT - 1}`);
    const jitter = x.JitterStrategy ?? 'NONE';
    if (jitter !== 'FULL' && jitter !== 'NONE')
      throw new DefinitionError(`JitterStrategy must be FULL or NONE, got ${JSON.stringify(jitter)}`);
    return {
      errors: x.ErrorEquals,
      interval: x.IntervalSeconds ?? 1,
      maxAttempts: x.MaxAttempts ?? 3,
      backoff: x.BackoffRate ?? 2,
      maxDelay: max,
      jitter: jitter === 'FULL',
    };
  });
}

export function compileCatchers(c: AslCatcher[] | undefined): Catcher[] {
  return (c ?? []).map((x) => ({
    errors: x.ErrorEquals,
    next: x.Next,
    merge: compileResultPath(x.ResultPath),
  }));
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
