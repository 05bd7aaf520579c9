/**
 * JSONPath as Step Functions uses it (JSONPath query language). Paths are compiled once per
 * definition and cached, because the interpreter evaluates the same few paths millions of times.
 *
 * A "definite" path (only names and indexes) yields one value or `undefined` when missing. Any
 * wildcard, union, slice, recursive descent or filter makes the path indefinite: it yields the
 * array of matches, like the Jayway implementation AWS uses.
 */
import { isObject, type Json } from './json';
import { parseSegments, type Segment } from './jsonpath-parser';
import { StatesRuntimeError } from './states-errors';

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

function build(text: string): CompiledPath {
  const context = text.startsWith('$$');
  if (!text.startsWith('$')) throw new StatesRuntimeError(`Invalid JSONPath '${text}': must start with '$'`);
  const segments = parseSegments(text, context ? 2 : 1);
  const definite = segments.every((s) => s.kind === 'name' || s.kind === 'index');
  if (definite) {
    const keys = segments.map((s) => (s.kind === 'name' ? s.name : s.kind === 'index' ? s.index : ''));
    return { text, context, definite, keys, get: (root) => walk(root, keys) };
  }
  const get = (root: Json): Json => {
    let current: Json[] = [root];
    for (const s of segments) current = step(current, s);
    return current;
  };
  return { text, context, definite, keys: null, get };
}

/** The fast path of definite paths: a plain property walk, no allocation. */
function walk(root: Json, keys: (string | number)[]): Json | undefined {
  let current: Json | undefined = root;
  for (const k of keys) {
    if (typeof k === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[k < 0 ? current.length + k : k];
    } else {
      if (!isObject(current) || !Object.hasOwn(current, k)) return undefined;
      current = current[k];
    }
    if (current === undefined) return undefined;
  }
  return current;
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
