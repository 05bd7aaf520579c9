/**
 * Cross-check corpus: definitions that need no callbacks and no AWS, with inputs. Each case runs
 * through the local engine and through the peer implementation (aws-local-stepfunctions); see
 * corpus.test.ts. `aws` records the rare cases where AWS documents behaviour the peer does not
 * follow: the local engine must produce `aws.expected`, and the doc is cited in `aws.ref`.
 */
export interface CorpusCase {
  name: string;
  definition: Record<string, unknown>;
  input: unknown;
  aws?: { ref: string; expected: { output?: unknown; error?: string } };
  /** Scripted Task states (corpus-errors.ts): per state name, what each call does in turn. */
  tasks?: Record<string, TaskStep[]>;
  /**
   * asl-validator refuses this definition although AWS accepts it: the AWS page that says so.
   * The case is kept out of the validator check, which asserts the refusal instead.
   */
  validatorDiffers?: string;
  /** The local run is redriven once if it fails (corpus-limits.ts); its final outcome counts. */
  redrive?: boolean;
}

/** A Task call's outcome: a result, an error (name and cause), or no answer at all. */
export type TaskStep = { output: unknown } | { error: string; cause: string } | 'hang';

/** AWS's "Using JSONPath paths" page. */
const JSONPATH_PAGE =
  'https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html';

const pass = (extra: Record<string, unknown> = {}) => ({ Type: 'Pass', End: true, ...extra });
const one = (state: Record<string, unknown>) => ({ StartAt: 'S', States: { S: { End: true, ...state } } });
const intrinsic = (params: Record<string, unknown>) => one({ Type: 'Pass', Parameters: params });

/** About 7 states with Pass, Parallel and Choice: the benchmark machine. */
export const benchMachine = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Pass',
      Parameters: { 'id.$': '$.id', 'amount.$': '$.amount', kind: 'order' },
      Next: 'Fan',
    },
    Fan: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Size',
          States: {
            Size: {
              Type: 'Choice',
              Choices: [{ Variable: '$.amount', NumericGreaterThan: 100, Next: 'Large' }],
              Default: 'Small',
            },
            Large: { Type: 'Pass', Result: 'large', End: true },
            Small: { Type: 'Pass', Result: 'small', End: true },
          },
        },
        { StartAt: 'Echo', States: { Echo: { Type: 'Pass', InputPath: '$.id', End: true } } },
      ],
      ResultPath: '$.facts',
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.facts[0]', StringEquals: 'large', Next: 'Review' }],
      Default: 'Done',
    },
    Review: { Type: 'Pass', Result: { review: true }, ResultPath: '$.review', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

export const corpus: CorpusCase[] = [
  { name: 'bench-machine-large', definition: benchMachine, input: { id: 'a1', amount: 250 } },
  { name: 'bench-machine-small', definition: benchMachine, input: { id: 'a2', amount: 5 } },
  {
    name: 'pass-result-resultpath',
    definition: one({ Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r' }),
    input: { a: 1 },
  },
  { name: 'pass-identity', definition: one({ Type: 'Pass' }), input: { a: [1, 2, { b: null }] } },
  {
    name: 'pass-parameters-nested',
    definition: one({
      Type: 'Pass',
      Parameters: { fixed: 'v', 'from.$': '$.a.b', nested: { 'deep.$': '$.list[1]', arr: [1, { k: 2 }] } },
    }),
    input: { a: { b: 'hello' }, list: [10, 20, 30] },
  },
  {
    name: 'inputpath-outputpath',
    definition: one({
      Type: 'Pass',
      InputPath: '$.in',
      Result: { r: 1 },
      ResultPath: '$.res',
      OutputPath: '$.res',
    }),
    input: { in: { a: 1 } },
  },
  {
    name: 'resultpath-creates-nested',
    definition: one({ Type: 'Pass', Result: 42, ResultPath: '$.a.b.c' }),
    input: { z: true },
  },
  {
    name: 'resultpath-null-keeps-input',
    definition: one({ Type: 'Pass', Result: 42, ResultPath: null }),
    input: { z: true },
  },
  {
    name: 'resultpath-overwrites-field',
    definition: one({ Type: 'Pass', Result: 'new', ResultPath: '$.a' }),
    input: { a: 'old', b: 1 },
  },
  {
    name: 'resultpath-match-failure',
    definition: one({ Type: 'Pass', Result: 1, ResultPath: '$.a.b' }),
    input: { a: 'text' },
    aws: {
      // AWS: "States.ResultPathMatchFailure: Step Functions failed to apply a state's ResultPath field
      // to the input the state received." A field cannot be added to the string at $.a; the peer
      // silently replaces the string with an object.
      ref: 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation',
      expected: { error: 'States.ResultPathMatchFailure' },
    },
  },
  { name: 'outputpath-null', definition: one({ Type: 'Pass', OutputPath: null }), input: { a: 1 } },
  {
    name: 'jsonpath-wildcard',
    definition: one({ Type: 'Pass', Parameters: { 'names.$': '$.people[*].name' } }),
    input: { people: [{ name: 'a' }, { name: 'b' }] },
  },
  {
    name: 'jsonpath-filter',
    definition: one({ Type: 'Pass', Parameters: { 'big.$': '$.xs[?(@.v > 2)].v' } }),
    input: { xs: [{ v: 1 }, { v: 3 }, { v: 5 }] },
  },
  {
    name: 'jsonpath-slice',
    definition: one({ Type: 'Pass', InputPath: '$.xs[1:3]' }),
    input: { xs: [0, 1, 2, 3] },
  },
  {
    name: 'jsonpath-bracket-names',
    definition: one({ Type: 'Pass', Parameters: { 'v.$': "$['odd key'].x" } }),
    input: { 'odd key': { x: 7 } },
  },
  // `.` followed by `[` (issue 13 item 5): AWS's "Using JSONPath paths" page uses
  // `$.abc.['def ghi']`; Jayway, which AWS uses, reads `.[` as the bracket alone. asl-validator's
  // payload-template format refuses it, so these cases are checked against the peer only.
  {
    name: 'jsonpath-dot-bracket-index',
    validatorDiffers: JSONPATH_PAGE,
    definition: one({ Type: 'Pass', Parameters: { 'first.$': '$.[0]', 'last.$': '$.[-1:]' } }),
    input: [10, 20, 30],
  },
  {
    name: 'jsonpath-dot-bracket-filter',
    validatorDiffers: JSONPATH_PAGE,
    definition: one({ Type: 'Pass', Parameters: { 'positive.$': '$.[?(@.OU > 0)].name' } }),
    input: [
      { OU: 1, name: 'a' },
      { OU: -1, name: 'b' },
      { OU: 2, name: 'c' },
    ],
  },
  {
    name: 'jsonpath-dot-bracket-quoted-name',
    validatorDiffers: JSONPATH_PAGE,
    definition: one({ Type: 'Pass', Parameters: { 'v.$': "$.abc.['def ghi']" } }),
    input: { abc: { 'def ghi': 5 } },
  },
  {
    name: 'jsonpath-dot-bracket-in-resultselector',
    validatorDiffers: JSONPATH_PAGE,
    definition: {
      StartAt: 'Result',
      States: {
        Result: { Type: 'Pass', Result: { abc: { 'def ghi': [1, 2] } }, Next: 'Select' },
        Select: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Same', States: { Same: { Type: 'Pass', End: true } } }],
          ResultSelector: { 'v.$': "$.[0].abc.['def ghi'].[1]" },
          End: true,
        },
      },
    },
    input: {},
  },
  {
    name: 'bad-parameters-path',
    definition: one({ Type: 'Pass', Parameters: { 'v.$': '$.missing' } }),
    input: { a: 1 },
  },
  { name: 'bad-inputpath', definition: one({ Type: 'Pass', InputPath: '$.nope' }), input: { a: 1 } },
  {
    name: 'choice-string-equals',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.s', StringEquals: 'yes', Next: 'Y' }], Default: 'N' },
        Y: pass({ Result: 'Y' }),
        N: pass({ Result: 'N' }),
      },
    },
    input: { s: 'yes' },
  },
  {
    name: 'choice-numeric-ops',
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.n', NumericLessThan: 0, Next: 'Neg' },
            { Variable: '$.n', NumericEquals: 0, Next: 'Zero' },
            { Variable: '$.n', NumericGreaterThanEquals: 100, Next: 'Big' },
            { Variable: '$.n', NumericLessThanEquals: 10, Next: 'Small' },
          ],
          Default: 'Mid',
        },
        Neg: pass({ Result: 'neg' }),
        Zero: pass({ Result: 'zero' }),
        Big: pass({ Result: 'big' }),
        Small: pass({ Result: 'small' }),
        Mid: pass({ Result: 'mid' }),
      },
    },
    input: { n: 42 },
  },
  {
    name: 'choice-and-or-not',
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.a', NumericGreaterThan: 1 },
                {
                  Or: [
                    { Variable: '$.b', StringEquals: 'x' },
                    { Not: { Variable: '$.c', BooleanEquals: true } },
                  ],
                },
              ],
              Next: 'Hit',
            },
          ],
          Default: 'Miss',
        },
        Hit: pass({ Result: 'hit' }),
        Miss: pass({ Result: 'miss' }),
      },
    },
    input: { a: 2, b: 'y', c: false },
  },
  {
    name: 'choice-type-tests',
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.n', IsPresent: true },
                { Variable: '$.n', IsNull: true },
                { Variable: '$.s', IsString: true },
                { Variable: '$.i', IsNumeric: true },
                { Variable: '$.b', IsBoolean: true },
                { Variable: '$.t', IsTimestamp: true },
              ],
              Next: 'Hit',
            },
          ],
          Default: 'Miss',
        },
        Hit: pass({ Result: 'hit' }),
        Miss: pass({ Result: 'miss' }),
      },
    },
    input: { n: null, s: 'str', i: 1.5, b: false, t: '2024-01-02T03:04:05Z' },
  },
  {
    name: 'choice-type-tests-false-operand',
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.missing', IsPresent: false },
                { Variable: '$.s', IsTimestamp: false },
              ],
              Next: 'Hit',
            },
          ],
          Default: 'Miss',
        },
        Hit: pass({ Result: 'hit' }),
        Miss: pass({ Result: 'miss' }),
      },
    },
    input: { s: 'str' },
    aws: {
      // AWS Choice rules: the type-test operators (IsPresent, IsNull, IsTimestamp...) compare the
      // test result with the boolean operand, so `"IsPresent": false` matches an absent field. The
      // peer ignores a false operand and never matches.
      ref: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#amazon-states-language-choice-state-rules',
      expected: { output: 'hit' },
    },
  },
  {
    name: 'choice-string-matches',
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [{ Variable: '$.file', StringMatches: 'log-*.txt', Next: 'Log' }],
          Default: 'Other',
        },
        Log: pass({ Result: 'log' }),
        Other: pass({ Result: 'other' }),
      },
    },
    input: { file: 'log-2024-01.txt' },
  },
  {
    name: 'choice-timestamps',
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.t', TimestampLessThan: '2020-01-01T00:00:00Z', Next: 'Old' },
            { Variable: '$.t', TimestampGreaterThanEqualsPath: '$.limit', Next: 'Late' },
          ],
          Default: 'Mid',
        },
        Old: pass({ Result: 'old' }),
        Late: pass({ Result: 'late' }),
        Mid: pass({ Result: 'mid' }),
      },
    },
    input: { t: '2024-05-01T10:00:00Z', limit: '2024-05-01T10:00:00Z' },
  },
  {
    name: 'choice-path-variants',
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.a', StringEqualsPath: '$.b', Next: 'Same' },
            { Variable: '$.x', NumericLessThanPath: '$.y', Next: 'Less' },
          ],
          Default: 'None',
        },
        Same: pass({ Result: 'same' }),
        Less: pass({ Result: 'less' }),
        None: pass({ Result: 'none' }),
      },
    },
    input: { a: 'p', b: 'q', x: 1, y: 2 },
  },
  {
    name: 'choice-type-mismatch-is-false',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.v', StringEquals: '1', Next: 'Str' }], Default: 'Def' },
        Str: pass({ Result: 'str' }),
        Def: pass({ Result: 'def' }),
      },
    },
    input: { v: 1 },
  },
  {
    name: 'choice-no-match',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.v', BooleanEquals: true, Next: 'T' }] },
        T: pass(),
      },
    },
    input: { v: false },
  },
  {
    name: 'choice-missing-variable',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.nope', NumericEquals: 1, Next: 'T' }], Default: 'T' },
        T: pass(),
      },
    },
    input: { v: false },
  },
  {
    name: 'choice-loop-counter',
    definition: {
      StartAt: 'Init',
      States: {
        // Starts at 1: the peer mishandles a falsy Result (0) with ResultPath.
        Init: { Type: 'Pass', Result: 1, ResultPath: '$.i', Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 5, Next: 'End' }],
          Default: 'Inc',
        },
        Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
        End: { Type: 'Succeed' },
      },
    },
    input: {},
  },
  {
    name: 'wait-zero-seconds',
    definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 0, Next: 'P' }, P: pass() } },
    input: { a: 1 },
  },
  {
    name: 'wait-seconds-path-zero',
    definition: { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', Next: 'P' }, P: pass() } },
    input: { s: 0 },
  },
  {
    name: 'wait-timestamp-past',
    definition: {
      StartAt: 'W',
      States: { W: { Type: 'Wait', Timestamp: '2001-01-01T00:00:00Z', End: true } },
    },
    input: { a: 1 },
  },
  {
    name: 'wait-timestamp-path-past',
    definition: { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } },
    input: { at: '2002-02-02T00:00:00Z' },
  },
  {
    name: 'parallel-basic',
    definition: one({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: pass({ Result: 'a' }) } },
        { StartAt: 'B', States: { B: pass({ InputPath: '$.v' }) } },
      ],
    }),
    input: { v: 3 },
  },
  {
    name: 'parallel-nested-resultselector',
    definition: one({
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Inner',
          States: {
            Inner: {
              Type: 'Parallel',
              End: true,
              Branches: [
                { StartAt: 'X', States: { X: pass({ Result: 1 }) } },
                { StartAt: 'Y', States: { Y: pass({ Result: 2 }) } },
              ],
            },
          },
        },
        { StartAt: 'Z', States: { Z: pass({ Result: 3 }) } },
      ],
      ResultSelector: { 'first.$': '$[0]', 'last.$': '$[1]' },
      ResultPath: '$.out',
    }),
    input: { keep: true },
  },
  {
    name: 'parallel-parameters',
    definition: one({
      Type: 'Parallel',
      Parameters: { 'only.$': '$.a' },
      Branches: [{ StartAt: 'A', States: { A: pass() } }],
    }),
    input: { a: 1, b: 2 },
  },
  {
    name: 'parallel-fail-caught',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ok', States: { Ok: pass() } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Custom.Boom', Cause: 'it broke' } } },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Handled' }],
          Next: 'Handled',
        },
        Handled: pass(),
      },
    },
    input: { a: 1 },
  },
  {
    name: 'parallel-fail-uncaught',
    definition: one({
      Type: 'Parallel',
      Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Bad', Cause: 'x' } } }],
    }),
    input: {},
  },
  {
    name: 'catch-order-named-first',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'My.Error', Cause: 'c' } } }],
          Catch: [
            { ErrorEquals: ['Other'], Next: 'Wrong' },
            { ErrorEquals: ['My.Error'], Next: 'Right' },
            { ErrorEquals: ['States.ALL'], Next: 'Wrong' },
          ],
          End: true,
        },
        Wrong: pass({ Result: 'wrong' }),
        Right: pass({ Result: 'right' }),
      },
    },
    input: {},
  },
  {
    name: 'retry-then-catch',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Flaky', Cause: 'again' } } }],
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1.5 }],
          Catch: [{ ErrorEquals: ['Flaky'], Next: 'Gave up', ResultPath: '$.error' }],
          End: true,
        },
        'Gave up': pass(),
      },
    },
    input: { tries: 'x' },
  },
  {
    name: 'retry-zero-attempts-exhausted',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } }],
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }],
          End: true,
        },
      },
    },
    input: {},
  },
  {
    name: 'map-basic',
    definition: one({
      Type: 'Map',
      ItemsPath: '$.items',
      Iterator: {
        StartAt: 'Double',
        States: { Double: pass({ Parameters: { 'v.$': 'States.MathAdd($.n, $.n)' } }) },
      },
      ResultPath: '$.doubled',
    }),
    input: { items: [{ n: 1 }, { n: 2 }, { n: 3 }] },
  },
  {
    name: 'map-itemselector-context',
    definition: one({
      Type: 'Map',
      ItemsPath: '$.xs',
      ItemSelector: {
        'index.$': '$$.Map.Item.Index',
        'value.$': '$$.Map.Item.Value',
        'shared.$': '$.shared',
      },
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'I', States: { I: pass() } },
    }),
    input: { xs: ['a', 'b'], shared: 's' },
  },
  {
    name: 'map-legacy-parameters',
    definition: one({
      Type: 'Map',
      ItemsPath: '$.xs',
      Parameters: { 'i.$': '$$.Map.Item.Index' },
      Iterator: { StartAt: 'I', States: { I: pass() } },
    }),
    input: { xs: [5, 6, 7] },
  },
  {
    name: 'map-max-concurrency-1',
    definition: one({
      Type: 'Map',
      MaxConcurrency: 1,
      Iterator: {
        StartAt: 'C',
        States: {
          C: {
            Type: 'Choice',
            Choices: [{ Variable: '$', NumericGreaterThan: 1, Next: 'Hi' }],
            Default: 'Lo',
          },
          Hi: pass({ Result: 'hi' }),
          Lo: pass({ Result: 'lo' }),
        },
      },
    }),
    // No 0 item: the peer treats a falsy `$` as missing.
    input: [1, 2, 3, 4],
  },
  {
    name: 'map-empty',
    definition: one({ Type: 'Map', Iterator: { StartAt: 'I', States: { I: pass() } } }),
    input: [],
  },
  {
    name: 'map-fail-caught',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.xs',
          Iterator: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'Ok' },
              F: { Type: 'Fail', Error: 'Two', Cause: 'two is bad' },
              Ok: pass(),
            },
          },
          Catch: [{ ErrorEquals: ['Two'], Next: 'After' }],
          End: true,
        },
        After: pass(),
      },
    },
    input: { xs: [1, 2, 3] },
  },
  {
    name: 'map-items-not-array',
    definition: one({ Type: 'Map', ItemsPath: '$.x', Iterator: { StartAt: 'I', States: { I: pass() } } }),
    input: { x: 'no' },
  },
  {
    name: 'fail-error-cause',
    definition: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Err.Name', Cause: 'the cause' } } },
    input: {},
  },
  {
    name: 'fail-errorpath-causepath',
    definition: { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } } },
    input: { e: 'Dyn.Error', c: 'dynamic cause' },
  },
  {
    name: 'succeed-with-paths',
    definition: { StartAt: 'S', States: { S: { Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' } } },
    input: { a: { b: [1] } },
  },
  {
    name: 'intrinsic-format-json',
    definition: intrinsic({
      'greeting.$': "States.Format('Hello, {} you are {}', $.name, $.age)",
      'parsed.$': 'States.StringToJson($.raw)',
      'text.$': 'States.JsonToString($.obj)',
      'escaped.$': "States.Format('a\\{b\\} {}', 'c')",
    }),
    input: { name: 'Ann', age: 30, raw: '{"k":[1,2]}', obj: { z: true } },
  },
  {
    name: 'intrinsic-arrays-1',
    definition: intrinsic({
      'arr.$': "States.Array('a', 1, true, $.x)",
      'parts.$': 'States.ArrayPartition($.nums, 2)',
      'has.$': 'States.ArrayContains($.nums, 3)',
      'range.$': 'States.ArrayRange(1, 9, 2)',
    }),
    input: { x: { y: 1 }, nums: [1, 2, 3, 4, 5] },
  },
  {
    name: 'intrinsic-arrays-2',
    definition: intrinsic({
      'item.$': 'States.ArrayGetItem($.nums, 1)',
      'len.$': 'States.ArrayLength($.nums)',
      'uniq.$': 'States.ArrayUnique($.dups)',
    }),
    input: { nums: [7, 8, 9], dups: [1, 1, 'a', 'a', { o: 1 }, { o: 1 }] },
  },
  {
    name: 'intrinsic-base64-hash',
    definition: intrinsic({
      'enc.$': 'States.Base64Encode($.s)',
      'dec.$': "States.Base64Decode('aGVsbG8=')",
      'sha.$': "States.Hash($.s, 'SHA-256')",
      'md5.$': "States.Hash('abc', 'MD5')",
    }),
    input: { s: 'hello world' },
  },
  {
    name: 'intrinsic-merge-math',
    definition: intrinsic({
      'merged.$': 'States.JsonMerge($.a, $.b, false)',
      'sum.$': 'States.MathAdd($.n, -3)',
    }),
    input: { a: { x: 1, y: { z: 1 } }, b: { y: 2 }, n: 10 },
  },
  {
    name: 'intrinsic-nested',
    definition: intrinsic({ 'v.$': "States.ArrayLength(States.Array(States.Format('{}', $.a), 'b'))" }),
    input: { a: 1 },
  },
  {
    name: 'intrinsic-string-split-single',
    definition: intrinsic({ 'parts.$': "States.StringSplit($.csv, ',')" }),
    input: { csv: '1,2,3,4,5' },
  },
  {
    name: 'intrinsic-string-split-multi-delimiters',
    definition: intrinsic({ 'parts.$': "States.StringSplit('This.is+a,test=string', '.+,=')" }),
    input: {},
    aws: {
      // AWS: "States.StringSplit ... splits a string into an array of values" using each character
      // of the delimiter string; the documented example splits "This.is+a,test=string" with ".+,="
      // into ["This","is","a","test","string"]. The peer uses String.split with the whole string.
      ref: 'https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-string-operation',
      expected: { output: { parts: ['This', 'is', 'a', 'test', 'string'] } },
    },
  },
  {
    name: 'intrinsic-bad-argument',
    definition: intrinsic({ 'v.$': 'States.MathAdd($.a, 1)' }),
    input: { a: 'one' },
  },
  {
    name: 'intrinsic-missing-path',
    definition: intrinsic({ 'v.$': 'States.ArrayLength($.nope)' }),
    input: { a: [1] },
  },
  {
    name: 'intrinsic-uuid-shape',
    definition: intrinsic({ 'isString.$': "States.ArrayLength(States.StringSplit(States.UUID(), '-'))" }),
    input: {},
  },
];
