import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { Engine, type EngineOptions } from '../../../local/sfn/index';
import { laneOf, TaskLanes } from '../../../local/sfn/integrations/task-lanes';
import { tempDirs } from '../../support/temp-dirs';
import { heldCalls, until } from './helpers';

const tempDir = tempDirs('sfn-lanes-');

describe('TaskLanes', () => {
  it('keeps each lane first in, first out, and gives the lanes their turns', () => {
    const lanes = new TaskLanes<string>();
    for (const item of ['a1', 'a2', 'a3']) lanes.push('a', item);
    lanes.push('b', 'b1');
    lanes.push('a', 'a4');
    lanes.push('b', 'b2');
    expect(lanes.length).toBe(6);
    const taken = Array.from({ length: 6 }, () => lanes.shift());
    expect(taken).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'a4']);
    expect(lanes.shift()).toBeUndefined();
    expect(lanes.length).toBe(0);
  });

  it('a lane that emptied joins the back of the line again', () => {
    const lanes = new TaskLanes<string>();
    lanes.push('a', 'a1');
    lanes.push('b', 'b1');
    lanes.push('b', 'b2');
    expect(lanes.shift()).toBe('a1');
    lanes.push('a', 'a2');
    expect([lanes.shift(), lanes.shift(), lanes.shift()]).toEqual(['b1', 'a2', 'b2']);
  });
});

describe('laneOf', () => {
  const fn = 'arn:aws:lambda:eu-west-1:000000000000:function:open-step';
  it('names the function a Lambda integration invokes, whatever its version or alias', () => {
    const invoke = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
    expect(laneOf(invoke, { FunctionName: fn })).toBe(laneOf(invoke, { FunctionName: `${fn}:$LATEST` }));
    expect(laneOf(invoke, { FunctionName: fn })).not.toBe(
      laneOf(invoke, { FunctionName: fn.replace('open-step', 'start-cases') }),
    );
  });
  it("sets the calls of executions started by different callers apart, and the same caller's together", () => {
    const invoke = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
    const round = laneOf(invoke, { FunctionName: fn }, 'ASIAROUND');
    expect(round).toBe(laneOf(invoke, { FunctionName: `${fn}:$LATEST` }, 'ASIAROUND'));
    expect(round).not.toBe(laneOf(invoke, { FunctionName: fn }, 'ASIACASEWORKER'));
    expect(round).not.toBe(laneOf(invoke, { FunctionName: fn }));
  });
  it('is the resource itself for a function ARN and for other integrations', () => {
    expect(laneOf(fn, {})).toBe(fn);
    expect(laneOf('arn:aws:states:::dynamodb:updateItem', { TableName: 't' })).toBe(
      'arn:aws:states:::dynamodb:updateItem',
    );
  });
});

/** One Lambda task (`open-step`) that passes its input on; the calls in the order they were made. */
async function oneTaskMachine(options: EngineOptions) {
  const engine = new Engine({ maxConcurrentTasks: 1, ...options });
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'case',
    definition: JSON.stringify({
      StartAt: 'Invite',
      States: {
        Invite: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:eu-west-1:000000000000:function:open-step',
          End: true,
        },
      },
    }),
  });
  return { engine, stateMachineArn: stateMachineArn as string };
}

const recorded = (calls: string[]) => async (_fn: string, payload: unknown) => {
  calls.push((payload as { who: string }).who);
  await new Promise((r) => setTimeout(r, 2));
  return payload;
};

describe("the engine's lanes per starter", () => {
  it("a case a caseworker starts during a round does not wait behind the round's calls to the same function", async () => {
    const calls: string[] = [];
    // The round's calls are held until the caseworker's case is in.
    const { held, release } = heldCalls();
    const invoke = recorded(calls);
    const { engine, stateMachineArn } = await oneTaskMachine({
      invoke: async (fn, payload) => {
        const result = invoke(fn, payload);
        await held;
        return result;
      },
    });
    const server = await engine.listen(0);
    // Each function signs with credentials of its own (local/runtime/iam.ts): here, two callers.
    const client = (accessKeyId: string) =>
      new SFNClient({
        endpoint: `http://127.0.0.1:${server.port}`,
        region: 'eu-west-1',
        credentials: { accessKeyId, secretAccessKey: 'x' },
      });
    const round = client('ASIAROUNDSTARTCASES');
    const caseworker = client('ASIACREATECASE');
    const start = (sfn: SFNClient, who: string) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: who, input: JSON.stringify({ who }) }));
    try {
      const rows = Array.from({ length: 10 }, (_, i) => start(round, `row${i}`));
      const arns = (await Promise.all(rows)).map((r) => r.executionArn as string);
      await until(() => engine.stats().tasksQueued >= 3);
      const before = calls.length;
      const queued = engine.stats().tasksQueued;
      arns.push((await start(caseworker, 'caseworker')).executionArn as string);
      await until(() => engine.stats().tasksQueued > queued);
      release();
      for (const arn of arns) expect((await engine.waitForExecution(arn)).status).toBe('SUCCEEDED');
      expect(queued).toBeGreaterThanOrEqual(3);
      // In turns: the call in flight returns, the round's next goes, then the caseworker's.
      expect(calls.indexOf('caseworker')).toBeLessThanOrEqual(before + 2);
      expect(calls.indexOf('caseworker')).toBeLessThan(before + queued);
    } finally {
      round.destroy();
      caseworker.destroy();
      await new Promise((r) => server.close(r));
      await engine.close();
    }
  });

  it('who started an execution is journaled: after a restart its calls still queue apart', async () => {
    const dir = tempDir();
    // The first engine's calls never return: everything is still to do when it stops.
    const first = await oneTaskMachine({ dataDir: dir, invoke: () => new Promise(() => {}) });
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      const input = {
        stateMachineArn: first.stateMachineArn,
        name: `row${i}`,
        input: JSON.stringify({ who: `row${i}` }),
      };
      arns.push((await first.engine.startExecution(input, 'ASIAROUNDSTARTCASES')).executionArn as string);
    }
    const input = {
      stateMachineArn: first.stateMachineArn,
      name: 'caseworker',
      input: '{"who":"caseworker"}',
    };
    arns.push((await first.engine.startExecution(input, 'ASIACREATECASE')).executionArn as string);
    await until(() => first.engine.stats().tasksQueued === 5);
    expect(first.engine.stats().tasksQueued).toBe(5);
    await first.engine.close();

    const calls: string[] = [];
    const second = new Engine({ dataDir: dir, maxConcurrentTasks: 1, invoke: recorded(calls) });
    try {
      for (const arn of arns) expect((await second.waitForExecution(arn)).status).toBe('SUCCEEDED');
      // Replayed in the order they started; in one lane the caseworker's call would be the sixth.
      expect(calls).toHaveLength(6);
      expect(calls.indexOf('caseworker')).toBeLessThanOrEqual(1);
    } finally {
      await second.close();
    }
  });
});
