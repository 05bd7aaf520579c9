import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { batchWrite } from '../../../functions/adapters/dynamo-batch';
import { DynamoRoundRepository } from '../../../functions/rounds/dynamo-rounds';

// The exact conditional writes of the round repository, and BatchWriteItem's retry of unprocessed items.

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const repo = () =>
  new DynamoRoundRepository(client, 'cases', { now: () => new Date('2025-04-01T12:00:00.000Z') });
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const put = (n: number) => ({ PutRequest: { Item: { pk: `ROUND#r`, sk: `ERROR#${n}` } } });

afterEach(() => {
  ddb.reset();
});

describe('conditional writes', () => {
  it('creates a round only where none exists', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    const record = { roundId: 'r1', org: 'o', serviceId: 's', createdAt: '2025-01-01T00:00:00.000Z' };
    expect(await repo().createRound(record as never)).toBe('exists');
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'cases',
      Item: { pk: 'ROUND#r1', sk: 'ROUND', gsi2pk: 'ROUNDS#o#s', gsi2sk: '2025-01-01T00:00:00.000Z#r1' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('begins an attempt only from the given statuses and the given attempt', async () => {
    ddb.on(UpdateCommand).resolves({});
    expect(await repo().beginAttempt('r1', 3, ['STARTED', 'FAILED'], '2025-04-01T12:00:00.000Z')).toBe(true);
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.Key).toEqual({ pk: 'ROUND#r1', sk: 'ROUND' });
    expect(input?.ConditionExpression).toBe('#status IN (:from0, :from1) AND #attempt = :attempt');
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':from0': 'STARTED',
      ':from1': 'FAILED',
      ':attempt': 3,
      ':next': 4,
      ':validating': 'VALIDATING',
    });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await repo().beginAttempt('r1', 3, ['STARTED'], '2025-04-01T12:00:00.000Z')).toBe(false);
  });

  it('adds to counters with ADD, on an existing round only', async () => {
    ddb.on(UpdateCommand).resolves({});
    await repo().addToCounters('r1', { started: 8, failed: 1 });
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'cases',
      Key: { pk: 'ROUND#r1', sk: 'ROUND' },
      UpdateExpression: 'ADD #c0 :c0, #c1 :c1',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#c0': 'started', '#c1': 'failed' },
      ExpressionAttributeValues: { ':c0': 8, ':c1': 1 },
    });
  });

  it('reads the round ttl once for its reports and writes them in batches of 25', async () => {
    ddb.on(GetCommand).resolves({ Item: { ttl: 99 } });
    ddb.on(BatchWriteCommand).resolves({});
    const r = repo();
    const errors = Array.from({ length: 60 }, (_, i) => ({ line: i + 2, column: 'phone', reason: 'x' }));
    await r.putRowErrors('r1', errors);
    await r.putRowErrors('r1', errors.slice(0, 1));
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
    const sizes = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.cases?.length);
    expect(sizes).toEqual([25, 25, 10, 1]);
    expect(ddb.commandCalls(BatchWriteCommand)[3]?.args[0].input.RequestItems?.cases?.[0]).toEqual({
      PutRequest: {
        Item: {
          pk: 'ROUND#r1',
          sk: 'ERROR#000000002',
          line: 2,
          issues: [{ column: 'phone', reason: 'x' }],
          ttl: 99,
        },
      },
    });
  });
});

describe('batchWrite', () => {
  it('retries the items DynamoDB left unprocessed until none are left', async () => {
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { cases: [put(1), put(2)] } })
      .resolvesOnce({ UnprocessedItems: { cases: [put(2)] } })
      .resolves({ UnprocessedItems: {} });
    await batchWrite(client, 'cases', [put(0), put(1), put(2)], 1);
    const calls = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.cases);
    expect(calls).toEqual([[put(0), put(1), put(2)], [put(1), put(2)], [put(2)]]);
  });

  it('fails loudly when items stay unprocessed, instead of losing them', async () => {
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { cases: [put(1)] } });
    await expect(batchWrite(client, 'cases', [put(1)], 1)).rejects.toThrow('1 writes unprocessed');
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 8);
  });

  it('sends nothing for no items', async () => {
    await batchWrite(client, 'cases', []);
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 0);
  });
});
