/**
 * Cross-check corpus for error handling: Retry (backoff, MaxDelaySeconds, JitterStrategy, which
 * retrier counts), Catch, the States.TaskFailed and States.ALL wildcards, task timeouts and
 * heartbeats. Tasks are scripted per state (`tasks`): each call takes the next step, the last one
 * repeats. Expectations agree with the peer unless `aws` says otherwise and cites the AWS page.
 * Source of the rules: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import type { CorpusCase } from './corpus';

const ERRORS_DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html';

const task = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: `arn:aws:lambda:eu-west-1:000000000000:function:${name}`,
  ...extra,
});
const pass = (result: unknown) => ({ Type: 'Pass', Result: result, End: true });
/** Keeps only the error name of a caught error (causes are worded differently per engine). */
const errorName = { Type: 'Pass', Parameters: { 'caught.$': '$.err.Error' }, End: true };
const fail = (error: string, cause = 'scripted failure') => ({ error, cause });

export const errorCorpus: CorpusCase[] = [
  {
    name: 'retry-task-until-it-succeeds',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', { Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1, MaxAttempts: 2 }], End: true }),
      },
    },
    input: {},
    tasks: { T: [fail('Busy'), fail('Busy'), { output: 'done' }] },
  },
  {
    name: 'retry-exhausted-then-catch-with-resultpath',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 2, BackoffRate: 1.5 }],
          Catch: [{ ErrorEquals: ['Busy'], ResultPath: '$.err', Next: 'Handled' }],
          End: true,
        }),
        Handled: { Type: 'Pass', End: true },
      },
    },
    input: { keep: 'me' },
    tasks: { T: [fail('Busy', 'still busy')] },
  },
  {
    name: 'retry-maxdelay-and-full-jitter-change-timing-only',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          Retry: [
            {
              ErrorEquals: ['States.ALL'],
              IntervalSeconds: 3,
              MaxAttempts: 3,
              BackoffRate: 2,
              MaxDelaySeconds: 5,
              JitterStrategy: 'FULL',
            },
          ],
          End: true,
        }),
      },
    },
    input: {},
    tasks: { T: [fail('A'), fail('B'), fail('C'), { output: 'fourth time' }] },
  },
  {
    // The guide's "Complex retry scenario": ErrorA, ErrorB use up the first retrier, ErrorC the
    // second; the second ErrorB matches the exhausted first retrier and goes to Catch.
    name: 'retry-complex-scenario-from-the-guide',
    definition: {
      StartAt: 'X',
      States: {
        X: task('x', {
          Retry: [
            { ErrorEquals: ['ErrorA', 'ErrorB'], IntervalSeconds: 1, BackoffRate: 2.0, MaxAttempts: 2 },
            { ErrorEquals: ['ErrorC'], IntervalSeconds: 5 },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Z' }],
          Next: 'Y',
        }),
        Y: pass('y'),
        Z: pass('z'),
      },
    },
    input: {},
    tasks: { X: [fail('ErrorA'), fail('ErrorB'), fail('ErrorC'), fail('ErrorB'), { output: 'never' }] },
  },
  {
    name: 'retry-parallel-runs-every-branch-again',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: task('a', { End: true }) } },
            { StartAt: 'B', States: { B: task('b', { End: true }) } },
          ],
          Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 1 }],
          End: true,
        },
      },
    },
    input: {},
    tasks: { A: [{ output: 'a1' }, { output: 'a2' }], B: [fail('Flaky'), { output: 'b' }] },
  },
  {
    name: 'taskfailed-catches-a-function-error',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.err', Next: 'Name' }],
          End: true,
        }),
        Name: errorName,
      },
    },
    input: {},
    tasks: { T: [fail('Lambda.Unknown')] },
  },
  {
    name: 'taskfailed-retries-a-function-error',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', { Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 1 }], End: true }),
      },
    },
    input: {},
    tasks: { T: [fail('Custom.Error'), { output: 'second try' }] },
  },
  {
    name: 'taskfailed-does-not-match-states-timeout',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          TimeoutSeconds: 1,
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.err', Next: 'Wrong' },
            { ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Name' },
          ],
          End: true,
        }),
        Wrong: pass('taskfailed caught a timeout'),
        Name: errorName,
      },
    },
    input: {},
    tasks: { T: ['hang'] },
  },
  {
    name: 'task-timeout-uncaught-fails-with-states-timeout',
    definition: { StartAt: 'T', States: { T: task('t', { TimeoutSeconds: 1, End: true }) } },
    input: {},
    tasks: { T: ['hang'] },
  },
  {
    // "Retry all errors except States.Timeout" (the guide's third Retry example).
    name: 'retry-everything-but-timeout',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          TimeoutSeconds: 1,
          Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'] }],
          End: true,
        }),
      },
    },
    input: {},
    tasks: { T: [fail('Other'), 'hang'] },
  },
  {
    // A missed heartbeat is a States.Timeout: a States.Timeout catcher takes it.
    name: 'heartbeat-timeout-caught-as-states-timeout',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          HeartbeatSeconds: 1,
          TimeoutSeconds: 2,
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.err', Next: 'Name' }],
          End: true,
        }),
        Name: errorName,
      },
    },
    input: {},
    tasks: { T: ['hang'] },
  },
  {
    name: 'heartbeat-timeout-uncaught-fails-with-states-timeout',
    definition: {
      StartAt: 'T',
      States: { T: task('t', { HeartbeatSeconds: 1, TimeoutSeconds: 2, End: true }) },
    },
    input: {},
    tasks: { T: ['hang'] },
  },
  {
    name: 'heartbeat-timeout-named-in-catch',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          HeartbeatSeconds: 1,
          TimeoutSeconds: 2,
          Catch: [
            { ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Heartbeat' },
            { ErrorEquals: ['States.Timeout'], Next: 'Slow' },
          ],
          End: true,
        }),
        Heartbeat: pass('heartbeat missed'),
        Slow: pass('ran too long'),
      },
    },
    input: {},
    tasks: { T: ['hang'] },
    aws: {
      // States.HeartbeatTimeout: "A Task state failed to send a heartbeat for a period longer than
      // the HeartbeatSeconds value. HeartbeatTimeout is available inside the Catch and Retry
      // fields." The peer ignores HeartbeatSeconds and times the task out after TimeoutSeconds.
      ref: `${ERRORS_DOC}#error-handling-error-representation`,
      expected: { output: 'heartbeat missed' },
    },
  },
  {
    name: 'states-all-does-not-catch-states-runtime',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          ResultSelector: { 'missing.$': '$.nothing.here' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        }),
        Caught: pass('caught'),
      },
    },
    input: {},
    tasks: { T: [{ output: { something: 1 } }] },
  },
  {
    name: 'taskfailed-on-a-parallel-catches-a-branch-error',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'T', States: { T: task('t', { End: true }) } }],
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.err', Next: 'Name' }],
          End: true,
        },
        Name: errorName,
      },
    },
    input: {},
    tasks: { T: [fail('Custom.Error')] },
    aws: {
      // "When used in a retry or catch, States.TaskFailed acts as a wildcard that matches any
      // known error name except for States.Timeout"; Parallel and Map states have Catch fields
      // too. The peer applies the wildcard on Task states only.
      ref: `${ERRORS_DOC}#error-handling-error-representation`,
      expected: { output: { caught: 'Custom.Error' } },
    },
  },
];
