/**
 * Payload templates (Parameters, ResultSelector, ItemSelector) and the InputPath / ResultPath /
 * OutputPath pipeline. Templates are compiled into closures once per definition; a template
 * without any `.$` field compiles to its constant value so a Pass state costs nothing.
 */
import { compileIntrinsic } from './intrinsics';
import { compilePath, writePath } from './jsonpath';
import { isObject, type Json, type JsonObject, runtimeError, StatesError } from './types';

export type Template = (input: Json, ctx: () => Json) => Json;

export function compileTemplate(t: Json): Template {
  const dyn = build(t);
  if (dyn) return dyn;
  return () => t;
}

/** Returns null when the subtree has no dynamic part (then the literal value is used as is). */
function build(t: Json): Template | null {
  if (Array.isArray(t)) {
    const parts = t.map(build);
    if (parts.every((p) => p === null)) return null;
    return (input, ctx) => t.map((v, i) => (parts[i] ? (parts[i] as Template)(input, ctx) : v));
  }
  if (!isObject(t)) return null;
  const entries: [string, Json, Template | null][] = [];
  let dynamic = false;
  for (const [k, v] of Object.entries(t)) {
    if (k.endsWith('.$')) {
      if (typeof v !== 'string') throw runtimeError(`The value of the field '${k}' must be a string`);
      entries.push([k.slice(0, -2), v, fieldEvaluator(k, v)]);
      dynamic = true;
    } else {
      const sub = build(v);
      if (sub) dynamic = true;
      entries.push([k, v, sub]);
    }
  }
  if (!dynamic) return null;
  return (input, ctx) => {
    const out: JsonObject = {};
    for (const [k, v, f] of entries) out[k] = f ? f(input, ctx) : v;
    return out;
  };
}

function fieldEvaluator(key: string, expr: string): Template {
  if (!expr.startsWith('$')) {
    const fn = compileIntrinsic(expr);
    return (input, ctx) => fn(input, ctx);
  }
  const p = compilePath(expr);
  return (input, ctx) => {
    const src = p.context ? ctx() : input;
    const v = p.get(src);
    if (v === undefined) {
      throw runtimeError(
        `The JSONPath '${expr}' specified for the field '${key}' could not be found in the input '${JSON.stringify(src)}'`,
      );
    }
    return v;
  };
}

/** InputPath / OutputPath: `undefined` field = `$`, null = `{}`. */
export type PathSelect = (v: Json, ctx: () => Json) => Json;

export function compileSelect(
  path: string | null | undefined,
  field: 'InputPath' | 'OutputPath' | 'ItemsPath',
): PathSelect {
  if (path === undefined || path === '$') return (v) => v;
  if (path === null) return () => ({});
  const p = compilePath(path);
  return (v, ctx) => {
    const src = p.context ? ctx() : v;
    const r = p.get(src);
    if (r === undefined) {
      throw runtimeError(
        `Invalid path '${path}' : ${field === 'OutputPath' ? 'Output' : 'Input'} '${JSON.stringify(src)}' doesn't contain the path '${path}'`,
      );
    }
    return r;
  };
}

/** ResultPath: merges the state result into the state input. */
export type ResultMerge = (input: Json, result: Json) => Json;

export function compileResultPath(path: string | null | undefined): ResultMerge {
  if (path === undefined || path === '$') return (_i, r) => r;
  if (path === null) return (i) => i;
  const p = compilePath(path);
  if (!p.keys || p.context) {
    throw new StatesError('States.Runtime', `ResultPath '${path}' must be a reference path`);
  }
  const keys = p.keys;
  return (input, result) => writePath(input, keys, result, path);
}
