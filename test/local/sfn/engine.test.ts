/**
 * Engine behaviour through the programmatic API: Retry/Catch with the engine clock, timeouts,
 * Wait timers, Parallel/Map, callback tasks, the context object, and the Lambda integration.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, type EngineOptions } from '../../../local/sfn/api/engine';
import { StatesError } from '../../../local/sfn/language/states-errors';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

function setup(opts: EngineOptions = {}) {
  const engine = new Engine(opts);
  engines.push(engine);
  let n = 0;
  const start = async (definition: unknown, input: unknown = {}) => {
    const { stateMachineArn } = await engine.createStateMachine({
      name: `m${++n}`,
      definition: JSON.stringify(definition),
    });
    const { executionArn } = await engine.startExecution({
      stateMachineArn,
      name: `e${n}`,
      input: JSON.stringify(input),
    });
    return executionArn as string;
  };
  const settle = () => new Promise((r) => setTimeout(r, 10));
  const status = (arn: string) => engine.describeExecution({ executionArn: arn }).status;
  const types = (arn: string) =>
    (engine.getExecutionHistory({ executionArn: arn, maxResults: 1000 }).events ?? []).map((e) => e.type);
  return { engine, start, settle, status, types };
}

const lambdaTask = (fn: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: fn, 'Payload.$': '$' },
  ...extra,
});

describe('Retry and Catch on tasks (engine clock)', () => {
  it('retries with backoff at the right engine times, then succeeds', async () => {
    const calls: number[] = [];
    const { engine, start, settle, status } = setup({
      invoke: async () => {
        calls.push(engine.now());
        if (calls.length < 3) throw Object.assign(new Error('busy'), { name: 'Lambda.ServiceException' });
        return { ok: calls.length };
      },
    });
    const arn = await start({
      StartAt: 'T',
      States: {
        T: lambdaTask('f', {
          Retry: [
            {
              ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException'],
              IntervalSeconds: 2,
              BackoffRate: 2,
              MaxAttempts: 6,
            },
          ],
          OutputPath: '$.Payload',
          End: true,
        }),
      },
    });
    await settle();
    expect(calls.length).toBe(1);
    await engine.advance(1.9);
    await settle();
    expect(calls.length).toBe(1);
    await engine.advance(0.2);
    await settle();
    expect(calls.length).toBe(2);
    await engine.advance(4);
    const d = await engine.waitForExecution(arn);
    expect(JSON.parse(d.output as string)).toEqual({ ok: 3 });
    expect(Math.round(((calls[2] as number) - (calls[1] as number)) / 100)).toBe(40);
    expect(status(arn)).toBe('SUCCEEDED');
  });

  it('maps a function error to its name and the AWS cause JSON; Catch gets {Error, Cause}', async () => {
    class ValidationError extends Error {
      override name = 'ValidationError';
    }
    const { engine, start } = setup({
      invoke: async () => {
        throw new ValidationError('bad field');
      },
    });
    const arn = await start(
      {
        StartAt: 'T',
        States: {
          T: lambdaTask('f', {
            Catch: [{ ErrorEquals: ['ValidationError'], ResultPath: '$.err', Next: 'Handle' }],
            End: true,
          }),
          Handle: { Type: 'Pass', End: true },
        },
      },
      { keep: 1 },
    );
    const d = await engine.waitForExecution(arn);
    const out = JSON.parse(d.output as string);
    expect(out.keep).toBe(1);
    expect(out.err.Error).toBe('ValidationError');
    const cause = JSON.parse(out.err.Cause);
    expect(cause.errorType).toBe('ValidationError');
    expect(cause.errorMessage).toBe('bad field');
    expect(Array.isArray(cause.trace)).toBe(true);
  });

  it('returns the lambda:invoke result shape and supports bare Lambda ARNs', async () => {
    const seen: [string, unknown][] = [];
    const { engine, start, types } = setup({
      invoke: async (fn, payload) => {
        seen.push([fn, payload]);
        return { echoed: payload };
      },
    });
    const arn = await start(
      {
        StartAt: 'Opt',
        States: {
          Opt: lambdaTask('arn:aws:lambda:eu-west-1:000000000000:function:one', {
            ResultPath: '$.opt',
            Next: 'Bare',
          }),
          Bare: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:eu-west-1:000000000000:function:two',
            InputPath: '$.v',
            ResultPath: '$.bare',
            End: true,
          },
        },
      },
      { v: 5 },
    );
    const d = await engine.waitForExecution(arn);
    const out = JSON.parse(d.output as string);
    expect(out.opt.Payload).toEqual({ echoed: { v: 5 } });
    expect(out.opt.StatusCode).toBe(200);
    expect(out.opt.ExecutedVersion).toBe('$LATEST');
    expect(out.bare).toEqual({ echoed: 5 });
    expect(seen.map(([f]) => f)).toEqual([
      'arn:aws:lambda:eu-west-1:000000000000:function:one',
      'arn:aws:lambda:eu-west-1:000000000000:function:two',
    ]);
    expect(types(arn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('States.Runtime is neither retried nor caught by States.ALL', async () => {
    const { engine, start } = setup({ invoke: async () => 1 });
    const arn = await start({
      StartAt: 'T',
      States: {
        T: lambdaTask('f', {
          ResultSelector: { 'x.$': '$.Payload.missing' },
          Retry: [{ ErrorEquals: ['States.ALL'] }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }],
          End: true,
        }),
        C: { Type: 'Pass', End: true },
      },
    });
    const d = await engine.waitForExecution(arn);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.Runtime');
  });
});

describe('timeouts and Wait states on the engine clock', () => {
  it('times out a task (TimeoutSecondsPath) into its Catch, and ignores the late result', async () => {
    let finish: (v: unknown) => void = () => {};
    const { engine, start, settle, types } = setup({ invoke: () => new Promise((r) => (finish = r)) });
    const arn = await start(
      {
        StartAt: 'T',
        States: {
          T: lambdaTask('slow', {
            TimeoutSecondsPath: '$.limit',
            Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }],
            End: true,
          }),
          Late: { Type: 'Pass', Result: 'timed out', End: true },
        },
      },
      { limit: 30 },
    );
    await settle();
    await engine.advance(29);
    await settle();
    expect(engine.describeExecution({ executionArn: arn }).status).toBe('RUNNING');
    await engine.advance(2);
    const d = await engine.waitForExecution(arn);
    expect(d.output).toBe('"timed out"');
    finish({ late: true });
    await settle();
    expect(types(arn)).toContain('TaskTimedOut');
    expect(types(arn)).not.toContain('TaskSucceeded');
  });

  it('times out the whole execution (top-level TimeoutSeconds)', async () => {
    const { engine, start, settle } = setup();
    const arn = await start({
      TimeoutSeconds: 60,
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    await settle();
    await engine.advance(61);
    const d = await engine.waitForExecution(arn);
    expect(d.status).toBe('TIMED_OUT');
  });

  it('fires Wait timers (Seconds, SecondsPath, Timestamp, TimestampPath) in due order', async () => {
    const { engine, start, settle } = setup();
    const base = engine.now();
    const at = (s: number) => new Date(base + s * 1000).toISOString();
    const order: string[] = [];
    const arns = {
      seconds: await start({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 300, End: true } } }),
      secondsPath: await start(
        { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } },
        { s: 100 },
      ),
      timestamp: await start({
        StartAt: 'W',
        States: { W: { Type: 'Wait', Timestamp: at(200), End: true } },
      }),
      timestampPath: await start(
        { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.t', End: true } } },
        { t: at(400) },
      ),
    };
    for (const [k, a] of Object.entries(arns)) void engine.waitForExecution(a).then(() => order.push(k));
    await settle();
    await engine.advance(250);
    await settle();
    expect(order).toEqual(['secondsPath', 'timestamp']);
    await engine.advance(1000);
    await settle();
    expect(order).toEqual(['secondsPath', 'timestamp', 'seconds', 'timestampPath']);
  });

  it('fails a negative SecondsPath with States.Runtime', async () => {
    const { engine, start } = setup();
    const arn = await start(
      { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } },
      { s: -1 },
    );
    expect((await engine.waitForExecution(arn)).error).toBe('States.Runtime');
  });
});

describe('callback tasks', () => {
  const cb = (extra: Record<string, unknown> = {}) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: { FunctionName: 'cb', Payload: { 'token.$': '$$.Task.Token', 'item.$': '$' } },
    ...extra,
  });

  it('runs callbacks inside Map iterations and Parallel branches', async () => {
    const tokens: { token: string; item: unknown }[] = [];
    const { engine, start, settle, types } = setup({
      invoke: async (_f, p) => {
        tokens.push(p as { token: string; item: unknown });
        return null;
      },
    });
    const arn = await start(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'M',
                States: {
                  M: {
                    Type: 'Map',
                    ItemsPath: '$.xs',
                    ItemProcessor: { StartAt: 'C', States: { C: cb({ End: true }) } },
                    End: true,
                  },
                },
              },
              { StartAt: 'D', States: { D: { Type: 'Pass', Result: 'direct', End: true } } },
            ],
            End: true,
          },
        },
      },
      { xs: ['a', 'b'] },
    );
    await settle();
    expect(tokens.map((t) => t.item).sort()).toEqual(['a', 'b']);
    for (const t of tokens)
      await engine.sendTaskSuccess({ taskToken: t.token, output: JSON.stringify(`done-${t.item}`) });
    const d = await engine.waitForExecution(arn);
    expect(JSON.parse(d.output as string)).toEqual([['done-a', 'done-b'], 'direct']);
    const ts = types(arn);
    for (const t of [
      'ParallelStateEntered',
      'ParallelStateStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'ParallelStateSucceeded',
      'TaskSubmitted',
    ]) {
      expect(ts).toContain(t);
    }
  });

  it('SendTaskFailure goes to Catch; timeout of a callback gives States.Timeout', async () => {
    const tokens: string[] = [];
    const { engine, start, settle } = setup({
      invoke: async (_f, p) => {
        tokens.push((p as { token: string }).token);
        return null;
      },
    });
    const caught = await start({
      StartAt: 'C',
      States: {
        C: cb({ Catch: [{ ErrorEquals: ['Denied'], Next: 'No' }], End: true }),
        No: { Type: 'Pass', End: true },
      },
    });
    const timed = await start({ StartAt: 'C', States: { C: cb({ TimeoutSeconds: 60, End: true }) } });
    await settle();
    await expect(engine.sendTaskSuccess({ taskToken: tokens[0], output: 'not json' })).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
    await engine.sendTaskFailure({ taskToken: tokens[0], error: 'Denied', cause: 'nope' });
    expect(JSON.parse((await engine.waitForExecution(caught)).output as string)).toEqual({
      Error: 'Denied',
      Cause: 'nope',
    });
    await engine.advance(61);
    const d = await engine.waitForExecution(timed);
    expect(d.error).toBe('States.Timeout');
    await expect(engine.sendTaskSuccess({ taskToken: tokens[1], output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });
});

describe('context object and Map concurrency', () => {
  it('exposes $$ fields to Parameters', async () => {
    const { engine, start, settle } = setup();
    const arn = await start(
      {
        StartAt: 'Ctx',
        States: {
          Ctx: {
            Type: 'Pass',
            Parameters: {
              'id.$': '$$.Execution.Id',
              'name.$': '$$.Execution.Name',
              'input.$': '$$.Execution.Input',
              'start.$': '$$.Execution.StartTime',
              'role.$': '$$.Execution.RoleArn',
              'state.$': '$$.State.Name',
              'entered.$': '$$.State.EnteredTime',
              'retry.$': '$$.State.RetryCount',
              'machine.$': '$$.StateMachine.Id',
              'machineName.$': '$$.StateMachine.Name',
            },
            End: true,
          },
        },
      },
      { q: 1 },
    );
    await settle();
    const out = JSON.parse(engine.describeExecution({ executionArn: arn }).output as string);
    expect(out.id).toBe(arn);
    expect(out.name).toBe(arn.split(':').pop());
    expect(out.input).toEqual({ q: 1 });
    expect(out.state).toBe('Ctx');
    expect(out.retry).toBe(0);
    expect(out.machine).toBe(engine.machineArn(out.machineName));
    expect(out.role).toMatch(/^arn:aws:iam::/);
    expect(Date.parse(out.start)).not.toBeNaN();
    expect(Date.parse(out.entered)).toBeGreaterThanOrEqual(Date.parse(out.start));
  });

  it('honours MaxConcurrency', async () => {
    let running = 0;
    let peak = 0;
    const { engine, start } = setup({
      invoke: async (_f, p) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        return p;
      },
    });
    const arn = await start(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 2,
            ItemProcessor: {
              StartAt: 'T',
              States: { T: { ...lambdaTask('f'), OutputPath: '$.Payload', End: true } },
            },
            End: true,
          },
        },
      },
      [1, 2, 3, 4, 5, 6],
    );
    const d = await engine.waitForExecution(arn);
    expect(JSON.parse(d.output as string)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
  });

  it('starts child executions with arn:aws:states:::states:startExecution', async () => {
    const { engine, start, settle } = setup();
    const child = await engine.createStateMachine({
      name: 'child',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    const arn = await start({
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution',
          Parameters: { StateMachineArn: child.stateMachineArn, Input: { hello: 'child' }, Name: 'kid' },
          End: true,
        },
      },
    });
    const d = await engine.waitForExecution(arn);
    await settle();
    const out = JSON.parse(d.output as string);
    expect(out.ExecutionArn).toBe(
      `${engine.machineArn('child').replace(':stateMachine:', ':execution:')}:kid`,
    );
    expect(engine.describeExecution({ executionArn: out.ExecutionArn }).output).toBe('{"hello":"child"}');
  });

  it('lets the host plug its own resolver', async () => {
    const { engine, start } = setup({
      resolvers: [
        (r) =>
          r === 'arn:aws:states:::sqs:sendMessage'
            ? async (call) => {
                if (call.parameters === null) throw new StatesError('SQS.Boom', 'x');
                return { MessageId: 'm1' };
              }
            : undefined,
      ],
    });
    const arn = await start({
      StartAt: 'Q',
      States: {
        Q: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: 'q' },
          End: true,
        },
      },
    });
    expect((await engine.waitForExecution(arn)).output).toBe('{"MessageId":"m1"}');
  });
});

describe('clock', () => {
  it('advance fires chained timers that fall due by the new time, in one call', async () => {
    const { engine, start, settle } = setup();
    const t0 = engine.now();
    const arn = await start(
      {
        StartAt: 'W1',
        States: {
          W1: { Type: 'Wait', Seconds: 10, Next: 'W2' },
          W2: { Type: 'Wait', TimestampPath: '$.until', Next: 'W3' },
          W3: { Type: 'Wait', Seconds: 10, Next: 'Done' },
          Done: { Type: 'Pass', End: true },
        },
      },
      { until: new Date(t0 + 20_000).toISOString() },
    );
    await settle();
    await engine.advance(25);
    // W1 (due +10) and W2 (absolute +20) fired; W3 was entered at the new time and waits 10 s more.
    const exited = () =>
      (engine.getExecutionHistory({ executionArn: arn }).events ?? []).filter(
        (e) => e.type === 'WaitStateExited',
      ).length;
    expect(exited()).toBe(2);
    expect(engine.describeExecution({ executionArn: arn }).status).toBe('RUNNING');
    await engine.advance(9);
    expect(exited()).toBe(2);
    await engine.advance(1);
    expect(engine.describeExecution({ executionArn: arn }).status).toBe('SUCCEEDED');
  });
});
