import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reuseResolvedMiddleware } from '../../../functions/shared/reused-middleware';
import { localDocumentClient, useLocalTable } from '../../support/dynalite';

// A kept middleware chain must send each call's own command: calls of one kind at once, each with its
// own input and its own output or error, on a real DynamoDB API (dynalite).

const local = useLocalTable();
let db: DynamoDBDocumentClient;
beforeAll(() => {
  db = reuseResolvedMiddleware(localDocumentClient(local.table.endpoint));
});
afterAll(() => db.destroy());

const key = (n: number) => ({ pk: `CASE#reuse-${n}`, sk: 'CASE' });
const range = Array.from({ length: 24 }, (_, n) => n);

describe('reuseResolvedMiddleware', () => {
  it('sends every command with its own input, many of one kind at once, and gives each its own output', async () => {
    const TableName = local.table.tableName;
    await Promise.all(
      range.map((n) => db.send(new PutCommand({ TableName, Item: { ...key(n), n, tags: [`t${n}`] } }))),
    );
    const read = await Promise.all(range.map((n) => db.send(new GetCommand({ TableName, Key: key(n) }))));
    expect(read.map((out) => out.Item)).toEqual(range.map((n) => ({ ...key(n), n, tags: [`t${n}`] })));

    const updated = await Promise.all(
      range.map((n) =>
        db.send(
          new UpdateCommand({
            TableName,
            Key: key(n),
            UpdateExpression: 'SET n = n + :one',
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      ),
    );
    expect(updated.map((out) => out.Attributes?.n)).toEqual(range.map((n) => n + 1));

    const queried = await Promise.all(
      [3, 17].map((n) =>
        db.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': key(n).pk },
          }),
        ),
      ),
    );
    expect(queried.map((out) => out.Items?.map((item) => item.n))).toEqual([[4], [18]]);
  });

  it('gives each call its own error: a refused condition fails that call only', async () => {
    const TableName = local.table.tableName;
    const outcomes = await Promise.allSettled(
      [0, 1000, 1, 1001].map((n) =>
        db.send(new PutCommand({ TableName, Item: key(n), ConditionExpression: 'attribute_not_exists(pk)' })),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('resolves the middleware once per kind of command, where the DocumentClient resolves it per call', async () => {
    const TableName = local.table.tableName;
    const resolved = vi.spyOn(PutItemCommand.prototype, 'resolveMiddleware');
    const plain = localDocumentClient(local.table.endpoint);
    const kept = reuseResolvedMiddleware(localDocumentClient(local.table.endpoint));
    try {
      for (const n of [1, 2, 3]) await plain.send(new PutCommand({ TableName, Item: key(2000 + n) }));
      expect(resolved).toHaveBeenCalledTimes(3);
      resolved.mockClear();
      for (const n of [1, 2, 3]) await kept.send(new PutCommand({ TableName, Item: key(3000 + n) }));
      expect(resolved).toHaveBeenCalledTimes(1);
      // A call with options of its own (here an abort signal) resolves its own chain.
      await kept.send(new PutCommand({ TableName, Item: key(3004) }), {
        abortSignal: new AbortController().signal,
      });
      expect(resolved).toHaveBeenCalledTimes(2);
    } finally {
      resolved.mockRestore();
      plain.destroy();
      kept.destroy();
    }
  });

  it("still sends through the DocumentClient's send, so a test's mock of it sees every command", async () => {
    const mock = mockClient(DynamoDBDocumentClient);
    try {
      mock.on(GetCommand, { Key: key(1) }).resolves({ Item: { ...key(1), mocked: true } });
      const kept = reuseResolvedMiddleware(localDocumentClient(local.table.endpoint));
      const out = await kept.send(new GetCommand({ TableName: 'any', Key: key(1) }));
      expect(out.Item).toEqual({ ...key(1), mocked: true });
      expect(mock.commandCalls(GetCommand)).toHaveLength(1);
    } finally {
      mock.restore();
    }
  });
});
