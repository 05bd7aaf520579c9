/**
 * JSONPath filter expressions (`[?(...)]`), compiled to predicates. Kept apart from the path
 * parser because it is a small expression language of its own.
 */

import type { Json } from './json';
import { compilePath } from './jsonpath';
import { unquote } from './jsonpath-parser';

/**
 * Filter expressions: `@.a.b`, literals, comparisons (== != < <= > >=), `!`, `&&`, `||` and
 * parentheses. That covers what Step Functions definitions use in practice.
 */
export function compileFilter(src: string, fail: () => never): (v: Json) => boolean {
  const tokens = src.match(
    /@[\w.[\]'"-]*|'(?:\\.|[^'])*'|"(?:\\.|[^"])*"|-?\d+(?:\.\d+)?|===?|!==?|<=|>=|&&|\|\||[<>!()]|true|false|null/g,
  );
  if (!tokens) return fail();
  let pos = 0;
  type Ev = (v: Json) => Json | undefined;
  const primary = (): Ev => {
    const t = tokens[pos++];
    if (t === undefined) return fail();
    if (t === '(') {
      const e = or();
      if (tokens[pos++] !== ')') fail();
      return e;
    }
    if (t === '!') {
      const e = primary();
      return (v) => !truthy(e(v));
    }
    if (t.startsWith('@')) {
      const p = compilePath(`$${t.slice(1)}`);
      return (v) => p.get(v);
    }
    const q = unquote(t);
    if (q !== null) return () => q;
    if (t === 'true' || t === 'false' || t === 'null') {
      const lit = JSON.parse(t) as Json;
      return () => lit;
    }
    const n = Number(t);
    if (Number.isNaN(n)) fail();
    return () => n;
  };
  const cmp = (): Ev => {
    const left = primary();
    const op = tokens[pos];
    if (op && /^(===?|!==?|<=|>=|<|>)$/.test(op)) {
      pos++;
      const right = primary();
      return (v) => compare(op, left(v), right(v));
    }
    return left;
  };
  const and = (): Ev => {
    let e = cmp();
    while (tokens[pos] === '&&') {
      pos++;
      const l = e;
      const r = cmp();
      e = (v) => truthy(l(v)) && truthy(r(v));
    }
    return e;
  };
  const or = (): Ev => {
    let e = and();
    while (tokens[pos] === '||') {
      pos++;
      const l = e;
      const r = and();
      e = (v) => truthy(l(v)) || truthy(r(v));
    }
    return e;
  };
  const e = or();
  if (pos !== tokens.length) fail();
  return (v) => truthy(e(v));
}

function truthy(v: Json | undefined): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}

function compare(op: string, a: Json | undefined, b: Json | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  switch (op) {
    case '==':
    case '===':
      return JSON.stringify(a) === JSON.stringify(b);
    case '!=':
    case '!==':
      return JSON.stringify(a) !== JSON.stringify(b);
  }
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}
