/**
 * RedriveExecution, state by state, as the AWS developer guide's "Redrive behavior of individual
 * states" table and "Retry behavior of redriven executions" describe it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html). The peer
 * (aws-local-stepfunctions) has no redrive, so every expectation here comes from that page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import { lambda, type Script, scripted } from './redrive-helpers';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

function setup(script: Script) {
  const s = scripted(script);
  const engine = new Engine({ invoke: s.invoke });
  engines.push(engine);
  return { ...s, engine, ...s.bind(engine) };
}

describe('redrive resumes where the execution stopped', () => {
  it('Task: the failed Task runs again; the Pass before it is not re-entered', async () => {
    let broken = true;
    const { engine, run, redrive, entered, calls } = setup({
      work: () => {
        if (broken) throw Object.assign(new Error('down'), { name: 'Backend.Down' });
        return 'worked';
      },
    });
    const arn = await run({
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Result: { ready: true }, Next: 'Work' },
        Work: { ...lambda('work'), End: true },
      },
    });
    expect((await engine.waitForExecution(arn)).error).toBe('Backend.Down');
    broken = false;
    const d = await redrive(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output as string)).toBe('worked');
    expect(entered(arn, 'Prepare')).toBe(1);
    expect(entered(arn, 'Work')).toBe(2);
    expect(calls.work).toBe(2);
  });

  it('Parallel: only the failed and the aborted branches run again, each from its own state', async () => {
    let broken = true;
    const { engine, run, redrive, entered, calls, tokens } = setup({
      a: () => 'A',
      b1: () => 'B1',
      b2: () => {
        if (broken) throw Object.assign(new Error('no'), { name: 'B2.Failed' });
        return 'B2';
      },
      c: () => null,
    });
    const arn = await run({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'A', States: { A: { ...lambda('a'), End: true } } },
            {
              StartAt: 'B1',
              States: { B1: { ...lambda('b1'), Next: 'B2' }, B2: { ...lambda('b2'), End: true } },
            },
            {
              StartAt: 'C',
              States: {
                C: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                  Parameters: { FunctionName: 'c', Payload: { 'token.$': '$$.Task.Token' } },
                  End: true,
                },
              },
            },
          ],
        },
      },
    });
    expect((await engine.waitForExecution(arn)).error).toBe('B2.Failed');
    expect(tokens()).toHaveLength(1);
    const old = tokens()[0] as string;
    broken = false;
    await redrive(arn, false);
    // The aborted callback Task was scheduled again, with a new token; the old one is dead.
    expect(tokens()).toHaveLength(2);
    await expect(engine.sendTaskSuccess({ taskToken: old, output: '"late"' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    await engine.sendTaskSuccess({ taskToken: tokens()[1] as string, output: '"C"' });
    const d = await engine.waitForExecution(arn);
    expect(JSON.parse(d.output as string)).toEqual(['A', 'B2', 'C']);
    expect({ a: calls.a, b1: calls.b1, b2: calls.b2, c: calls.c }).toEqual({ a: 1, b1: 1, b2: 2, c: 2 });
    expect(entered(arn, 'B1')).toBe(1);
    expect(entered(arn, 'Both')).toBe(1);
  });

  it('inline Map: only the failed, aborted and never started iterations run', async () => {
    let broken = true;
    const seen: number[] = [];
    const { engine, run, redrive } = setup({
      item: (n) => {
        seen.push(n as number);
        if (n === 2 && broken) throw Object.assign(new Error('two'), { name: 'Item.Failed' });
        return (n as number) * 10;
      },
    });
    const arn = await run(
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            MaxConcurrency: 2,
            ItemProcessor: { StartAt: 'Do', States: { Do: { ...lambda('item'), End: true } } },
            End: true,
          },
        },
      },
      [1, 2, 3, 4],
    );
    expect((await engine.waitForExecution(arn)).error).toBe('Item.Failed');
    const before = [...seen];
    expect(before).toEqual([1, 2]);
    broken = false;
    const d = await redrive(arn);
    expect(JSON.parse(d.output as string)).toEqual([10, 20, 30, 40]);
    expect(seen.slice(before.length).sort()).toEqual([2, 3, 4]);
  });

  it('nested Parallel: the failed Task deep in a branch restarts there, nothing else', async () => {
    let broken = true;
    const { engine, run, redrive, calls } = setup({
      ok: () => 'ok',
      deep: () => {
        if (broken) throw Object.assign(new Error('x'), { name: 'Deep.Failed' });
        return 'deep';
      },
    });
    const inner = {
      StartAt: 'Inner',
      States: {
        Inner: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'I1', States: { I1: { ...lambda('ok'), End: true } } },
            {
              StartAt: 'I2',
              States: { I2: { ...lambda('ok'), Next: 'I3' }, I3: { ...lambda('deep'), End: true } },
            },
          ],
        },
      },
    };
    const arn = await run({
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Parallel',
          End: true,
          Branches: [inner, { StartAt: 'O', States: { O: { ...lambda('ok'), End: true } } }],
        },
      },
    });
    expect((await engine.waitForExecution(arn)).error).toBe('Deep.Failed');
    broken = false;
    const d = await redrive(arn);
    expect(JSON.parse(d.output as string)).toEqual([['ok', 'deep'], 'ok']);
    expect(calls.ok).toBe(3);
    expect(calls.deep).toBe(2);
  });

  it('a Task scheduled in the batch in which the execution failed never starts, and runs on redrive', async () => {
    const { engine, run, redrive, calls } = setup({ late: () => 'late' });
    const arn = await run({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Late', States: { Late: { ...lambda('late'), End: true } } },
            {
              // $$.Execution.RedriveTime exists only once redriven: this fails at once the first time.
              StartAt: 'Needs redrive',
              States: {
                'Needs redrive': {
                  Type: 'Pass',
                  Parameters: { 'at.$': '$$.Execution.RedriveTime' },
                  End: true,
                },
              },
            },
          ],
        },
      },
    });
    expect((await engine.waitForExecution(arn)).error).toBe('States.Runtime');
    await new Promise((r) => setTimeout(r, 10));
    expect(calls.late).toBeUndefined();
    const d = await redrive(arn);
    expect(JSON.parse(d.output as string)).toEqual(['late', { at: d.redriveDate?.toISOString() }]);
    expect(calls.late).toBe(1);
  });

  it('a Catch that fails itself (ResultPath) leaves the whole Parallel to run again', async () => {
    let attempt = 0;
    const { engine, run, redrive, calls } = setup({
      branch: () => {
        if (++attempt === 1) throw Object.assign(new Error('x'), { name: 'Branch.Failed' });
        return 'fine';
      },
      other: () => 'other',
    });
    const arn = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'B', States: { B: { ...lambda('branch'), End: true } } },
              { StartAt: 'O', States: { O: { ...lambda('other'), End: true } } },
            ],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.text.error', Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      { text: 'a string has no fields' },
    );
    expect((await engine.waitForExecution(arn)).error).toBe('States.ResultPathMatchFailure');
    const d = await redrive(arn);
    expect(JSON.parse(d.output as string)).toEqual(['fine', 'other']);
    expect(calls.branch).toBe(2);
  });

  it('Retry: the attempt count starts at 0 again on redrive', async () => {
    const { run, redrive, finish, calls } = setup({
      flaky: () => {
        throw Object.assign(new Error('busy'), { name: 'Busy' });
      },
    });
    const arn = await run({
      StartAt: 'T',
      States: {
        T: {
          ...lambda('flaky'),
          Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1, MaxAttempts: 2 }],
          End: true,
        },
      },
    });
    expect((await finish(arn)).error).toBe('Busy');
    expect(calls.flaky).toBe(3);
    expect((await redrive(arn)).status).toBe('FAILED');
    // "The retry attempt count for these states is reset to 0 to allow for the maximum number of
    // attempts on redrive": three more calls, not one.
    expect(calls.flaky).toBe(6);
  });

  it('Choice: the rules are evaluated again ($$.Execution.RedriveCount changes the outcome)', async () => {
    const { engine, run, redrive } = setup({});
    const arn = await run({
      StartAt: 'Again?',
      States: {
        'Again?': {
          Type: 'Choice',
          Choices: [{ Variable: '$$.Execution.RedriveCount', NumericGreaterThan: 0, Next: 'Done' }],
        },
        Done: {
          Type: 'Pass',
          Parameters: { 'count.$': '$$.Execution.RedriveCount', 'at.$': '$$.Execution.RedriveTime' },
          End: true,
        },
      },
    });
    expect((await engine.waitForExecution(arn)).error).toBe('States.NoChoiceMatched');
    const d = await redrive(arn);
    const out = JSON.parse(d.output as string);
    expect(out.count).toBe(1);
    expect(Date.parse(out.at)).toBe(d.redriveDate?.getTime());
  });

  it('Fail: re-enters the Fail state and fails again', async () => {
    const { engine, run, redrive, entered } = setup({});
    const arn = await run({
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'Always', Cause: 'by design' } },
    });
    expect((await engine.waitForExecution(arn)).error).toBe('Always');
    const d = await redrive(arn);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Always', cause: 'by design', redriveCount: 1 });
    expect(entered(arn, 'F')).toBe(2);
  });

  it('Wait: a stopped Wait whose timestamp has passed exits at once; a Seconds Wait waits again', async () => {
    const { engine, run, redrive, entered } = setup({});
    const until = new Date(engine.now() + 60_000).toISOString();
    const arn = await run(
      {
        StartAt: 'Until',
        States: {
          Until: { Type: 'Wait', TimestampPath: '$.until', Next: 'Pause' },
          Pause: { Type: 'Wait', Seconds: 30, End: true },
        },
      },
      { until },
    );
    await new Promise((r) => setImmediate(r));
    expect(entered(arn, 'Until')).toBe(1);
    await engine.stopExecution({ executionArn: arn, error: 'Operator', cause: 'paused' });
    await engine.advance(120);
    await redrive(arn, false);
    expect(entered(arn, 'Until')).toBe(2);
    expect(entered(arn, 'Pause')).toBe(1);
    await engine.stopExecution({ executionArn: arn });
    await redrive(arn, false);
    await engine.advance(29);
    expect(engine.describeExecution({ executionArn: arn }).status).toBe('RUNNING');
    await engine.advance(1);
    expect((await engine.waitForExecution(arn)).status).toBe('SUCCEEDED');
    expect(entered(arn, 'Pause')).toBe(2);
  });
});
