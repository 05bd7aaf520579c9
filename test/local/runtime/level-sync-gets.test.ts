import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../local/runtime/dynamo-store';
import { classicLevel } from '../../../local/runtime/level-sync-gets';
import { createThings, dynamoRequest } from './dynamo-request';

// dynalite's item reads go through classic-level's getSync on its own thread, not libuv's pool
// (level-sync-gets.ts); every other LevelDB database of the process keeps the asynchronous get.

interface LevelPrototype {
  get(key: string): Promise<unknown>;
  getSync(key: string): unknown;
}
interface Level extends LevelPrototype {
  open(): Promise<void>;
  put(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

const ClassicLevel = classicLevel() as unknown as { prototype: LevelPrototype; new (path: string): Level };

/** Counts classic-level's synchronous reads, whoever makes them. */
function countSyncReads() {
  const proto = ClassicLevel.prototype;
  const { getSync } = proto;
  const counter = { reads: 0, restore: () => Object.assign(proto, { getSync }) };
  proto.getSync = function (this: LevelPrototype, key: string) {
    counter.reads++;
    return getSync.call(this, key);
  };
  return counter;
}

describe("dynalite's LevelDB reads", () => {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-level-sync-gets-'));
  const counter = countSyncReads();
  let store: Store;
  const send = async (target: string, body: unknown) => {
    const reply = await store.serve(dynamoRequest(target, body));
    return { status: reply.status, body: JSON.parse(reply.body) };
  };

  beforeAll(async () => {
    store = await openStore(join(dir, 'dynamo'));
    await createThings(send);
  });

  afterAll(async () => {
    await store.close();
    counter.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are synchronous, and answer as before: an item, a missing item, a write condition', async () => {
    const before = counter.reads;
    const item = { pk: { S: 'p' }, note: { S: 'één' } };
    const put = { TableName: 'things', Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
    expect((await send('PutItem', put)).status).toBe(200);
    const again = await send('PutItem', put);
    expect(again.status).toBe(400);
    expect(again.body.__type).toMatch(/ConditionalCheckFailedException$/);

    expect((await send('GetItem', { TableName: 'things', Key: { pk: { S: 'p' } } })).body).toEqual({
      Item: item,
    });
    expect((await send('GetItem', { TableName: 'things', Key: { pk: { S: 'q' } } })).body).toEqual({});
    const updated = await send('UpdateItem', {
      TableName: 'things',
      Key: { pk: { S: 'p' } },
      UpdateExpression: 'SET n = :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
      ReturnValues: 'ALL_OLD',
    });
    expect(updated.body).toEqual({ Attributes: item });
    // Two puts, two gets and an update each read the item (and dynalite its table's description).
    expect(counter.reads - before).toBeGreaterThanOrEqual(5);
  });

  it('leave every other LevelDB database of the process asynchronous', async () => {
    const other = new ClassicLevel(join(dir, 'other'));
    await other.open();
    await other.put('k', 'v');
    const before = counter.reads;
    expect(await other.get('k')).toBe('v');
    expect(counter.reads).toBe(before);
    await other.close();
  });
});
