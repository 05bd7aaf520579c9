/**
 * The 256 KiB payload quota (UTF-8 bytes of the JSON text): States.DataLimitExceeded inside an
 * execution (state output, input after Parameters, task result), which States.ALL does not catch;
 * the API's own ValidationException for StartExecution input and SendTaskSuccess output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SfnApiError } from '../../../local/sfn/api/api-errors';
import { Engine, type EngineOptions } from '../../../local/sfn/api/engine';
import type { Json } from '../../../local/sfn/language/json';
import { jsonBytes, PAYLOAD_LIMIT } from '../../../local/sfn/language/payload-size';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function run(definition: unknown, input: unknown = {}, options: EngineOptions = {}) {
  const engine = new Engine(options);
  engines.push(engine);
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'm',
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  const described = await engine.waitForExecution(executionArn as string);
  const events = engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events ?? [];
  return { engine, stateMachineArn: stateMachineArn as string, described, events };
}

/** A JSON string value whose JSON text (with quotes) is exactly `bytes` bytes long. */
const stringOfBytes = (bytes: number) => 'x'.repeat(bytes - 2);

describe('payload size', () => {
  it('counts the UTF-8 bytes of the JSON text, as AWS does', () => {
    const values: Json[] = [
      null,
      true,
      -1.5e-7,
      'plain',
      'quote " backslash \\ newline \n tab \t bell \u0007',
      'é ü 中文 😀',
      `${'long é 😀 "escaped"\n'.repeat(50)}`,
      { a: [1, 'two', { three: null }], 'ké y': { nested: [true, false, []] }, empty: {} },
      [[], {}, '', 0],
    ];
    for (const value of values) {
      expect(jsonBytes(value), JSON.stringify(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
    }
    const big = { rows: Array.from({ length: 2000 }, (_, i) => ({ i, name: `row ${i} é` })) };
    expect(jsonBytes(big)).toBe(Buffer.byteLength(JSON.stringify(big)));
    // Remembered for the big subtree, still right after a ResultPath-like copy of the spine.
    const merged = { ...big, result: 'ok' };
    expect(jsonBytes(merged)).toBe(Buffer.byteLength(JSON.stringify(merged)));
  });

  it('a state output of exactly 256 KiB passes; one byte more fails with States.DataLimitExceeded', async () => {
    const pass = (bytes: number) => ({
      StartAt: 'Big',
      States: { Big: { Type: 'Pass', Result: stringOfBytes(bytes), End: true } },
    });
    const ok = await run(pass(PAYLOAD_LIMIT));
    expect(ok.described.status).toBe('SUCCEEDED');
    expect(Buffer.byteLength(ok.described.output as string)).toBe(PAYLOAD_LIMIT);
    const over = await run(pass(PAYLOAD_LIMIT + 1));
    expect(over.described.status).toBe('FAILED');
    expect(over.described.error).toBe('States.DataLimitExceeded');
    expect(over.described.cause).toBe(
      "The state/task 'Big' returned a result with a size exceeding the maximum number of bytes service limit.",
    );
    expect(over.events.map((e) => e.type)).not.toContain('PassStateExited');
  });

  it('States.ALL does not catch it; a Catch naming States.DataLimitExceeded does', async () => {
    const machine = (errors: string[]) => ({
      StartAt: 'Grow',
      States: {
        Grow: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Big',
              States: { Big: { Type: 'Pass', Result: stringOfBytes(PAYLOAD_LIMIT + 10), End: true } },
            },
          ],
          Catch: [{ ErrorEquals: errors, ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    const all = await run(machine(['States.ALL']));
    expect(all.described.status).toBe('FAILED');
    expect(all.described.error).toBe('States.DataLimitExceeded');
    const named = await run(machine(['States.DataLimitExceeded']));
    expect(named.described.status).toBe('SUCCEEDED');
    expect(JSON.parse(named.described.output as string).error.Error).toBe('States.DataLimitExceeded');
  });

  it('a task result over the quota fails the task (TaskFailed) named by its resource type', async () => {
    const { described, events } = await run(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'f' },
            ResultSelector: { 'small.$': '$.StatusCode' },
            End: true,
          },
        },
      },
      {},
      { invoke: async () => ({ blob: stringOfBytes(PAYLOAD_LIMIT) }) },
    );
    expect(described.error).toBe('States.DataLimitExceeded');
    expect(described.cause).toBe(
      "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.",
    );
    expect(events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails?.error).toBe(
      'States.DataLimitExceeded',
    );
  });

  it("a task's input after Parameters over the quota fails before the call is made", async () => {
    let calls = 0;
    const half = stringOfBytes(PAYLOAD_LIMIT / 2 + 100);
    const { described, events } = await run(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'f', Payload: { 'a.$': '$.half', 'b.$': '$.half' } },
            End: true,
          },
        },
      },
      { half },
      {
        invoke: async () => {
          calls++;
          return {};
        },
      },
    );
    expect(calls).toBe(0);
    expect(described.error).toBe('States.DataLimitExceeded');
    expect(events.map((e) => e.type)).not.toContain('TaskScheduled');
  });

  it('StartExecution refuses an input over 256 KiB (UTF-8 bytes) with ValidationException', async () => {
    const engine = new Engine({});
    engines.push(engine);
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'm',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    // 'é' is two bytes: the character count is under the quota, the byte count is not.
    const input = JSON.stringify({ s: 'é'.repeat(PAYLOAD_LIMIT / 2) });
    expect(input.length).toBeLessThan(PAYLOAD_LIMIT);
    const refused = await engine.startExecution({ stateMachineArn, input }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SfnApiError);
    expect((refused as SfnApiError).code).toBe('ValidationException');
    expect(engine.listExecutions({ stateMachineArn }).executions).toEqual([]);
    const atLimit = JSON.stringify(stringOfBytes(PAYLOAD_LIMIT));
    const started = await engine.startExecution({ stateMachineArn, input: atLimit });
    expect((await engine.waitForExecution(started.executionArn as string)).status).toBe('SUCCEEDED');
  });

  it('SendTaskSuccess refuses an output over 256 KiB; the task still waits for a valid one', async () => {
    let token = '';
    const engine = new Engine({
      invoke: async (_arn, payload) => {
        token = (payload as { token: string }).token;
        return {};
      },
    });
    engines.push(engine);
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'm',
      definition: JSON.stringify({
        StartAt: 'Wait',
        States: {
          Wait: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn });
    await new Promise((r) => setTimeout(r, 20));
    expect(token).not.toBe('');
    const output = JSON.stringify(stringOfBytes(PAYLOAD_LIMIT + 1));
    const refused = await engine.sendTaskSuccess({ taskToken: token, output }).catch((e: unknown) => e);
    expect((refused as SfnApiError).code).toBe('ValidationException');
    expect(engine.describeExecution({ executionArn }).status).toBe('RUNNING');
    await engine.sendTaskSuccess({ taskToken: token, output: '{"ok":true}' });
    const done = await engine.waitForExecution(executionArn as string);
    expect(done.output).toBe('{"ok":true}');
  });
});
