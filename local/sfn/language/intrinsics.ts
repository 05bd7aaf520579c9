/**
 * Intrinsic functions (`States.Format(...)` etc.) for `.$` fields. An expression is parsed once
 * into a closure tree; arguments are literals, JSONPaths (`$.x` on the input, `$$.x` on the
 * context object) or nested calls. Failures are `States.Runtime`, as AWS reports them.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { compilePath } from './jsonpath';
import { isObject, type Json, runtimeError } from './types';

export type Evaluator = (input: Json, ctx: () => Json) => Json;

const cache = new Map<string, Evaluator>();

export function compileIntrinsic(src: string): Evaluator {
  let e = cache.get(src);
  if (!e) {
    const p = new Parser(src);
    e = p.call();
    p.end();
    cache.set(src, e);
  }
  return e;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  end(): void {
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected trailing text');
  }
  fail(why: string): never {
    throw runtimeError(`Invalid intrinsic function '${this.s}': ${why}`);
  }

  call(): Evaluator {
    this.ws();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.i));
    if (!m) this.fail('expected a States.* function');
    const name = m[0];
    this.i += name.length;
    if (this.s[this.i] !== '(') this.fail("expected '('");
    this.i++;
    const args: Evaluator[] = [];
    this.ws();
    if (this.s[this.i] === ')') this.i++;
    else {
      for (;;) {
        args.push(this.arg());
        this.ws();
        const c = this.s[this.i++];
        if (c === ')') break;
        if (c !== ',') this.fail("expected ',' or ')'");
      }
    }
    const fn = FUNCTIONS[name];
    if (!fn) this.fail(`unknown function ${name}`);
    return (input, ctx) => fn(args.map((a) => a(input, ctx)));
  }

  private arg(): Evaluator {
    this.ws();
    const c = this.s[this.i];
    if (c === "'") return this.str();
    if (c === '$') return this.path();
    if (this.s.startsWith('States.', this.i)) return this.call();
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.s.slice(this.i));
    if (!m) this.fail('bad argument');
    this.i += m[0].length;
    const v = JSON.parse(m[0]) as Json;
    return () => v;
  }

  private str(): Evaluator {
    let out = '';
    this.i++;
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.fail('unterminated string');
      if (c === '\\') {
        const n = this.s[this.i++];
        if (n === undefined) this.fail('bad escape');
        // `\{` and `\}` must survive until States.Format sees them; other escapes collapse.
        out += n === '{' || n === '}' ? `\\${n}` : n;
      } else if (c === "'") break;
      else out += c;
    }
    return () => out;
  }

  private path(): Evaluator {
    const start = this.i;
    let depth = 0;
    let quote: string | null = null;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']') depth--;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ',' || c === ' ') && depth === 0) break;
    }
    const text = this.s.slice(start, this.i);
    const p = compilePath(text);
    return (input, ctx) => {
      const v = p.get(p.context ? ctx() : input);
      if (v === undefined)
        throw runtimeError(`The JsonPath argument '${text}' could not be found in the input`);
      return v;
    };
  }
}

/** Strips the `\{` `\}` markers kept for States.Format from strings used by other functions. */
function plain(v: Json): Json {
  return typeof v === 'string' ? v.replace(/\\([{}])/g, '$1') : v;
}

function need<T>(name: string, ok: boolean, v: T): T {
  if (!ok) throw runtimeError(`Invalid arguments in ${name}`);
  return v;
}
const isInt = (v: Json | undefined): v is number => typeof v === 'number' && Number.isInteger(v);

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] as Json));
  const ka = Object.keys(a);
  const ob = b as Record<string, Json>;
  return (
    ka.length === Object.keys(ob).length &&
    ka.every((k) => Object.hasOwn(ob, k) && deepEqual((a as Record<string, Json>)[k] as Json, ob[k] as Json))
  );
}

export { deepEqual };

/** mulberry32: a tiny deterministic PRNG step, enough for a seeded MathRandom. */
function seeded(seed: number): number {
  let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const FUNCTIONS: Record<string, (a: Json[]) => Json> = {
  'States.Format': (a) => {
    const [tpl, ...vals] = a;
    need('States.Format', typeof tpl === 'string', 0);
    let n = 0;
    const out = (tpl as string).replace(/\\\{|\\\}|\{\}/g, (m) => {
      if (m !== '{}') return m.slice(1);
      const v = vals[n++];
      if (v === undefined || (typeof v === 'object' && v !== null))
        throw runtimeError('Invalid arguments in States.Format');
      return typeof v === 'string' ? (plain(v) as string) : JSON.stringify(v);
    });
    need('States.Format', n === vals.length, 0);
    return out;
  },
  'States.StringToJson': ([s]) => {
    need('States.StringToJson', typeof s === 'string', 0);
    try {
      return JSON.parse(plain(s as string) as string) as Json;
    } catch {
      throw runtimeError('Invalid arguments in States.StringToJson');
    }
  },
  'States.JsonToString': (a) =>
    need('States.JsonToString', a.length === 1, JSON.stringify(plain(a[0] as Json))),
  'States.Array': (a) => a.map(plain),
  'States.ArrayPartition': ([arr, size]) => {
    need('States.ArrayPartition', Array.isArray(arr) && isInt(size) && size > 0, 0);
    const out: Json[] = [];
    const xs = arr as Json[];
    for (let i = 0; i < xs.length; i += size as number) out.push(xs.slice(i, i + (size as number)));
    return out;
  },
  'States.ArrayContains': ([arr, v]) => {
    need('States.ArrayContains', Array.isArray(arr) && v !== undefined, 0);
    return (arr as Json[]).some((x) => deepEqual(x, plain(v as Json)));
  },
  'States.ArrayRange': ([s, e, st]) => {
    need('States.ArrayRange', isInt(s) && isInt(e) && isInt(st) && st !== 0, 0);
    const out: number[] = [];
    const [a, b, c] = [s as number, e as number, st as number];
    for (let x = a; c > 0 ? x <= b : x >= b; x += c) {
      out.push(x);
      need('States.ArrayRange', out.length <= 1000, 0);
    }
    return out;
  },
  'States.ArrayGetItem': ([arr, i]) => {
    need('States.ArrayGetItem', Array.isArray(arr) && isInt(i) && i >= 0, 0);
    const v = (arr as Json[])[i as number];
    return need('States.ArrayGetItem', v !== undefined, v as Json);
  },
  'States.ArrayLength': ([arr]) => need('States.ArrayLength', Array.isArray(arr), (arr as Json[]).length),
  'States.ArrayUnique': ([arr]) => {
    need('States.ArrayUnique', Array.isArray(arr), 0);
    const out: Json[] = [];
    for (const x of arr as Json[]) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  },
  'States.Base64Encode': ([s]) => {
    need('States.Base64Encode', typeof s === 'string', 0);
    return Buffer.from(plain(s as string) as string, 'utf8').toString('base64');
  },
  'States.Base64Decode': ([s]) => {
    need('States.Base64Decode', typeof s === 'string', 0);
    return Buffer.from(s as string, 'base64').toString('utf8');
  },
  'States.Hash': ([data, alg]) => {
    const algo = typeof alg === 'string' ? HASHES[alg] : undefined;
    need('States.Hash', data !== undefined && data !== null && algo !== undefined, 0);
    const text = typeof data === 'string' ? (plain(data) as string) : JSON.stringify(data);
    return createHash(algo as string)
      .update(text)
      .digest('hex');
  },
  'States.JsonMerge': ([a, b, deep]) => {
    need('States.JsonMerge', isObject(a) && isObject(b) && deep === false, 0);
    return { ...(a as object), ...(b as object) } as Json;
  },
  'States.MathRandom': ([s, e, seed]) => {
    need('States.MathRandom', isInt(s) && isInt(e) && (e as number) > (s as number), 0);
    const [lo, hi] = [s as number, e as number];
    if (seed === undefined) return randomInt(lo, hi);
    // With a seed the result is reproducible: same seed, same number.
    need('States.MathRandom', typeof seed === 'number', 0);
    return lo + Math.floor(seeded(seed as number) * (hi - lo));
  },
  'States.MathAdd': ([a, b]) => {
    need('States.MathAdd', typeof a === 'number' && typeof b === 'number', 0);
    return (a as number) + (b as number);
  },
  'States.StringSplit': ([s, d]) => {
    need('States.StringSplit', typeof s === 'string' && typeof d === 'string', 0);
    // AWS splits on every character of the delimiter string and drops empty pieces.
    const delims = new Set(plain(d as string) as string);
    const out: string[] = [];
    let cur = '';
    for (const ch of plain(s as string) as string) {
      if (delims.has(ch)) {
        if (cur) out.push(cur);
        cur = '';
      } else cur += ch;
    }
    if (cur) out.push(cur);
    return out;
  },
  'States.UUID': () => randomUUID(),
};
