/**
 * Choice rules compiled to predicates. A missing Variable (or *Path operand) is a States.Runtime
 * error, except for IsPresent; a type mismatch simply makes the comparison false, as in AWS.
 */

import { isObject, type Json, type JsonObject } from './json';
import { compilePath } from './jsonpath';
import { StatesRuntimeError } from './states-errors';

export type Predicate = (input: Json, context: () => Json) => boolean;

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function isTimestamp(v: Json | undefined): v is string {
  return typeof v === 'string' && TS.test(v) && !Number.isNaN(Date.parse(v));
}

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
const OPS: Record<string, (c: number) => boolean> = {
  Equals: (c) => c === 0,
  LessThan: (c) => c < 0,
  GreaterThan: (c) => c > 0,
  LessThanEquals: (c) => c <= 0,
  GreaterThanEquals: (c) => c >= 0,
};

function cmp(kind: Kind, a: Json, b: Json): number | null {
  switch (kind) {
    case 'String':
      if (typeof a !== 'string' || typeof b !== 'string') return null;
      return a < b ? -1 : a > b ? 1 : 0;
    case 'Numeric':
      if (typeof a !== 'number' || typeof b !== 'number') return null;
      return a - b;
    case 'Boolean':
      if (typeof a !== 'boolean' || typeof b !== 'boolean') return null;
      return a === b ? 0 : null;
    case 'Timestamp':
      if (!isTimestamp(a) || !isTimestamp(b)) return null;
      return Date.parse(a) - Date.parse(b);
  }
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) re += (glob[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '.*';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export function compileRule(rule: JsonObject): Predicate {
  if (Array.isArray(rule.And)) {
    const ps = rule.And.map((r) => compileRule(r as JsonObject));
    return (i, c) => ps.every((p) => p(i, c));
  }
  if (Array.isArray(rule.Or)) {
    const ps = rule.Or.map((r) => compileRule(r as JsonObject));
    return (i, c) => ps.some((p) => p(i, c));
  }
  if (isObject(rule.Not)) {
    const p = compileRule(rule.Not);
    return (i, c) => !p(i, c);
  }
  const varText = rule.Variable;
  if (typeof varText !== 'string') throw new StatesRuntimeError('Choice rule without Variable');
  const vp = compilePath(varText);
  const read = (input: Json, context: () => Json, text: string, p = vp): Json => {
    const v = p.get(p.context ? context() : input);
    if (v === undefined)
      throw new StatesRuntimeError(
        `Invalid path '${text}': The choice state's condition path references an invalid value.`,
      );
    return v;
  };
  for (const [key, operand] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Comment') continue;
    if (key === 'IsPresent') {
      return (i, c) => (vp.get(vp.context ? c() : i) !== undefined) === operand;
    }
    const typeTest = TYPE_TESTS[key];
    if (typeTest) return (i, c) => typeTest(read(i, c, varText)) === operand;
    if (key === 'StringMatches') {
      const re = globToRegExp(String(operand));
      return (i, c) => {
        const v = read(i, c, varText);
        return typeof v === 'string' && re.test(v);
      };
    }
    const m =
      /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(
        key,
      );
    if (!m) throw new StatesRuntimeError(`Unknown choice operator '${key}'`);
    const kind = m[1] as Kind;
    const op = OPS[m[2] as string] as (c: number) => boolean;
    if (m[3]) {
      const pText = String(operand);
      const pp = compilePath(pText);
      return (i, c) => {
        const r = cmp(kind, read(i, c, varText), read(i, c, pText, pp));
        return r !== null && op(r);
      };
    }
    return (i, c) => {
      const r = cmp(kind, read(i, c, varText), operand);
      return r !== null && op(r);
    };
  }
  throw new StatesRuntimeError('Choice rule without an operator');
}

const TYPE_TESTS: Record<string, (v: Json) => boolean> = {
  IsNull: (v) => v === null,
  IsString: (v) => typeof v === 'string',
  IsNumeric: (v) => typeof v === 'number',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: (v) => isTimestamp(v),
};
