/**
 * JSONPath as Step Functions uses it (JSONPath query language). Paths are compiled once per
 * definition and cached, because the interpreter evaluates the same few paths millions of times.
 *
 * A "definite" path (only names and indexes) yields one value or `undefined` when missing. Any
 * wildcard, union, slice, recursive descent or filter makes the path indefinite: it yields the
 * array of matches, like the Jayway implementation AWS uses.
 */
import { compileFilter } from './jsonpath-filter';
import { isObject, type Json, runtimeError, StatesError } from './types';

type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wild' }
  | { kind: 'descend'; name: string | null }
  | { kind: 'union'; keys: (string | number)[] }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'filter'; test: (v: Json) => boolean };

export interface CompiledPath {
  readonly text: string;
  /** True when the path starts with `$$` (the context object). */
  readonly context: boolean;
  readonly definite: boolean;
  /** Simple accessors (names / indexes only) for ResultPath writes. */
  readonly keys: (string | number)[] | null;
  get(root: Json): Json | undefined;
}

const cache = new Map<string, CompiledPath>();

export function compilePath(text: string): CompiledPath {
  let p = cache.get(text);
  if (!p) {
    p = build(text);
    cache.set(text, p);
  }
  return p;
}

/** Evaluate `text` against `root`; throws States.Runtime if a definite path finds nothing. */
export function readPath(text: string, root: Json, what: string): Json {
  const v = compilePath(text).get(root);
  if (v === undefined) {
    throw runtimeError(`Invalid path '${text}' : ${what} '${JSON.stringify(root)}' has no such path.`);
  }
  return v;
}

function build(text: string): CompiledPath {
  const context = text.startsWith('$$');
  if (!text.startsWith('$')) throw runtimeError(`Invalid JSONPath '${text}': must start with '$'`);
  const segs = parseSegments(text, context ? 2 : 1);
  const definite = segs.every((s) => s.kind === 'name' || s.kind === 'index');
  const keys = definite
    ? segs.map((s) => (s.kind === 'name' ? s.name : s.kind === 'index' ? s.index : ''))
    : null;
  if (keys) {
    // Fast path: plain property walk, no allocation.
    const get = (root: Json): Json | undefined => {
      let cur: Json | undefined = root;
      for (const k of keys) {
        if (typeof k === 'number') {
          if (!Array.isArray(cur)) return undefined;
          cur = cur[k < 0 ? cur.length + k : k];
        } else {
          if (!isObject(cur) || !Object.hasOwn(cur, k)) return undefined;
          cur = cur[k];
        }
        if (cur === undefined) return undefined;
      }
      return cur;
    };
    return { text, context, definite, keys, get };
  }
  const get = (root: Json): Json => {
    let cur: Json[] = [root];
    for (const s of segs) cur = step(cur, s);
    return cur;
  };
  return { text, context, definite, keys: null, get };
}

function step(values: Json[], s: Segment): Json[] {
  const out: Json[] = [];
  for (const v of values) {
    switch (s.kind) {
      case 'name':
        if (isObject(v) && Object.hasOwn(v, s.name)) out.push(v[s.name] as Json);
        break;
      case 'index':
        if (Array.isArray(v)) {
          const x = v[s.index < 0 ? v.length + s.index : s.index];
          if (x !== undefined) out.push(x);
        }
        break;
      case 'wild':
        if (Array.isArray(v)) out.push(...v);
        else if (isObject(v)) out.push(...Object.values(v));
        break;
      case 'union':
        for (const k of s.keys) {
          out.push(
            ...step([v], typeof k === 'number' ? { kind: 'index', index: k } : { kind: 'name', name: k }),
          );
        }
        break;
      case 'slice':
        if (Array.isArray(v)) {
          const n = v.length;
          const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(n, i));
          const start = norm(s.start ?? 0);
          const end = norm(s.end ?? n);
          for (let i = start; i < end; i += s.step) out.push(v[i] as Json);
        }
        break;
      case 'filter':
        for (const x of Array.isArray(v) ? v : isObject(v) ? Object.values(v) : []) {
          if (s.test(x)) out.push(x);
        }
        break;
      case 'descend':
        descend(v, s.name, out);
        break;
    }
  }
  return out;
}

function descend(v: Json, name: string | null, out: Json[]): void {
  if (Array.isArray(v)) {
    for (const x of v) {
      if (name === null) out.push(x);
      descend(x, name, out);
    }
  } else if (isObject(v)) {
    if (name !== null && Object.hasOwn(v, name)) out.push(v[name] as Json);
    for (const x of Object.values(v)) {
      if (name === null) out.push(x);
      descend(x, name, out);
    }
  }
}

const NAME_CHAR = /[^.[\]\s]/;

function parseSegments(text: string, from: number): Segment[] {
  const segs: Segment[] = [];
  let i = from;
  const fail = (): never => {
    throw runtimeError(`Invalid JSONPath '${text}'`);
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
          segs.push({ kind: 'descend', name: null });
        } else if (text[i] === '[') {
          segs.push({ kind: 'descend', name: null });
        } else segs.push({ kind: 'descend', name: readName() });
        continue;
      }
      i++;
      if (text[i] === '*') {
        i++;
        segs.push({ kind: 'wild' });
      } else segs.push({ kind: 'name', name: readName() });
    } else if (c === '[') {
      const close = findClose(text, i);
      if (close < 0) fail();
      segs.push(parseBracket(text.slice(i + 1, close).trim(), fail));
      i = close + 1;
    } else fail();
  }
  return segs;
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
    const stepN = num(c) ?? 1;
    if (stepN <= 0) fail();
    return { kind: 'slice', start: num(a), end: num(b), step: stepN };
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

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/**
 * ResultPath write: returns a copy of `root` with `value` placed at `keys`, creating missing
 * objects on the way. Only the spine is copied; untouched branches are shared.
 */
export function writePath(root: Json, keys: (string | number)[], value: Json, text: string): Json {
  if (keys.length === 0) return value;
  const [k, ...rest] = keys as [string | number, ...(string | number)[]];
  if (typeof k === 'number') {
    if (!Array.isArray(root) || k >= root.length) {
      throw new StatesErrorRP(text, root);
    }
    const copy = root.slice();
    copy[k] = writePath(copy[k] as Json, rest, value, text);
    return copy;
  }
  if (root !== null && root !== undefined && !isObject(root)) throw new StatesErrorRP(text, root);
  const base = isObject(root) ? root : {};
  return { ...base, [k]: writePath(base[k] ?? null, rest, value, text) };
}

class StatesErrorRP extends StatesError {
  constructor(text: string, at: Json) {
    super(
      'States.ResultPathMatchFailure',
      `Unable to apply ResultPath '${text}' to input '${JSON.stringify(at)}'`,
    );
  }
}
