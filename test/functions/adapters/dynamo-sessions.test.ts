import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoSessionStore } from '../../../functions/adapters/dynamo-sessions';
import { keys } from '../../../functions/adapters/table-keys';
import { useLocalTable } from '../../support/dynalite';

// Console sessions on a real DynamoDB API (dynalite): one item per sign-in, TTL at its end, gone
// at once on sign-out.

let store: DynamoSessionStore;
const local = useLocalTable((db, tableName) => {
  store = new DynamoSessionStore(db, tableName);
});

describe('DynamoSessionStore', () => {
  it('keeps a session until it is deleted, with its end as the item TTL', async () => {
    const session = { sub: 'staff-1', org: 'gm0363', orgKind: 'municipality', exp: 1_900_000_000 };
    await store.put('hash-1', session);
    expect(await store.get('hash-1')).toEqual(session);
    const item = await local.db.send(
      new GetCommand({ TableName: local.table.tableName, Key: keys.session('hash-1') }),
    );
    expect(item.Item).toEqual({ ...keys.session('hash-1'), ...session, ttl: 1_900_000_000 });
    await store.delete('hash-1');
    expect(await store.get('hash-1')).toBeUndefined();
    // Deleting again (a second sign-out) is no error.
    await expect(store.delete('hash-1')).resolves.toBeUndefined();
  });
});
