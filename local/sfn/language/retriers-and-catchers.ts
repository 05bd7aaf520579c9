/**
 * A state's Retry and Catch fields as the definition gives them, checked and compiled once: the
 * errors each matches, the retry's timing, the catcher's next state and ResultPath. What a thread
 * does with them when an error comes is the interpreter's (interpreter/retry-and-catch.ts).
 */
import type { AslCatcher, AslRetrier } from './asl';
import { compileResultPath, type ResultMerge } from './data-paths';
import { DefinitionError } from './states-errors';

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

export function compileRetriers(retriers: AslRetrier[] | undefined): Retrier[] {
  return (retriers ?? []).map((r) => {
    const max = r.MaxDelaySeconds;
    if (max !== undefined && (!Number.isInteger(max) || max <= 0 || max >= MAX_DELAY_LIMIT))
      throw new DefinitionError(`MaxDelaySeconds must be an integer from 1 to ${MAX_DELAY_LIMIT - 1}`);
    const jitter = r.JitterStrategy ?? 'NONE';
    if (jitter !== 'FULL' && jitter !== 'NONE')
      throw new DefinitionError(`JitterStrategy must be FULL or NONE, got ${JSON.stringify(jitter)}`);
    return {
      errors: r.ErrorEquals,
      interval: r.IntervalSeconds ?? 1,
      maxAttempts: r.MaxAttempts ?? 3,
      backoff: r.BackoffRate ?? 2,
      maxDelay: max,
      jitter: jitter === 'FULL',
    };
  });
}

export function compileCatchers(catchers: AslCatcher[] | undefined): Catcher[] {
  return (catchers ?? []).map((c) => ({
    errors: c.ErrorEquals,
    next: c.Next,
    merge: compileResultPath(c.ResultPath),
  }));
}
