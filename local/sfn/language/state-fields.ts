/**
 * State fields whose value may come from the input at run time: TimeoutSecondsPath and
 * HeartbeatSecondsPath, a Wait's Seconds/Timestamp (or their *Path forms), a Fail state's
 * ErrorPath and CausePath.
 */
import type { AslState } from './asl';
import { isTimestamp } from './choice-rules';
import { compileIntrinsic } from './intrinsics';
import type { Json } from './json';
import { compilePath } from './jsonpath';
import { DefinitionError, StatesRuntimeError } from './states-errors';

export type Dynamic<T> = (input: Json, context: () => Json) => T;
/** A Wait's due time (engine ms) for a given clock reading. */
export type WaitUntil = (input: Json, context: () => Json, now: number) => number;

export function compileSecondsField(
  s: AslState,
  field: 'TimeoutSeconds' | 'HeartbeatSeconds',
): Dynamic<number | undefined> | undefined {
  const literal = s[field];
  const path = s[`${field}Path` as 'TimeoutSecondsPath' | 'HeartbeatSecondsPath'];
  if (typeof literal === 'number') return () => literal;
  if (typeof path !== 'string') return undefined;
  const p = compilePath(path);
  return (input, context) => {
    const v = p.get(p.context ? context() : input);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new StatesRuntimeError(
        `The value of ${field}Path '${path}' must be a positive integer, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  };
}

export function compileFailField(
  literal: string | undefined,
  path: string | undefined,
): Dynamic<string | undefined> | undefined {
  if (typeof literal === 'string') return () => literal;
  if (typeof path !== 'string') return undefined;
  if (!path.startsWith('$')) {
    const f = compileIntrinsic(path);
    return (input, context) => {
      const v = f(input, context);
      return typeof v === 'string' ? v : JSON.stringify(v);
    };
  }
  const p = compilePath(path);
  return (input, context) => {
    const v = p.get(p.context ? context() : input);
    if (v === undefined)
      throw new StatesRuntimeError(`Invalid path '${path}': the path does not exist in the input`);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
}

export function compileWait(s: AslState): WaitUntil {
  if (typeof s.Seconds === 'number') {
    const ms = s.Seconds * 1000;
    return (_input, _context, now) => now + ms;
  }
  if (typeof s.Timestamp === 'string') {
    const at = Date.parse(s.Timestamp);
    return () => at;
  }
  const path = s.SecondsPath ?? s.TimestampPath;
  if (typeof path !== 'string')
    throw new DefinitionError('Wait needs Seconds, SecondsPath, Timestamp or TimestampPath');
  const p = compilePath(path);
  const bySeconds = s.SecondsPath !== undefined;
  return (input, context, now) => {
    const v = p.get(p.context ? context() : input);
    if (v === undefined)
      throw new StatesRuntimeError(`Invalid path '${path}': The path does not exist in the input`);
    if (bySeconds) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw new StatesRuntimeError(
          `The SecondsPath parameter does not reference a valid non-negative integer: ${JSON.stringify(v)}`,
        );
      }
      return now + v * 1000;
    }
    if (!isTimestamp(v))
      throw new StatesRuntimeError(
        `The TimestampPath parameter does not reference a valid ISO-8601 timestamp: ${JSON.stringify(v)}`,
      );
    return Date.parse(v);
  };
}
