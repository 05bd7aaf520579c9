import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { API_RESOURCES, allow, role, route, writeAssembly } from './fixture';

// biome-ignore lint/suspicious/noExplicitAny: the test reads deep into JSON it just asserted on
type Loose = any;

const root = join(process.cwd(), '.data', 'test-fixtures');
const definition = {
  'Fn::Join': [
    '',
    [
      '{"StartAt":"Open","States":{"Open":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",',
      '"Parameters":{"FunctionName":"',
      { 'Fn::GetAtt': ['Opener', 'Arn'] },
      '","Payload.$":"$"},"OutputPath":"$.Payload",',
      '"Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":1,"MaxAttempts":2,"BackoffRate":1}],',
      '"Catch":[{"ErrorEquals":["Case.Broken"],"ResultPath":"$.error","Next":"Caught"}],"End":true},',
      '"Caught":{"Type":"Pass","End":true}}}',
    ],
  ],
};

let cdkOut: string;
let dataDir: string;
let rt: Runtime;

beforeAll(async () => {
  cdkOut = writeAssembly(
    root,
    {
      Opener: {
        code: 'exports.handler = async () => ({ opened: true });',
        description: 'coproduce open-step',
      },
    },
    {
      ...API_RESOURCES,
      ...route('POST /open', 'Opener'),
      // The machine's role may invoke the function (the engine asks IAM before every integration call).
      ...role(
        'states.amazonaws.com',
        [allow('lambda:InvokeFunction', { 'Fn::GetAtt': ['Opener', 'Arn'] })],
        'Machine',
      ),
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionString: definition, RoleArn: { 'Fn::GetAtt': ['MachineRole', 'Arn'] } },
      },
    },
  );
  dataDir = mkdtempSync(join(tmpdir(), 'coproduce-faults-'));
  rt = await startRuntime({ cdkOut, dataDir, port: 0, sweepIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cdkOut, { recursive: true, force: true });
});

const fault = async (body: unknown) => {
  const res = await fetch(`${rt.url}/local/faults`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Loose };
};

async function run(name: string) {
  const machine = 'arn:aws:states:eu-west-1:000000000000:stateMachine:demo-stack-Machine';
  const { executionArn } = await rt.engine.engine.startExecution({
    stateMachineArn: machine,
    name,
    input: '{}',
  });
  const arn = executionArn as string;
  // The retry waits a second on the engine clock.
  for (
    let i = 0;
    i < 5 && rt.engine.engine.describeExecution({ executionArn: arn }).status === 'RUNNING';
    i++
  )
    await rt.advance(1);
  return rt.engine.engine.waitForExecution(arn);
}

describe('POST /local/faults', () => {
  it('refuses a malformed fault, and names the known functions for an unknown one', async () => {
    expect((await fault({ function: 'open-step', times: 0, error: 'X' })).status).toBe(400);
    expect((await fault({ function: 'open-step', times: 1.5, error: 'X' })).status).toBe(400);
    expect((await fault({ function: 'open-step', times: 1, error: 'not a name' })).status).toBe(400);
    expect((await fault({ function: 'open-step', times: 1, error: 'X', message: 7 })).status).toBe(400);
    expect((await fault({ times: 1, error: 'X' })).status).toBe(400);
    const unknown = await fault({ function: 'close-step', times: 1, error: 'X' });
    expect(unknown).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    expect(unknown.json.error.message).toContain('known: open-step');
    const bad = await fetch(`${rt.url}/local/faults`, { method: 'POST', body: 'not json' });
    expect(bad.status).toBe(400);
    expect(((await (await fetch(`${rt.url}/local/faults`)).json()) as Loose).faults).toEqual([]);
  });

  it('fails the next invocations with that error, as the state machine sees a Lambda error', async () => {
    const added = await fault({ function: 'open-step', times: 1, error: 'Lambda.TooManyRequestsException' });
    expect(added).toMatchObject({
      status: 201,
      json: { fault: { function: 'open-step', error: 'Lambda.TooManyRequestsException', remaining: 1 } },
    });
    expect(((await (await fetch(`${rt.url}/local/faults`)).json()) as Loose).faults).toHaveLength(1);
    const retried = await run('retried');
    expect(retried.status, JSON.stringify(retried)).toBe('SUCCEEDED');
    expect(JSON.parse(retried.output as string)).toEqual({ opened: true });
    expect(((await (await fetch(`${rt.url}/local/faults`)).json()) as Loose).faults).toEqual([]);

    await fault({ function: 'open-step', times: 1, error: 'Case.Broken', message: 'forced' });
    const caught = await run('caught');
    const error = JSON.parse(caught.output as string).error;
    expect(error.Error).toBe('Case.Broken');
    expect(JSON.parse(error.Cause)).toEqual({
      errorType: 'Case.Broken',
      errorMessage: 'forced',
      trace: ['Case.Broken: forced'],
    });
  });

  it('makes an API route answer 500, as API Gateway does for a function error', async () => {
    await fault({ function: 'open-step', times: 2, error: 'Error' });
    expect((await fetch(`${rt.url}/open`, { method: 'POST' })).status).toBe(500);
    expect((await fetch(`${rt.url}/open`, { method: 'POST' })).status).toBe(500);
    expect((await fetch(`${rt.url}/open`, { method: 'POST' })).status).toBe(200);
  });
});
