/**
 * EngineOptions.authorize: asked before every call a state machine's integration makes with its
 * role; a denial fails the task with the integration's own error (task-permissions.ts), Catch and
 * Retry see that error, and the call is not made.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, type EngineOptions } from '../../../local/sfn/api/engine';
import type { IntegrationCall } from '../../../local/sfn/integrations/task-permissions';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

const ROLE = 'arn:aws:iam::000000000000:role/machine-role';
/** Records each call and denies it with AWS's text. */
const denyAll = (asked: IntegrationCall[]) => (call: IntegrationCall) => {
  asked.push(call);
  return { allowed: false as const, message: denyText(call) };
};
const denyText = (call: IntegrationCall) =>
  `User: arn:aws:sts::000000000000:assumed-role/machine-role/session is not authorized to perform: ${call.action} on resource: ${call.resource} because no identity-based policy allows the ${call.action} action`;

async function run(options: EngineOptions, definition: unknown, input: unknown = {}) {
  const engine = new Engine(options);
  engines.push(engine);
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'm',
    roleArn: ROLE,
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  const described = await engine.waitForExecution(executionArn as string);
  const events = engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events ?? [];
  return { engine, described, events };
}

describe('EngineOptions.authorize', () => {
  it('asks with the role, action and function ARN; a denial fails as Lambda.AWSLambdaException and the function is not invoked', async () => {
    const asked: IntegrationCall[] = [];
    const invoked: string[] = [];
    const { described, events } = await run(
      {
        invoke: async (arn) => {
          invoked.push(arn);
          return {};
        },
        authorize: denyAll(asked),
      },
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'open-step', Payload: {} },
            End: true,
          },
        },
      },
    );
    expect(invoked).toEqual([]);
    expect(asked).toEqual([
      {
        roleArn: ROLE,
        executionArn: described.executionArn,
        stateName: 'Call',
        action: 'lambda:InvokeFunction',
        resource: 'arn:aws:lambda:eu-west-1:000000000000:function:open-step',
      },
    ]);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('Lambda.AWSLambdaException');
    expect(described.cause).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/machine-role\/session is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:eu-west-1:000000000000:function:open-step because no identity-based policy allows the lambda:InvokeFunction action \(Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
    );
    const failed = events.find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({
      error: 'Lambda.AWSLambdaException',
      resourceType: 'lambda',
      resource: 'invoke',
    });
  });

  it('a denial is caught by Catch like any task error; allowed calls go through', async () => {
    const invoked: string[] = [];
    const { described } = await run(
      {
        invoke: async (arn) => {
          invoked.push(arn);
          return { ok: true };
        },
        authorize: (call) =>
          call.resource.endsWith(':function:allowed')
            ? { allowed: true }
            : { allowed: false, message: denyText(call) },
      },
      {
        StartAt: 'Denied',
        States: {
          Denied: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:eu-west-1:000000000000:function:denied',
            Catch: [{ ErrorEquals: ['Lambda.AWSLambdaException'], ResultPath: '$.error', Next: 'Allowed' }],
            End: true,
          },
          Allowed: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:allowed' },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
    );
    expect(invoked).toEqual(['arn:aws:lambda:eu-west-1:000000000000:function:allowed']);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output as string)).toEqual({ ok: true });
  });

  it('DynamoDB items: the table ARN and the operation; denied as DynamoDB.AmazonDynamoDBException without a request', async () => {
    const asked: IntegrationCall[] = [];
    let sent = 0;
    const dynamodb = {
      send: async () => {
        sent++;
        return {};
      },
    } as unknown as EngineOptions['dynamodb'];
    const { described } = await run(
      {
        dynamodb,
        authorize: denyAll(asked),
      },
      {
        StartAt: 'Write',
        States: {
          Write: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:updateItem',
            Parameters: { TableName: 'cases', Key: { pk: { S: 'a' } } },
            End: true,
          },
        },
      },
    );
    expect(sent).toBe(0);
    expect(asked.map((c) => [c.action, c.resource])).toEqual([
      ['dynamodb:UpdateItem', 'arn:aws:dynamodb:eu-west-1:000000000000:table/cases'],
    ]);
    expect(described.error).toBe('DynamoDB.AmazonDynamoDBException');
    expect(described.cause).toContain(
      '(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: AccessDeniedException;',
    );
  });

  it('StartExecution of another machine: states:StartExecution on its ARN', async () => {
    const asked: IntegrationCall[] = [];
    const engine = new Engine({
      authorize: denyAll(asked),
    });
    engines.push(engine);
    const child = await engine.createStateMachine({
      name: 'child',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    const parent = await engine.createStateMachine({
      name: 'parent',
      roleArn: ROLE,
      definition: JSON.stringify({
        StartAt: 'Start',
        States: {
          Start: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution',
            Parameters: { StateMachineArn: child.stateMachineArn, Input: {} },
            End: true,
          },
        },
      }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn: parent.stateMachineArn });
    const described = await engine.waitForExecution(executionArn as string);
    expect(asked.map((c) => [c.action, c.resource])).toEqual([
      ['states:StartExecution', child.stateMachineArn],
    ]);
    expect(described.error).toBe('StepFunctions.AWSStepFunctionsException');
    expect(engine.listExecutions({ stateMachineArn: child.stateMachineArn }).executions).toEqual([]);
  });

  it('a Distributed Map ItemReader: s3:GetObject on the object; denied, the map fails with States.ItemReaderFailed unread', async () => {
    let reads = 0;
    const { described } = await run(
      {
        s3: {
          getObject: async () => {
            reads++;
            return Readable.from([Buffer.from('[1,2]')]);
          },
        },
        authorize: (call) =>
          call.action === 's3:GetObject' && call.resource === 'arn:aws:s3:::rounds/r1.json'
            ? { allowed: false, message: 'Access Denied' }
            : { allowed: true },
      },
      {
        StartAt: 'Map',
        States: {
          Map: {
            Type: 'Map',
            ItemReader: {
              Resource: 'arn:aws:states:::s3:getObject',
              ReaderConfig: { InputType: 'JSON' },
              Parameters: { Bucket: 'rounds', Key: 'r1.json' },
            },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'P',
              States: { P: { Type: 'Pass', End: true } },
            },
            End: true,
          },
        },
      },
    );
    expect(reads).toBe(0);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('States.ItemReaderFailed');
    expect(described.cause).toContain('Access Denied (Service: Amazon S3; Status Code: 403');
  });
});
