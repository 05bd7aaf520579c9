/** Unit tests of the building blocks: JSONPath, payload templates, intrinsics, Choice rules, Retry. */
import { describe, expect, it } from 'vitest';
import { errorMatches, retryDelay } from '../../../local/sfn/interpreter/retry-and-catch';
import { compileRule } from '../../../local/sfn/language/choice-rules';
import { compileResultPath, compileSelect, writePath } from '../../../local/sfn/language/data-paths';
import { compileIntrinsic } from '../../../local/sfn/language/intrinsics';
import type { Json } from '../../../local/sfn/language/json';
import { compilePath } from '../../../local/sfn/language/jsonpath';
import { compileTemplate } from '../../../local/sfn/language/payload-template';
import { compileRetriers } from '../../../local/sfn/language/retriers-and-catchers';
import { HeartbeatTimeout, StatesError } from '../../../local/sfn/language/states-errors';

const ctx = () => ({ Execution: { Name: 'ex' }, Task: { Token: 'tok' } }) as Json;
const fn = (expr: string, input: Json = {}) => compileIntrinsic(expr)(input, ctx);
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof StatesError ? e.error : `other: ${String(e)}`;
  }
  return 'no error';
};

describe('JSONPath', () => {
  const doc = {
    a: { b: [1, 2, 3], 'x y': 5 },
    list: [
      { n: 1, t: 'a' },
      { n: 5, t: 'b' },
    ],
    z: 0,
    nul: null,
  };
  it('reads definite paths, brackets, negative indexes', () => {
    expect(compilePath('$').get(doc)).toBe(doc);
    expect(compilePath('$.a.b[1]').get(doc)).toBe(2);
    expect(compilePath("$.a['x y']").get(doc)).toBe(5);
    expect(compilePath('$.a.b[-1]').get(doc)).toBe(3);
    expect(compilePath('$.z').get(doc)).toBe(0);
    expect(compilePath('$.nul').get(doc)).toBeNull();
    expect(compilePath('$.nope.deeper').get(doc)).toBeUndefined();
    expect(compilePath('$.a.b').definite).toBe(true);
  });
  it('returns arrays for wildcards, slices, unions, filters and recursive descent', () => {
    expect(compilePath('$.list[*].n').get(doc)).toEqual([1, 5]);
    expect(compilePath('$.a.b[0:2]').get(doc)).toEqual([1, 2]);
    expect(compilePath('$.a.b[0,2]').get(doc)).toEqual([1, 3]);
    expect(compilePath("$.list[?(@.n > 2 && @.t == 'b')].t").get(doc)).toEqual(['b']);
    expect(compilePath('$..n').get(doc)).toEqual([1, 5]);
    expect(compilePath('$.list[*]').definite).toBe(false);
  });
  it('writes ResultPath values by copying only the spine', () => {
    const input = { keep: { deep: 1 }, a: { b: 1 } };
    const out = writePath(input, ['a', 'c', 'd'], 7, '$.a.c.d') as Record<string, Json>;
    expect(out).toEqual({ keep: { deep: 1 }, a: { b: 1, c: { d: 7 } } });
    expect(out.keep).toBe(input.keep);
    expect(input).toEqual({ keep: { deep: 1 }, a: { b: 1 } });
    expect(errorOf(() => writePath({ a: 'str' }, ['a', 'b'], 1, '$.a.b'))).toBe(
      'States.ResultPathMatchFailure',
    );
  });
  it('rejects malformed paths with States.Runtime', () => {
    expect(errorOf(() => compilePath('a.b'))).toBe('States.Runtime');
    expect(errorOf(() => compilePath('$.a['))).toBe('States.Runtime');
  });
});

describe('payload templates and paths', () => {
  it('evaluates .$ fields from input, context and intrinsics; constants are shared', () => {
    const tpl = compileTemplate({
      k: 'v',
      'a.$': '$.x',
      'name.$': '$$.Execution.Name',
      'f.$': "States.Format('{}!', $.x)",
      n: { 'tok.$': '$$.Task.Token' },
    });
    expect(tpl({ x: 'hi' }, ctx)).toEqual({ k: 'v', a: 'hi', name: 'ex', f: 'hi!', n: { tok: 'tok' } });
    const constant = { a: [1, { b: 2 }] };
    expect(compileTemplate(constant)({}, ctx)).toBe(constant);
  });
  it('reports a missing .$ path as States.Runtime naming the field', () => {
    try {
      compileTemplate({ 'a.$': '$.missing' })({ x: 1 }, ctx);
      expect.unreachable();
    } catch (e) {
      expect((e as StatesError).error).toBe('States.Runtime');
      expect((e as StatesError).causeText).toContain("'a.$'");
    }
  });
  it('InputPath/OutputPath null give {}, ResultPath null keeps the input', () => {
    expect(compileSelect(null, 'InputPath')({ a: 1 }, ctx)).toEqual({});
    expect(compileSelect('$.a', 'OutputPath')({ a: 1 }, ctx)).toBe(1);
    expect(compileResultPath(null)({ a: 1 }, 'r')).toEqual({ a: 1 });
    expect(compileResultPath('$')({ a: 1 }, 'r')).toBe('r');
  });
});

describe('intrinsic functions', () => {
  it('formats with escapes and mixed argument types', () => {
    expect(fn("States.Format('{} and {} \\{x\\} {}', 'a', 1, true)")).toBe('a and 1 {x} true');
    expect(fn("States.Format('it\\'s {}', $.v)", { v: null })).toBe("it's null");
    expect(errorOf(() => fn("States.Format('{} {}', 'only one')"))).toBe('States.Runtime');
  });
  it('converts JSON and builds arrays', () => {
    expect(fn('States.StringToJson($.s)', { s: '{"a":[1]}' })).toEqual({ a: [1] });
    expect(fn('States.JsonToString($.o)', { o: { a: 1 } })).toBe('{"a":1}');
    expect(fn("States.Array(1, 'two', $.x, States.Array())", { x: { y: 1 } })).toEqual([
      1,
      'two',
      { y: 1 },
      [],
    ]);
    expect(fn('States.ArrayPartition($.a, 2)', { a: [1, 2, 3, 4, 5] })).toEqual([[1, 2], [3, 4], [5]]);
    expect(fn('States.ArrayContains($.a, $.v)', { a: [{ k: 1 }], v: { k: 1 } })).toBe(true);
    expect(fn('States.ArrayRange(10, 0, -5)')).toEqual([10, 5, 0]);
    expect(fn('States.ArrayGetItem($.a, 1)', { a: ['x', 'y'] })).toBe('y');
    expect(fn('States.ArrayLength($.a)', { a: [1, 2, 3] })).toBe(3);
    expect(fn('States.ArrayUnique($.a)', { a: [1, 2, 1, 'x', 'x'] })).toEqual([1, 2, 'x']);
    expect(errorOf(() => fn('States.ArrayRange(1, 2000, 1)'))).toBe('States.Runtime');
  });
  it('encodes, hashes, merges, adds, splits and makes UUIDs', () => {
    expect(fn("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(fn("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
    expect(fn("States.Hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(fn('States.JsonMerge($.a, $.b, false)', { a: { x: 1, n: { p: 1 } }, b: { n: { q: 2 } } })).toEqual(
      { x: 1, n: { q: 2 } },
    );
    expect(errorOf(() => fn('States.JsonMerge($.a, $.a, true)', { a: {} }))).toBe('States.Runtime');
    expect(fn('States.MathAdd(111, -1)')).toBe(110);
    expect(fn("States.StringSplit('a,b;;c', ',;')")).toEqual(['a', 'b', 'c']);
    expect(fn('States.UUID()')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const r = fn('States.MathRandom(1, 5)') as number;
    expect(r >= 1 && r < 5 && Number.isInteger(r)).toBe(true);
    const seededA = fn('States.MathRandom(1, 999, 42)') as number;
    expect(fn('States.MathRandom(1, 999, 42)')).toBe(seededA);
    expect(seededA >= 1 && seededA < 999).toBe(true);
  });
  it('rejects unknown functions and missing paths', () => {
    expect(errorOf(() => fn('States.Nope(1)'))).toBe('States.Runtime');
    expect(errorOf(() => fn('States.ArrayLength($.missing)'))).toBe('States.Runtime');
  });
});

describe('Choice rules', () => {
  const test = (rule: Record<string, Json>, input: Json) => compileRule(rule)(input, ctx);
  it('compares strings, numbers, booleans and timestamps, with *Path variants', () => {
    expect(test({ Variable: '$.s', StringLessThan: 'b' }, { s: 'a' })).toBe(true);
    expect(test({ Variable: '$.s', StringGreaterThanEquals: 'b' }, { s: 'a' })).toBe(false);
    expect(test({ Variable: '$.n', NumericEqualsPath: '$.m' }, { n: 2, m: 2 })).toBe(true);
    expect(test({ Variable: '$.b', BooleanEqualsPath: '$.c' }, { b: true, c: false })).toBe(false);
    expect(
      test(
        { Variable: '$.t', TimestampGreaterThan: '2024-01-01T00:00:00Z' },
        { t: '2024-01-01T00:00:01+00:00' },
      ),
    ).toBe(true);
    expect(test({ Variable: '$.t', TimestampEquals: '2024-01-01T00:00:00Z' }, { t: 'not a date' })).toBe(
      false,
    );
    expect(test({ Variable: '$.n', NumericGreaterThan: 1 }, { n: '5' })).toBe(false);
  });
  it('matches globs with escapes', () => {
    expect(test({ Variable: '$.s', StringMatches: '*.log' }, { s: 'a.log' })).toBe(true);
    expect(test({ Variable: '$.s', StringMatches: 'a\\*b' }, { s: 'a*b' })).toBe(true);
    expect(test({ Variable: '$.s', StringMatches: 'a\\*b' }, { s: 'axxb' })).toBe(false);
  });
  it('handles type tests with true and false operands', () => {
    expect(test({ Variable: '$.x', IsPresent: false }, {})).toBe(true);
    expect(test({ Variable: '$.x', IsNull: false }, { x: 1 })).toBe(true);
    expect(test({ Variable: '$.x', IsNumeric: true }, { x: 1 })).toBe(true);
    expect(test({ Variable: '$.x', IsTimestamp: true }, { x: '2020-02-03T04:05:06.789Z' })).toBe(true);
  });
  it('raises States.Runtime for a missing variable (except IsPresent)', () => {
    expect(errorOf(() => test({ Variable: '$.x', StringEquals: 'a' }, {}))).toBe('States.Runtime');
    expect(errorOf(() => test({ Variable: '$.x', NumericEqualsPath: '$.y' }, { x: 1 }))).toBe(
      'States.Runtime',
    );
  });
  it('combines with And / Or / Not', () => {
    const rule: Record<string, Json> = {
      Or: [
        { Not: { Variable: '$.a', IsPresent: true } },
        {
          And: [
            { Variable: '$.a', NumericGreaterThan: 1 },
            { Variable: '$.a', NumericLessThan: 3 },
          ],
        },
      ],
    };
    expect(test(rule, {})).toBe(true);
    expect(test(rule, { a: 2 })).toBe(true);
    expect(test(rule, { a: 3 })).toBe(false);
  });
});

describe('Retry and Catch matching', () => {
  it('applies the AWS wildcards', () => {
    expect(errorMatches(['States.ALL'], 'Custom')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'Lambda.ServiceException')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    // A missed heartbeat is reported as States.Timeout; States.HeartbeatTimeout names only it.
    const heartbeat = new HeartbeatTimeout();
    expect(heartbeat.error).toBe('States.Timeout');
    expect(errorMatches(['States.Timeout'], heartbeat)).toBe(true);
    expect(errorMatches(['States.HeartbeatTimeout'], heartbeat)).toBe(true);
    expect(errorMatches(['States.HeartbeatTimeout'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], heartbeat)).toBe(false);
    // Terminal errors: States.Runtime never matches; States.DataLimitExceeded only by its name.
    expect(errorMatches(['States.Runtime'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.DataLimitExceeded')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'States.DataLimitExceeded')).toBe(false);
    expect(errorMatches(['States.DataLimitExceeded'], 'States.DataLimitExceeded')).toBe(true);
    expect(errorMatches(['A', 'B'], 'C')).toBe(false);
  });
  it('computes backoff, caps with MaxDelaySeconds, jitters, and stops after MaxAttempts', () => {
    const rs = compileRetriers([
      { ErrorEquals: ['Other'], MaxAttempts: 5 },
      { ErrorEquals: ['E'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 10 },
    ]);
    const attempts: number[] = [];
    expect([1, 2, 3, 4, 5].map(() => retryDelay(rs, attempts, 'E'))).toEqual([
      2000,
      6000,
      10000,
      10000,
      null,
    ]);
    const jitter = compileRetriers([{ ErrorEquals: ['E'], IntervalSeconds: 10, JitterStrategy: 'FULL' }]);
    expect(retryDelay(jitter, [], 'E', () => 0.25)).toBe(2500);
    expect(retryDelay(compileRetriers([{ ErrorEquals: ['E'] }]), [], 'X')).toBeNull();
  });
});
