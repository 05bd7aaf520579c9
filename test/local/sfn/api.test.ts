/**
 * The Step Functions JSON API through the real @aws-sdk/client-sfn against the local HTTP server:
 * shapes, idempotency, task tokens, and the exception classes the SDK raises.
 */

import type { Server } from 'node:http';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import { listen } from '../../../local/sfn/api/server';

let engine: Engine;
let server: Server;
let sfn: SFNClient;
const tokens: string[] = [];

const callbackMachine = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    StartAt: 'Wait for human',
    States: {
      'Wait for human': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', 'who.$': '$.who' } },
        ResultPath: '$.answer',
        End: true,
        ...extra,
      },
    },
  });

async function machine(name: string, definition: string): Promise<string> {
  const r = await sfn.send(
    new CreateStateMachineCommand({ name, definition, roleArn: 'arn:aws:iam::000000000000:role/x' }),
  );
  return r.stateMachineArn as string;
}

async function settled(executionArn: string) {
  for (let i = 0; i < 200; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('execution did not finish');
}

async function nextToken(count: number): Promise<string> {
  for (let i = 0; i < 200 && tokens.length < count; i++) await new Promise((r) => setTimeout(r, 5));
  const t = tokens[count - 1];
  if (!t) throw new Error('no token arrived');
  return t;
}

async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  return 'no error';
}

beforeAll(async () => {
  engine = new Engine({
    region: 'eu-west-1',
    invoke: async (_fn, payload) => {
      tokens.push((payload as { token: string }).token);
      return { accepted: true };
    },
  });
  const s = await listen(engine, 0);
  server = s;
  sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${s.port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
});

afterAll(async () => {
  sfn.destroy();
  await new Promise((r) => server.close(r));
  await engine.close();
});

describe('state machines', () => {
  it('creates, describes and lists with AWS-shaped ARNs and dates', async () => {
    const arn = await machine('orders', callbackMachine());
    expect(arn).toBe('arn:aws:states:eu-west-1:000000000000:stateMachine:orders');
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(d.name).toBe('orders');
    expect(d.status).toBe('ACTIVE');
    expect(d.creationDate).toBeInstanceOf(Date);
    expect(JSON.parse(d.definition as string).StartAt).toBe('Wait for human');
    const l = await sfn.send(new ListStateMachinesCommand({}));
    expect(l.stateMachines?.map((m) => m.name)).toContain('orders');
  });

  it('accepts reference paths only where AWS requires them (ResultPath, ItemsPath)', async () => {
    const map = (itemsPath: string) =>
      JSON.stringify({
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: itemsPath,
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      });
    const pass = (resultPath: string) =>
      JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', ResultPath: resultPath, End: true } } });
    expect(await errorName(machine('items-wildcard', map('$.rows[*]')))).toBe('InvalidDefinition');
    expect(await errorName(machine('result-filter', pass('$.xs[?(@.a)]')))).toBe('InvalidDefinition');
    // `.[` before a name or an index is still a reference path.
    expect(await machine('items-dot-bracket', map("$.[0].['the rows']"))).toMatch(
      /:stateMachine:items-dot-bracket$/,
    );
    expect(await machine('result-dot-bracket', pass("$.abc.['def ghi']"))).toMatch(/result-dot-bracket$/);
  });

  it('raises the SDK exceptions for bad input', async () => {
    expect(await errorName(machine('bad', '{"StartAt":"X","States":{}}'))).toBe('InvalidDefinition');
    expect(await errorName(machine('bad2', 'not json'))).toBe('InvalidDefinition');
    expect(await errorName(machine('has space', callbackMachine()))).toBe('InvalidName');
    const missing = 'arn:aws:states:eu-west-1:000000000000:stateMachine:nope';
    expect(await errorName(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: missing })))).toBe(
      'StateMachineDoesNotExist',
    );
    expect(
      await errorName(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:nonsense' }))),
    ).toBe('InvalidArn');
    expect(
      await errorName(
        sfn.send(
          new DescribeExecutionCommand({
            executionArn: 'arn:aws:states:eu-west-1:000000000000:execution:orders:none',
          }),
        ),
      ),
    ).toBe('ExecutionDoesNotExist');
  });
});

describe('executions and task tokens', () => {
  it('runs a callback task: SendTaskSuccess completes it, the token is then closed', async () => {
    const arn = await machine('cb1', callbackMachine());
    const start = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"who":"ann"}' }),
    );
    expect(start.executionArn).toBe('arn:aws:states:eu-west-1:000000000000:execution:cb1:run-1');
    expect(start.startDate).toBeInstanceOf(Date);

    // Same name + same input while running: the same execution (idempotent start).
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"who":"ann"}' }),
    );
    expect(again.executionArn).toBe(start.executionArn);
    expect(
      await errorName(
        sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"who":"bob"}' })),
      ),
    ).toBe('ExecutionAlreadyExists');

    const token = await nextToken(1);
    // Over 256 KiB (UTF-8 bytes): the API's own field validation refuses it, the task still waits.
    const tooBig = JSON.stringify({ s: 'x'.repeat(256 * 1024) });
    expect(await errorName(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: tooBig })))).toBe(
      'ValidationException',
    );
    expect(
      await errorName(
        sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-2', input: tooBig })),
      ),
    ).toBe('ValidationException');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"ok":true}' }));
    const d = await settled(start.executionArn as string);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output as string)).toEqual({ who: 'ann', answer: { ok: true } });
    expect(d.stopDate).toBeInstanceOf(Date);

    const err = await sfn
      .send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))
      .catch((e: Error) => e);
    expect((err as Error).name).toBe('TaskTimedOut');
    expect((err as Error).message).toBe("Task Timed Out: 'Provided task does not exist anymore'");
    expect(
      await errorName(sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))),
    ).toBe('InvalidToken');
    // A closed execution's name cannot be reused, whatever the input.
    expect(
      await errorName(
        sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"who":"ann"}' })),
      ),
    ).toBe('ExecutionAlreadyExists');

    const h = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: start.executionArn, maxResults: 1000 }),
    );
    const types = h.events?.map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(h.events?.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(h.events?.[2]?.previousEventId).toBe(2);
    expect(h.events?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(h.events?.[2]?.taskScheduledEventDetails?.resource).toBe('invoke.waitForTaskToken');
    expect(JSON.parse(h.events?.[5]?.taskSucceededEventDetails?.output as string)).toEqual({ ok: true });

    const rev = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: start.executionArn, reverseOrder: true, maxResults: 3 }),
    );
    expect(rev.events?.map((e) => e.type)).toEqual([
      'ExecutionSucceeded',
      'TaskStateExited',
      'TaskSucceeded',
    ]);
    expect(rev.nextToken).toBeTruthy();
    const rest = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: start.executionArn,
        reverseOrder: true,
        maxResults: 3,
        nextToken: rev.nextToken,
      }),
    );
    expect(rest.events?.map((e) => e.id)).toEqual([5, 4, 3]);
  });

  it('SendTaskFailure fails the execution with the given error and cause', async () => {
    const arn = await machine('cb2', callbackMachine());
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"who":"x"}' }),
    );
    const token = await nextToken(2);
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'said no' }));
    const d = await settled(executionArn as string);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('Rejected');
    expect(d.cause).toBe('said no');
  });

  it('heartbeats keep a task alive; a missed heartbeat times it out (engine clock)', async () => {
    const arn = await machine('cb3', callbackMachine({ HeartbeatSeconds: 10, TimeoutSeconds: 3600 }));
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"who":"y"}' }),
    );
    const token = await nextToken(3);
    await engine.advance(8);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await engine.advance(8);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await engine.advance(3);
    const d = await settled(executionArn as string);
    expect(d.status).toBe('FAILED');
    // AWS reports a missed heartbeat as States.Timeout without a cause (recorded AWS histories in
    // localstack tests/aws/services/stepfunctions/v2/timeouts/test_heartbeats.snapshot.json).
    expect(d.error).toBe('States.Timeout');
    expect(d.cause).toBeUndefined();
    expect(await errorName(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })))).toBe(
      'TaskTimedOut',
    );
    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 100 }));
    expect(h.events?.map((e) => e.type)).toContain('TaskTimedOut');
  });

  it('StopExecution aborts; ListExecutions filters and paginates', async () => {
    const arn = await machine('cb4', callbackMachine());
    const arns: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: arn, name: `e${i}`, input: '{"who":"z"}' }),
      );
      arns.push(r.executionArn as string);
    }
    await sfn.send(new StopExecutionCommand({ executionArn: arns[1], error: 'Stop', cause: 'by test' }));
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arns[1] }));
    expect(d.status).toBe('ABORTED');
    expect(d.error).toBe('Stop');

    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }),
    );
    expect(running.executions?.map((e) => e.name).sort()).toEqual(['e0', 'e2']);
    const page1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }));
    expect(page1.executions?.map((e) => e.name)).toEqual(['e2', 'e1']);
    const page2 = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: page1.nextToken }),
    );
    expect(page2.executions?.map((e) => e.name)).toEqual(['e0']);
    expect(page2.nextToken).toBeUndefined();
    for (const a of [arns[0], arns[2]]) await sfn.send(new StopExecutionCommand({ executionArn: a }));
  });
});

describe('history details', () => {
  it('gives state inputs and outputs as JSON strings', async () => {
    const def = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'text', End: true } } });
    const arn = await machine('hist', def);
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"a":[1]}' }),
    );
    await settled(executionArn as string);
    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const entered = h.events?.find((e) => e.type === 'PassStateEntered');
    const exited = h.events?.find((e) => e.type === 'PassStateExited');
    expect(entered?.stateEnteredEventDetails).toEqual({
      name: 'P',
      input: '{"a":[1]}',
      inputDetails: { truncated: false },
    });
    expect(exited?.stateExitedEventDetails).toEqual({
      name: 'P',
      output: '"text"',
      outputDetails: { truncated: false },
    });
    expect(h.events?.at(-1)?.executionSucceededEventDetails?.output).toBe('"text"');
  });
});

describe('wire format', () => {
  it('answers errors in the AWS JSON 1.0 shape', async () => {
    const port = (server.address() as { port: number }).port;
    const post = (target: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
        body: JSON.stringify(body),
      });
    const r = await post('AWSStepFunctions.SendTaskSuccess', { taskToken: 'nope', output: '{}' });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('InvalidToken');
    expect(r.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await r.json()).toEqual({
      __type: 'com.amazonaws.states#InvalidToken',
      message: "Invalid Token: 'Invalid token'",
    });
    const unknown = await post('AWSStepFunctions.Frobnicate', {});
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const ok = await post('AWSStepFunctions.ListStateMachines', {});
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { stateMachines: { creationDate: unknown }[] };
    expect(typeof body.stateMachines[0]?.creationDate).toBe('number');
  });
});
