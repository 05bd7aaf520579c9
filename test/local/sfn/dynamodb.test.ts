/**
 * The DynamoDB service integration (getItem/putItem/updateItem/deleteItem) against dynalite:
 * Parameters are the SDK command input, output is the SDK response minus $metadata, and
 * errors surface as `DynamoDB.<ExceptionName>`.
 */

import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';

type DynaliteFactory = (options: { createTableMs?: number }) => Server;
const dynalite = createRequire(__filename)('dynalite') as DynaliteFactory;

let server: Server;
let client: DynamoDBClient;
let engine: Engine;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'sfn-items',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  engine = new Engine({ dynamodb: client });
});

afterAll(async () => {
  await engine?.close();
  client?.destroy();
  await new Promise((r) => server.close(r));
});

/** Runs a machine of one getItem Task on `table` and describes how it ended. */
async function getItemRun(on: Engine, name: string, table: string) {
  const definition = {
    StartAt: 'Get',
    States: {
      Get: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: { TableName: table, Key: { pk: { S: 'x' } } },
        End: true,
      },
    },
  };
  const { stateMachineArn } = await on.createStateMachine({ name, definition: JSON.stringify(definition) });
  const { executionArn } = await on.startExecution({ stateMachineArn });
  return on.waitForExecution(executionArn as string);
}

describe('DynamoDB integration', () => {
  it('puts, conditionally fails, reads, updates and deletes', async () => {
    const definition = {
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {
            TableName: 'sfn-items',
            Item: { pk: { 'S.$': '$.id' }, n: { N: '1' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
          ResultPath: '$.put',
          Next: 'PutAgain',
        },
        PutAgain: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {
            TableName: 'sfn-items',
            Item: { pk: { 'S.$': '$.id' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
          Catch: [
            {
              ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
              ResultPath: '$.conflict',
              Next: 'Update',
            },
          ],
          Next: 'Update',
        },
        Update: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Parameters: {
            TableName: 'sfn-items',
            Key: { pk: { 'S.$': '$.id' } },
            UpdateExpression: 'SET n = n + :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
            ReturnValues: 'ALL_NEW',
          },
          ResultPath: '$.update',
          Next: 'Get',
        },
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'sfn-items', Key: { pk: { 'S.$': '$.id' } } },
          ResultPath: '$.get',
          Next: 'Delete',
        },
        Delete: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:deleteItem',
          Parameters: { TableName: 'sfn-items', Key: { pk: { 'S.$': '$.id' } } },
          ResultPath: '$.delete',
          Next: 'GetMissing',
        },
        GetMissing: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'sfn-items', Key: { pk: { 'S.$': '$.id' } } },
          ResultPath: '$.missing',
          End: true,
        },
      },
    };
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'ddb',
      definition: JSON.stringify(definition),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{"id":"a1"}' });
    const d = await engine.waitForExecution(executionArn as string);
    expect(d.status).toBe('SUCCEEDED');
    const out = JSON.parse(d.output as string);
    expect(out.put).toEqual({});
    expect(out.conflict.Error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(out.conflict.Cause).toContain('Error Code: ConditionalCheckFailedException');
    expect(out.update).toEqual({ Attributes: { pk: { S: 'a1' }, n: { N: '2' } } });
    expect(out.get).toEqual({ Item: { pk: { S: 'a1' }, n: { N: '2' } } });
    expect(out.delete).toEqual({});
    expect(out.missing).toEqual({});
  });

  it('reports a missing table as DynamoDB.ResourceNotFoundException', async () => {
    const d = await getItemRun(engine, 'ddb2', 'no-such-table');
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('DynamoDB.ResourceNotFoundException');
  });

  it('reports a request that got no answer as DynamoDB.SdkClientException, as Step Functions does', async () => {
    // An endpoint that drops every connection as soon as a request arrives (a reset, no HTTP answer).
    const dropping = createServer((socket) => socket.on('data', () => socket.destroy()));
    await new Promise<void>((r) => dropping.listen(0, '127.0.0.1', () => r()));
    const unanswered = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(dropping.address() as AddressInfo).port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const dropped = new Engine({ dynamodb: unanswered });
    try {
      const d = await getItemRun(dropped, 'ddb3', 'sfn-items');
      expect(d.status).toBe('FAILED');
      expect(d.error).toBe('DynamoDB.SdkClientException');
      expect(d.cause).toMatch(/^Unable to execute HTTP request: /);
    } finally {
      await dropped.close();
      unanswered.destroy();
      await new Promise((r) => dropping.close(r));
    }
  });
});
