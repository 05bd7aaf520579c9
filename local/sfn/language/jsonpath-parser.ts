/**
 * The JSONPath grammar: a path text turned into segments (names, indexes, wildcards, unions,
 * slices, filters, recursive descent). jsonpath.ts evaluates them.
 */

import type { Json } from './json';
import { compileFilter } from './jsonpath-filter';
import { StatesRuntimeError } from './states-errors';

export type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wild' }
  | { kind: 'descend'; name: string | null }
  | { kind: 'union'; keys: (string | number)[] }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'filter'; test: (v: Json) => boolean };

const NAME_CHAR = /[^.[\]\s]/;

export function parseSegments(text: string, from: number): Segment[] {
  const segments: Segment[] = [];
  let i = from;
  const fail = (): never => {
    throw new StatesRuntimeError(`Invalid JSONPath '${text}'`);
  };
  const readName = (): string => {
    const start = i;
    while (i < text.length && NAME_CHAR.test(text[i] as string)) i++;
    if (i === start) fail();
    return text.slice(start, i);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      if (text[i + 1] === '.') {
        i += 2;
        if (text[i] === '*') {
          i++;
          segments.push({ kind: 'descend', name: null });
        } else if (text[i] === '[') {
          segments.push({ kind: 'descend', name: null });
        } else segments.push({ kind: 'descend', name: readName() });
        continue;
      }
      i++;
      // `.[` is the bracket alone, as Jayway (which AWS uses) reads it: `$.[0]`, `$.abc.['def ghi']`
      // and `$.[?(@.OU > 0)]` appear on AWS's "Using JSONPath paths" page.
      if (text[i] === '[') continue;
      if (text[i] === '*') {
        i++;
        segments.push({ kind: 'wild' });
      } else segments.push({ kind: 'name', name: readName() });
    } else if (c === '[') {
      const close = findClose(text, i);
      if (close < 0) fail();
      segments.push(parseBracket(text.slice(i + 1, close).trim(), fail));
      i = close + 1;
    } else fail();
  }
  return segments;
}

function findClose(text: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0 && c === ']') return i;
    }
  }
  return -1;
}

export function unquote(s: string): string | null {
  if (s.length >= 2 && (s[0] === "'" || s[0] === '"') && s[s.length - 1] === s[0]) {
    return s.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return null;
}

function parseBracket(body: string, fail: () => never): Segment {
  if (body === '*') return { kind: 'wild' };
  if (body.startsWith('?(') && body.endsWith(')'))
    return { kind: 'filter', test: compileFilter(body.slice(2, -1), fail) };
  if (/^-?\d*:-?\d*(:-?\d+)?$/.test(body)) {
    const [a, b, c] = body.split(':');
    const num = (x: string | undefined) => (x === undefined || x === '' ? undefined : Number(x));
    const step = num(c) ?? 1;
    if (step <= 0) fail();
    return { kind: 'slice', start: num(a), end: num(b), step };
  }
  const parts = splitTop(body, ',').map((p) => p.trim());
  const keys = parts.map((p) => {
    const q = unquote(p);
    if (q !== null) return q;
    if (/^-?\d+$/.test(p)) return Number(p);
    return fail();
  });
  if (keys.length === 1) {
    const k = keys[0] as string | number;
    return typeof k === 'number' ? { kind: 'index', index: k } : { kind: 'name', name: k };
  }
  return { kind: 'union', keys };
}

function splitTop(s: string, separator: string): string[] {
  const out: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === separator) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}
