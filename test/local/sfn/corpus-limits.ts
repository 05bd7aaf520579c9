/**
 * Cross-check corpus, part three (issue 10 item 6): the 256 KiB payload quota
 * (States.DataLimitExceeded), States.TaskFailed against States.Runtime, and RedriveExecution.
 * The peer (aws-local-stepfunctions) enforces no payload quota and has no RedriveExecution, so
 * those cases record AWS's documented behaviour in `aws`, with the page that says so.
 */
import type { CorpusCase } from './corpus';

const ERRORS_DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html';
const REDRIVE_DOC =
  'https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html';

const task = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: `arn:aws:lambda:eu-west-1:000000000000:function:${name}`,
  ...extra,
});
const fail = (error: string, cause = 'scripted failure') => ({ error, cause });

/** An input of ~150 KiB: under the quota, but twice it is over. */
const half = { s: 'x'.repeat(150 * 1024) };
/** Doubles the input into one output of ~300 KiB. */
const doubled = { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' } };

export const limitCorpus: CorpusCase[] = [
  {
    name: 'data-limit-exceeded-fails-a-state-whose-output-is-over-256-kib',
    definition: { StartAt: 'Double', States: { Double: { ...doubled, End: true } } },
    input: half,
    aws: {
      // States.DataLimitExceeded is reported "when the output of a state is larger than payload
      // size quota"; the peer passes the ~300 KiB output on.
      ref: `${ERRORS_DOC}#error-handling-error-representation`,
      expected: { error: 'States.DataLimitExceeded' },
    },
  },
  {
    name: 'data-limit-exceeded-is-not-caught-by-states-all',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Double', States: { Double: { ...doubled, End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', Result: 'caught', End: true },
      },
    },
    input: half,
    aws: {
      // "A terminal error that can't be caught by the States.ALL error type."
      ref: `${ERRORS_DOC}#error-handling-error-representation`,
      expected: { error: 'States.DataLimitExceeded' },
    },
  },
  {
    name: 'data-limit-exceeded-caught-when-named',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Double', States: { Double: { ...doubled, End: true } } }],
          Catch: [{ ErrorEquals: ['States.DataLimitExceeded'], ResultPath: null, Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', Result: 'caught', End: true },
      },
    },
    input: half,
    aws: {
      // Only the States.ALL wildcard is excluded; a catcher naming the error takes it.
      ref: `${ERRORS_DOC}#error-handling-error-representation`,
      expected: { output: 'caught' },
    },
  },
  {
    name: 'taskfailed-does-not-catch-states-runtime',
    definition: {
      StartAt: 'T',
      States: {
        T: task('t', {
          ResultSelector: { 'missing.$': '$.nothing.here' },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
          End: true,
        }),
        Caught: { Type: 'Pass', Result: 'caught', End: true },
      },
    },
    input: {},
    tasks: { T: [{ output: { something: 1 } }] },
  },
  {
    name: 'redrive-runs-the-failed-task-again-and-succeeds',
    definition: {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.step', Next: 'T' },
        T: task('t', { ResultPath: '$.result', End: true }),
      },
    },
    input: { id: 1 },
    tasks: { T: [fail('Boom'), { output: 'second call' }] },
    redrive: true,
    aws: {
      // "it continues the failed execution from the unsuccessful step and uses the same input.
      // Step Functions preserves the results ... of the successful steps, and doesn't rerun these
      // steps"; the peer has no RedriveExecution and stays FAILED.
      ref: REDRIVE_DOC,
      expected: { output: { id: 1, step: 'prepared', result: 'second call' } },
    },
  },
  {
    name: 'redrive-reruns-only-the-unsuccessful-parallel-branch',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: task('a', { End: true }) } },
            { StartAt: 'B', States: { B: task('b', { End: true }) } },
          ],
          End: true,
        },
      },
    },
    input: {},
    // A second call of A would answer 'a again': the output shows that A was not run again.
    tasks: { A: [{ output: 'a' }, { output: 'a again' }], B: [fail('Boom'), { output: 'b' }] },
    redrive: true,
    aws: {
      // "For workflows that include an Inline Map or Parallel state, RedriveExecution API action
      // reschedules and redrives only the iterations and branches that failed or aborted"; the
      // peer has no RedriveExecution.
      ref: REDRIVE_DOC,
      expected: { output: ['a', 'b'] },
    },
  },
];
