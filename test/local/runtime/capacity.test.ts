import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startDynamo, type TableSpec } from '../../../local/runtime/dynamo';
import { itemSize, sameItem, sameValue, writeUnitsOf } from '../../../local/runtime/item-size';

const TABLE = 'capacity-test';
const table: TableSpec = {
  name: TABLE,
  keyNames: ['pk'],
  ttlAttribute: 'ttl',
  input: {
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
      { AttributeName: 'h', AttributeType: 'S' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byH',
        KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  },
};

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo(undefined, [table]);
});
afterAll(() => dynamo?.stop());

/** The units one call consumed, and what the caller received. */
async function units<T>(call: () => Promise<T>) {
  const before = dynamo.consumed();
  let result: T | Error;
  try {
    result = await call();
  } catch (e) {
    result = e as Error;
  }
  const after = dynamo.consumed();
  return { read: after.readUnits - before.readUnits, write: after.writeUnits - before.writeUnits, result };
}

const send = (command: never) => () => dynamo.client.send(command);
const pad = (bytes: number) => ({ S: 'x'.repeat(bytes) });

describe('write units', () => {
  it('charge the table and each index entry written, as on-demand DynamoDB bills them', async () => {
    const put = (item: Record<string, unknown>, extra = {}) =>
      units(send(new PutItemCommand({ TableName: TABLE, Item: item, ...extra } as never) as never));
    // New item in the table and in byG: 1 + 1.
    expect(await put({ pk: { S: 'a' }, g: { S: 'g1' } })).toMatchObject({ write: 2 });
    // The same item again: the table write, no index change.
    expect(await put({ pk: { S: 'a' }, g: { S: 'g1' } })).toMatchObject({ write: 1 });
    // The same item written with its attributes in another order: still no index change.
    expect(await put({ g: { S: 'g1' }, pk: { S: 'a' } })).toMatchObject({ write: 1 });
    // A 2.5 KB item without index keys: 3 units, in 1 KB steps.
    expect(await put({ pk: { S: 'big' }, pad: pad(2500) })).toMatchObject({ write: 3 });
    const update = (expression: string, values: Record<string, unknown>) =>
      units(
        send(
          new UpdateItemCommand({
            TableName: TABLE,
            Key: { pk: { S: 'a' } },
            UpdateExpression: expression,
            ExpressionAttributeValues: values,
          } as never) as never,
        ),
      );
    // A changed index key: delete and put in byG, 2 + the table's 1.
    expect(await update('SET g = :g', { ':g': { S: 'g2' } })).toMatchObject({ write: 3 });
    // Into byH (KEYS_ONLY) as well: + 1.
    expect(await update('SET h = :h', { ':h': { S: 'h1' } })).toMatchObject({ write: 3 });
    // A non-key attribute: projected in byG (ALL), not in byH (KEYS_ONLY).
    expect(await update('SET n = :n', { ':n': { N: '1' } })).toMatchObject({ write: 2 });
    // Deleting it removes its entries in both indexes.
    expect(
      await units(send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' } } }) as never)),
    ).toMatchObject({
      write: 3,
    });
    // Deleting nothing still costs a unit.
    expect(
      await units(send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: 'nobody' } } }) as never)),
    ).toMatchObject({
      write: 1,
    });
  });

  it('charge a failed condition check the size of the existing item, and the caller still sees the failure', async () => {
    const failed = await units(
      send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'big' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }) as never,
      ),
    );
    expect(failed).toMatchObject({ write: 3, read: 0 });
    expect((failed.result as Error).name).toBe('ConditionalCheckFailedException');
  });

  it('charge each item of a BatchWriteItem', async () => {
    const batch = await units(
      send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: [
              { PutRequest: { Item: { pk: { S: 'b1' } } } },
              { PutRequest: { Item: { pk: { S: 'b2' }, g: { S: 'g' } } } },
            ],
          },
        }) as never,
      ),
    );
    expect(batch.write).toBe(3);
  });
});

describe('read units', () => {
  beforeAll(async () => {
    for (const pk of ['q1', 'q2', 'q3'])
      await dynamo.client.send(
        new PutItemCommand({ TableName: TABLE, Item: { pk: { S: pk }, g: { S: 'many' }, pad: pad(2000) } }),
      );
    await dynamo.client.send(
      new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'five' }, pad: pad(5000) } }),
    );
  });

  it('charge GetItem per 4 KB, half when eventually consistent, also for a missing item', async () => {
    const get = (pk: string, ConsistentRead?: boolean) =>
      units(send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead }) as never));
    expect(await get('nobody')).toMatchObject({ read: 0.5 });
    expect(await get('nobody', true)).toMatchObject({ read: 1 });
    expect(await get('five', true)).toMatchObject({ read: 2 });
    const eventual = await get('five');
    expect(eventual).toMatchObject({ read: 1, write: 0 });
    // What the caller receives is unchanged: no ConsumedCapacity it did not ask for.
    expect((eventual.result as { ConsumedCapacity?: unknown }).ConsumedCapacity).toBeUndefined();
  });

  it('charge a Query the items it read, summed, and at least half a unit', async () => {
    const query = (g: string, ReturnConsumedCapacity?: 'TOTAL') =>
      units(
        send(
          new QueryCommand({
            TableName: TABLE,
            IndexName: 'byG',
            KeyConditionExpression: 'g = :g',
            ExpressionAttributeValues: { ':g': { S: g } },
            ReturnConsumedCapacity,
          }) as never,
        ),
      );
    expect(await query('none')).toMatchObject({ read: 0.5 });
    const many = await query('many');
    expect(many.read).toBe(1); // 3 x ~2 KB = 6 KB -> 8 KB -> 2 units, halved
    expect((many.result as { Count: number; ConsumedCapacity?: unknown }).Count).toBe(3);
    expect((many.result as { ConsumedCapacity?: unknown }).ConsumedCapacity).toBeUndefined();
    const asked = await query('many', 'TOTAL');
    expect((asked.result as { ConsumedCapacity?: { TableName: string } }).ConsumedCapacity?.TableName).toBe(
      TABLE,
    );
  });

  it('charge each key of a BatchGetItem', async () => {
    const batch = await units(
      send(
        new BatchGetItemCommand({
          RequestItems: { [TABLE]: { Keys: [{ pk: { S: 'q1' } }, { pk: { S: 'five' } }] } },
        }) as never,
      ),
    );
    expect(batch.read).toBe(1.5);
  });

  it('does not charge the TTL sweeper: TTL deletes are free', async () => {
    await dynamo.client.send(
      new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'old' }, ttl: { N: '1' } } }),
    );
    const swept = await units(() => dynamo.sweep(Date.now()));
    expect(swept).toMatchObject({ read: 0, write: 0, result: 1 });
  });
});

describe('item size', () => {
  it('counts names and values as DynamoDB does (UTF-8 bytes, digits, list and map overhead)', () => {
    expect(itemSize({ name: { S: 'é' } })).toBe(4 + 2);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 3 + 1);
    expect(itemSize({ n: { N: '-0.00100' } })).toBe(1 + 1 + 1);
    expect(itemSize({ b: { BOOL: true }, z: { NULL: true } })).toBe(2 + 2);
    expect(itemSize({ l: { L: [{ S: 'ab' }, { N: '1' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + (1 + 1 + 1));
  });
});

describe('same value', () => {
  it('compares values as DynamoDB does: by type and content, a set or a map in any order', () => {
    expect(sameValue({ S: '1' }, { S: '1' })).toBe(true);
    expect(sameValue({ S: '1' }, { N: '1' })).toBe(false);
    expect(sameValue({ S: '1' }, undefined)).toBe(false);
    expect(sameValue({ SS: ['a', 'b'] }, { SS: ['b', 'a'] })).toBe(true);
    expect(sameValue({ SS: ['a', 'b'] }, { SS: ['a', 'c'] })).toBe(false);
    expect(sameValue({ NS: ['1'] }, { NS: ['1', '2'] })).toBe(false);
    expect(sameValue({ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] })).toBe(false);
    expect(
      sameValue({ M: { a: { N: '1' }, b: { BOOL: true } } }, { M: { b: { BOOL: true }, a: { N: '1' } } }),
    ).toBe(true);
    expect(sameValue({ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { NULL: true } } })).toBe(false);
    expect(sameItem({ a: { S: 'x' }, b: { S: 'y' } }, { b: { S: 'y' }, a: { S: 'x' } })).toBe(true);
    expect(sameItem({ a: { S: 'x' } }, { a: { S: 'x' }, b: { S: 'y' } })).toBe(false);
    expect(sameItem({ a: { S: 'x' }, b: { S: 'y' } }, { a: { S: 'x' } })).toBe(false);
  });

  it('charges an INCLUDE entry only when a projected attribute changes', () => {
    const included = {
      KeySchema: [{ AttributeName: 'pk' }],
      GlobalSecondaryIndexes: [
        {
          KeySchema: [{ AttributeName: 'g' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['s'] },
        },
      ],
    };
    const item = { pk: { S: 'a' }, g: { S: 'g1' }, s: { S: 'ACTIVE' }, other: { S: 'x' } };
    // The table's unit only: `other` is not in the index.
    expect(writeUnitsOf(included, item, { ...item, other: { S: 'y' } })).toBe(1);
    // The table's and the entry's.
    expect(writeUnitsOf(included, item, { ...item, s: { S: 'DONE' } })).toBe(2);
    // A new key: the old entry deleted, the new one put.
    expect(writeUnitsOf(included, item, { ...item, g: { S: 'g2' } })).toBe(3);
    // Put new, deleted: the table's and the entry's.
    expect(writeUnitsOf(included, undefined, item)).toBe(2);
    expect(writeUnitsOf(included, item, null)).toBe(2);
  });
});
