import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSessionStore } from '../../../functions/adapters/dynamo-sessions';
import { keys } from '../../../functions/adapters/table-keys';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';

// Console sessions on a real DynamoDB API (dynalite): one item per sign-in, TTL at its end, gone
// at once on sign-out.

let table: LocalTable;
let db: ReturnType<typeof localDocumentClient>;
let store: DynamoSessionStore;

beforeAll(async () => {
  table = await startDynalite();
  db = localDocumentClient(table.endpoint);
  store = new DynamoSessionStore(db, table.tableName);
});
afterAll(async () => {
  db.destroy();
  await table.stop();
});

describe('DynamoSessionStore', () => {
  it('keeps a session until it is deleted, with its end as the item TTL', async () => {
    const session = { sub: 'staff-1', org: 'gm0363', orgKind: 'municipality', exp: 1_900_000_000 };
    await store.put('hash-1', session);
    expect(await store.get('hash-1')).toEqual(session);
    const item = await db.send(new GetCommand({ TableName: table.tableName, Key: keys.session('hash-1') }));
    expect(item.Item).toEqual({ ...keys.session('hash-1'), ...session, ttl: 1_900_000_000 });
    await store.delete('hash-1');
    expect(await store.get('hash-1')).toBeUndefined();
    // Deleting again (a second sign-out) is no error.
    await expect(store.delete('hash-1')).resolves.toBeUndefined();
  });
});
