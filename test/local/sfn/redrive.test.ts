/**
 * RedriveExecution as an API: who may be redriven and the errors otherwise, clientToken
 * idempotency, the Describe/List redrive fields, the ExecutionRedriven event, the execution
 * timeout on redrive, and @aws-sdk/client-sfn's RedriveExecutionCommand over HTTP. Expectations
 * come from the RedriveExecution and DescribeExecution API references and the guide's
 * "Redriving executions" page (the peer, aws-local-stepfunctions, has no redrive).
 */
import type { Server } from 'node:http';
import { DescribeExecutionCommand, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import { lambda, scripted } from './redrive-helpers';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

const DAY = 86_400;

function setup(fails = true) {
  const state = { fails };
  const s = scripted({
    work: () => {
      if (state.fails) throw Object.assign(new Error('down'), { name: 'Backend.Down' });
      return 'done';
    },
  });
  const engine = new Engine({ invoke: s.invoke });
  engines.push(engine);
  const failing = { StartAt: 'Work', States: { Work: { ...lambda('work'), End: true } } };
  return { engine, state, failing, ...s, ...s.bind(engine) };
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  return { name: 'no error', message: '' };
}

describe('who can be redriven', () => {
  it('refuses RUNNING and SUCCEEDED executions with the documented reasons', async () => {
    const { engine, run, state, failing } = setup(false);
    const waiting = await run({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    expect(await errorOf(engine.redriveExecution({ executionArn: waiting }))).toEqual({
      name: 'ExecutionNotRedrivable',
      message: 'Execution is RUNNING and cannot be redriven',
    });
    expect(engine.describeExecution({ executionArn: waiting })).toMatchObject({
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
    });
    state.fails = false;
    const ok = await run(failing);
    await engine.waitForExecution(ok);
    expect(await errorOf(engine.redriveExecution({ executionArn: ok }))).toEqual({
      name: 'ExecutionNotRedrivable',
      message: 'Execution is SUCCEEDED and cannot be redriven',
    });
  });

  it('answers ExecutionDoesNotExist and InvalidArn like the other execution APIs', async () => {
    const { engine } = setup();
    const missing = 'arn:aws:states:eu-west-1:000000000000:execution:nope:none';
    expect((await errorOf(engine.redriveExecution({ executionArn: missing }))).name).toBe(
      'ExecutionDoesNotExist',
    );
    expect((await errorOf(engine.redriveExecution({ executionArn: 'arn:nope' }))).name).toBe('InvalidArn');
    const bad = { executionArn: missing, clientToken: '' };
    expect((await errorOf(engine.redriveExecution(bad))).name).toBe('ValidationException');
  });

  it('allows FAILED, TIMED_OUT and ABORTED executions within 14 days of their stop', async () => {
    const { engine, run, failing } = setup();
    const failed = await run(failing);
    await engine.waitForExecution(failed);
    const timed = await run({
      TimeoutSeconds: 5,
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 60, End: true } },
    });
    const aborted = await run({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
    await engine.stopExecution({ executionArn: aborted });
    await engine.advance(6);
    const status = (arn: string) => engine.describeExecution({ executionArn: arn });
    expect([failed, timed, aborted].map((a) => status(a).status)).toEqual(['FAILED', 'TIMED_OUT', 'ABORTED']);
    for (const a of [failed, timed, aborted]) expect(status(a).redriveStatus).toBe('REDRIVABLE');
    await engine.advance(14 * DAY - 10);
    expect(status(failed).redriveStatus).toBe('REDRIVABLE');
    await engine.advance(20);
    for (const a of [failed, timed, aborted]) {
      expect(status(a)).toMatchObject({
        redriveStatus: 'NOT_REDRIVABLE',
        redriveStatusReason: 'Execution redrivable period exceeded',
      });
    }
    expect(await errorOf(engine.redriveExecution({ executionArn: failed }))).toEqual({
      name: 'ExecutionNotRedrivable',
      message: 'Execution redrivable period exceeded',
    });
    // The parked positions are dropped once nobody can redrive them any more.
    expect(engine.stats().parked).toBe(0);
  });

  it('refuses executions of a deleted state machine', async () => {
    const { engine, run, failing } = setup();
    const arn = await run(failing);
    const d = await engine.waitForExecution(arn);
    await engine.deleteStateMachine({ stateMachineArn: d.stateMachineArn });
    expect(await errorOf(engine.redriveExecution({ executionArn: arn }))).toEqual({
      name: 'ExecutionNotRedrivable',
      message: 'State machine is in DELETING status',
    });
  });
});

describe('what a redrive records', () => {
  it('counts redrives, dates them, and appends ExecutionRedriven to the same history', async () => {
    const { engine, run, redrive, failing, state } = setup();
    const arn = await run(failing);
    await engine.waitForExecution(arn);
    await engine.advance(3600);
    const before = engine.now();
    await redrive(arn);
    state.fails = false;
    const d = await redrive(arn);
    expect(d).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2, output: '"done"' });
    expect(d.redriveDate?.getTime()).toBeGreaterThanOrEqual(before);
    expect(d.error).toBeUndefined();
    const events = engine.getExecutionHistory({ executionArn: arn, maxResults: 100 }).events ?? [];
    expect(events.map((e) => e.type).filter((t) => t?.startsWith('Execution'))).toEqual([
      'ExecutionStarted',
      'ExecutionFailed',
      'ExecutionRedriven',
      'ExecutionFailed',
      'ExecutionRedriven',
      'ExecutionSucceeded',
    ]);
    const redriven = events.filter((e) => e.type === 'ExecutionRedriven');
    expect(redriven.map((e) => e.executionRedrivenEventDetails)).toEqual([
      { redriveCount: 1 },
      { redriveCount: 2 },
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_e, i) => i + 1));
    const listed = engine.listExecutions({ stateMachineArn: d.stateMachineArn }).executions?.[0];
    expect(listed).toMatchObject({ redriveCount: 2, redriveDate: d.redriveDate, status: 'SUCCEEDED' });
    const list = (redriveFilter: 'REDRIVEN' | 'NOT_REDRIVEN') =>
      engine.listExecutions({ stateMachineArn: d.stateMachineArn, redriveFilter }).executions ?? [];
    expect(list('REDRIVEN').map((x) => x.executionArn)).toEqual([arn]);
    expect(list('NOT_REDRIVEN')).toEqual([]);
  });

  it('repeats the answer for a clientToken used in the last 15 minutes, without redriving again', async () => {
    const { engine, run, failing, calls } = setup();
    const arn = await run(failing);
    await engine.waitForExecution(arn);
    const first = await engine.redriveExecution({ executionArn: arn, clientToken: 'retry-1' });
    await engine.waitForExecution(arn);
    await engine.advance(600);
    const again = await engine.redriveExecution({ executionArn: arn, clientToken: 'retry-1' });
    expect(again.redriveDate).toEqual(first.redriveDate);
    expect(engine.describeExecution({ executionArn: arn }).redriveCount).toBe(1);
    expect(calls.work).toBe(2);
    await engine.advance(301);
    const late = await engine.redriveExecution({ executionArn: arn, clientToken: 'retry-1' });
    expect(late.redriveDate?.getTime()).toBeGreaterThan(first.redriveDate?.getTime() ?? 0);
    expect(engine.describeExecution({ executionArn: arn }).redriveCount).toBe(2);
  });

  it('restarts the execution TimeoutSeconds from the redrive ("reset to 0")', async () => {
    const tokens: string[] = [];
    const engine = new Engine({
      invoke: async (_f, p) => {
        tokens.push((p as { token: string }).token);
        return null;
      },
    });
    engines.push(engine);
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'timeout',
      definition: JSON.stringify({
        TimeoutSeconds: 60,
        StartAt: 'Wait',
        States: {
          Wait: { Type: 'Wait', Seconds: 50, Next: 'Ask' },
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'ask', Payload: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn });
    const turn = () => new Promise((r) => setImmediate(r));
    await turn();
    await engine.advance(51);
    await turn();
    expect(tokens).toHaveLength(1);
    await engine.advance(10);
    expect((await engine.waitForExecution(executionArn as string)).status).toBe('TIMED_OUT');
    await engine.advance(3600);
    await engine.redriveExecution({ executionArn });
    await engine.advance(59);
    await turn();
    expect(engine.describeExecution({ executionArn }).status).toBe('RUNNING');
    // The Wait that had finished is not waited again: the callback Task is asked at once.
    expect(tokens).toHaveLength(2);
    await engine.advance(2);
    expect((await engine.waitForExecution(executionArn as string)).status).toBe('TIMED_OUT');
  });
});

describe('over HTTP with @aws-sdk/client-sfn', () => {
  it('RedriveExecutionCommand redrives, and the SDK raises ExecutionNotRedrivable', async () => {
    const { engine, run, failing, state } = setup();
    const arn = await run(failing);
    await engine.waitForExecution(arn);
    const server: Server & { port: number } = await engine.listen(0);
    const sfn = new SFNClient({
      endpoint: `http://127.0.0.1:${server.port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    try {
      state.fails = false;
      const out = await sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
      expect(out.redriveDate).toBeInstanceOf(Date);
      await engine.waitForExecution(arn);
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      expect(d).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE' });
      expect(d.redriveDate?.getTime()).toBe(out.redriveDate?.getTime());
      const refused = await errorOf(sfn.send(new RedriveExecutionCommand({ executionArn: arn })));
      expect(refused).toEqual({
        name: 'ExecutionNotRedrivable',
        message: 'Execution is SUCCEEDED and cannot be redriven',
      });
    } finally {
      sfn.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
