import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../local/runtime/dynamo-store';
import { dynamoRequest } from './dynamo-request';

// Every Query and Scan dynalite serves reads through a LevelDB iterator; each must be closed once
// its answer is out, or it pins the database's old table files in memory (level-iterators.ts). The
// iterators still open are counted where the database keeps them: its attached resources.

interface Resources {
  attachResource(resource: object): void;
  detachResource(resource: object): void;
}

const open = new Set<object>();
const iteratorsOpen = () => [...open].filter((r) => 'next' in r).length;

function countResources() {
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const level = createRequire(fromDynalite.resolve('classic-level'))('abstract-level');
  const proto = level.AbstractLevel.prototype as Resources;
  const { attachResource, detachResource } = proto;
  proto.attachResource = function (this: Resources, resource) {
    open.add(resource);
    attachResource.call(this, resource);
  };
  proto.detachResource = function (this: Resources, resource) {
    open.delete(resource);
    detachResource.call(this, resource);
  };
  return () => Object.assign(proto, { attachResource, detachResource });
}

describe("dynalite's LevelDB iterators", () => {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-level-iterators-'));
  let store: Store;
  let restore: () => void;
  const send = async (target: string, body: unknown) => {
    const reply = await store.serve(dynamoRequest(target, body));
    expect(reply.status, reply.body).toBe(200);
    return JSON.parse(reply.body);
  };

  beforeAll(async () => {
    restore = countResources();
    store = await openStore(dir);
    await send('CreateTable', {
      TableName: 'things',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'kind', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byKind',
          KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    // dynalite activates a new table on a timer.
    for (let i = 0; i < 100; i++) {
      if ((await send('DescribeTable', { TableName: 'things' })).Table.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const sk of ['a', 'b', 'c'])
      await send('PutItem', {
        TableName: 'things',
        Item: { pk: { S: 'p' }, sk: { S: sk }, kind: { S: 'k' } },
      });
  });

  afterAll(async () => {
    await store.close();
    restore();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a Query read to its end', 'Query', { KeyConditionExpression: 'pk = :p' }, 3],
    ['a Query its Limit stops early', 'Query', { KeyConditionExpression: 'pk = :p', Limit: 1 }, 1],
    ['a Query of an index', 'Query', { IndexName: 'byKind', KeyConditionExpression: 'kind = :k' }, 3],
    ['a Scan', 'Scan', {}, 3],
    ['a Scan its Limit stops early', 'Scan', { Limit: 2 }, 2],
  ])('are closed after %s', async (_, target, input, count) => {
    const values = target === 'Query' ? { ':p': { S: 'p' }, ':k': { S: 'k' } } : undefined;
    const used = Object.keys(input).some((k) => k.endsWith('Expression'));
    for (let i = 0; i < 20; i++) {
      const answer = await send(target, {
        TableName: 'things',
        ...input,
        ...(used && values ? { ExpressionAttributeValues: pick(values, input) } : {}),
      });
      expect(answer.Count).toBe(count);
    }
    // Closing is asynchronous (the stream's destroy): give it a turn.
    await new Promise((r) => setTimeout(r, 20));
    expect(iteratorsOpen()).toBe(0);
  });
});

/** The expression values an input's expressions name. */
function pick(values: Record<string, unknown>, input: Record<string, unknown>) {
  const text = Object.values(input).join(' ');
  return Object.fromEntries(Object.entries(values).filter(([name]) => text.includes(name)));
}
