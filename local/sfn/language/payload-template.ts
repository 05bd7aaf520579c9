/**
 * Payload templates (Parameters, ResultSelector, ItemSelector, ItemReader Parameters,
 * ItemBatcher BatchInput). Templates are compiled into closures once per definition; a template
 * without any `.$` field compiles to its constant value, so a Pass state costs nothing.
 */
import { compileIntrinsic } from './intrinsics';
import { isObject, type Json, type JsonObject } from './json';
import { compilePath } from './jsonpath';
import { StatesRuntimeError } from './states-errors';

export type Template = (input: Json, context: () => Json) => Json;

export function compileTemplate(template: Json): Template {
  const dynamic = build(template);
  if (dynamic) return dynamic;
  return () => template;
}

/** Returns null when the subtree has no dynamic part (then the literal value is used as is). */
function build(t: Json): Template | null {
  if (Array.isArray(t)) {
    const parts = t.map(build);
    if (parts.every((p) => p === null)) return null;
    return (input, context) => t.map((v, i) => (parts[i] ? (parts[i] as Template)(input, context) : v));
  }
  if (!isObject(t)) return null;
  const entries: [string, Json, Template | null][] = [];
  let dynamic = false;
  for (const [k, v] of Object.entries(t)) {
    if (k.endsWith('.$')) {
      if (typeof v !== 'string')
        throw new StatesRuntimeError(`The value of the field '${k}' must be a string`);
      entries.push([k.slice(0, -2), v, fieldEvaluator(k, v)]);
      dynamic = true;
    } else {
      const sub = build(v);
      if (sub) dynamic = true;
      entries.push([k, v, sub]);
    }
  }
  if (!dynamic) return null;
  return (input, context) => {
    const out: JsonObject = {};
    for (const [k, v, f] of entries) out[k] = f ? f(input, context) : v;
    return out;
  };
}

function fieldEvaluator(key: string, expression: string): Template {
  if (!expression.startsWith('$')) {
    const fn = compileIntrinsic(expression);
    return (input, context) => fn(input, context);
  }
  const p = compilePath(expression);
  return (input, context) => {
    const source = p.context ? context() : input;
    const v = p.get(source);
    if (v === undefined) {
      throw new StatesRuntimeError(
        `The JSONPath '${expression}' specified for the field '${key}' could not be found in the input '${JSON.stringify(source)}'`,
      );
    }
    return v;
  };
}
