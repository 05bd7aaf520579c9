/**
 * Retry and Catch: which retrier/catcher applies to an error name, and how long to wait.
 * States.ALL matches everything except the terminal States.Runtime / States.DataLimitExceeded;
 * States.TaskFailed matches everything except States.Timeout (AWS "Error names" doc).
 */
import { compileResultPath, type ResultMerge } from './payload';
import type { AslCatcher, AslRetrier } from './types';

const TERMINAL = new Set(['States.Runtime', 'States.DataLimitExceeded']);

export function errorMatches(names: readonly string[], error: string): boolean {
  if (TERMINAL.has(error)) return false;
  for (const n of names) {
    if (n === error || n === 'States.ALL') return true;
    // A heartbeat timeout is also a States.Timeout ("Error names": States.Timeout covers both).
    if (n === 'States.Timeout' && error === 'States.HeartbeatTimeout') return true;
    if (n === 'States.TaskFailed' && error !== 'States.Timeout' && error !== 'States.HeartbeatTimeout')
      return true;
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

export function compileRetriers(r: AslRetrier[] | undefined): Retrier[] {
  return (r ?? []).map((x) => ({
    errors: x.ErrorEquals,
    interval: x.IntervalSeconds ?? 1,
    maxAttempts: x.MaxAttempts ?? 3,
    backoff: x.BackoffRate ?? 2,
    maxDelay: x.MaxDelaySeconds,
    jitter: x.JitterStrategy === 'FULL',
  }));
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
 * Returns the delay in milliseconds, or null when the error must go to the catchers.
 */
export function retryDelay(
  retriers: Retrier[],
  attempts: number[],
  error: string,
  random = Math.random,
): number | null {
  for (let i = 0; i < retriers.length; i++) {
    const r = retriers[i] as Retrier;
    if (!errorMatches(r.errors, error)) continue;
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

export function findCatcher(catchers: Catcher[], error: string): Catcher | undefined {
  return catchers.find((c) => errorMatches(c.errors, error));
}
