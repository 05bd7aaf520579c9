import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { startDynamo, type TableSpec } from '../../../local/runtime/dynamo';
import { layoutMarker } from '../../../local/runtime/layout-upgrade';
import { OLD_STEP_PREFIX } from '../../../scripts/migrations/step-keys';

// `npm start` on a data folder from before the step items' keys moved: the start moves them, once.

const NAME = 'layout-test';
const table: TableSpec = {
  name: NAME,
  keyNames: ['pk', 'sk'],
  input: {
    TableName: NAME,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  },
};
const dir = mkdtempSync(join(tmpdir(), 'coproduce-layout-'));
const path = join(dir, 'dynamodb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pk = keys.case('c1').pk;
const oldKey = { pk: { S: pk }, sk: { S: `${OLD_STEP_PREFIX}present` } };
const newKey = { pk: { S: pk }, sk: { S: keys.step('c1', 'present').sk } };

describe('a data folder from before the move', () => {
  it('has its step items moved by the first start that finds it, and is marked so that later starts do not scan', async () => {
    const first = await startDynamo(path, [table], undefined, undefined, false);
    expect(first.upgraded).toBeUndefined(); // a new table: nothing to move
    expect(existsSync(layoutMarker(path))).toBe(true);
    await first.client.send(
      new PutItemCommand({ TableName: NAME, Item: { ...oldKey, status: { S: 'OPEN' } } }),
    );
    await first.stop();
    rmSync(layoutMarker(path)); // as a folder written by the code from before has none

    const second = await startDynamo(path, [table], undefined, undefined, false);
    expect(second.upgraded).toEqual({ moved: 1, conflicts: [] });
    const read = (Key: typeof oldKey) => second.client.send(new GetItemCommand({ TableName: NAME, Key }));
    expect((await read(newKey)).Item).toEqual({ ...newKey, status: { S: 'OPEN' } });
    expect((await read(oldKey)).Item).toBeUndefined();
    // An old key written now is not moved by the next start: the folder is marked as moved.
    await second.client.send(
      new PutItemCommand({ TableName: NAME, Item: { ...oldKey, status: { S: 'DONE' } } }),
    );
    await second.stop();

    const third = await startDynamo(path, [table], undefined, undefined, false);
    expect(third.upgraded).toBeUndefined();
    expect(
      (await third.client.send(new GetItemCommand({ TableName: NAME, Key: oldKey }))).Item,
    ).toBeDefined();
    await third.stop();
  });
});
