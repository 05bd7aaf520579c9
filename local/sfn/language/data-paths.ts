/**
 * The paths that move data through a state: InputPath selects the effective input, ResultPath
 * places the result into the raw input, OutputPath selects the state output
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html).
 */
import { isObject, type Json } from './json';
import { compilePath } from './jsonpath';
import { ResultPathMatchFailure, StatesRuntimeError } from './states-errors';

/** InputPath / OutputPath / ItemsPath: an absent field means `$`, null means `{}`. */
export type PathSelect = (value: Json, context: () => Json) => Json;

export function compileSelect(
  path: string | null | undefined,
  field: 'InputPath' | 'OutputPath' | 'ItemsPath',
): PathSelect {
  if (path === undefined || path === '$') return (v) => v;
  if (path === null) return () => ({});
  const p = compilePath(path);
  return (v, context) => {
    const source = p.context ? context() : v;
    const r = p.get(source);
    if (r === undefined) {
      throw new StatesRuntimeError(
        `Invalid path '${path}' : ${field === 'OutputPath' ? 'Output' : 'Input'} '${JSON.stringify(source)}' doesn't contain the path '${path}'`,
      );
    }
    return r;
  };
}

/** ResultPath: merges the state result into the state input. */
export type ResultMerge = (input: Json, result: Json) => Json;

export function compileResultPath(path: string | null | undefined): ResultMerge {
  if (path === undefined || path === '$') return (_input, result) => result;
  if (path === null) return (input) => input;
  const p = compilePath(path);
  if (!p.keys || p.context) throw new StatesRuntimeError(`ResultPath '${path}' must be a reference path`);
  const keys = p.keys;
  return (input, result) => writePath(input, keys, result, path);
}

/**
 * ResultPath write: returns a copy of `root` with `value` placed at `keys`, creating missing
 * objects on the way. Only the spine is copied; untouched branches are shared.
 */
export function writePath(root: Json, keys: (string | number)[], value: Json, text: string): Json {
  if (keys.length === 0) return value;
  const [k, ...rest] = keys as [string | number, ...(string | number)[]];
  if (typeof k === 'number') {
    if (!Array.isArray(root) || k >= root.length) throw new ResultPathMatchFailure(text, root);
    const copy = root.slice();
    copy[k] = writePath(copy[k] as Json, rest, value, text);
    return copy;
  }
  if (root !== null && root !== undefined && !isObject(root)) throw new ResultPathMatchFailure(text, root);
  const base = isObject(root) ? root : {};
  return { ...base, [k]: writePath(base[k] ?? null, rest, value, text) };
}
