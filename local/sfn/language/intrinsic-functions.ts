/**
 * The States.* intrinsic functions (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html):
 * each takes its evaluated arguments and returns a value, or fails with States.Runtime as AWS does.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { isObject, type Json } from './json';
import { StatesRuntimeError } from './states-errors';

/** Strips the `\{` `\}` markers kept for States.Format from strings used by other functions. */
function plain(v: Json): Json {
  return typeof v === 'string' ? v.replace(/\\([{}])/g, '$1') : v;
}

function need<T>(name: string, ok: boolean, v: T): T {
  if (!ok) throw new StatesRuntimeError(`Invalid arguments in ${name}`);
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

export const INTRINSIC_FUNCTIONS: Record<string, (a: Json[]) => Json> = {
  'States.Format': (a) => {
    const [tpl, ...vals] = a;
    need('States.Format', typeof tpl === 'string', 0);
    let n = 0;
    const out = (tpl as string).replace(/\\\{|\\\}|\{\}/g, (m) => {
      if (m !== '{}') return m.slice(1);
      const v = vals[n++];
      if (v === undefined || (typeof v === 'object' && v !== null))
        throw new StatesRuntimeError('Invalid arguments in States.Format');
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
      throw new StatesRuntimeError('Invalid arguments in States.StringToJson');
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
