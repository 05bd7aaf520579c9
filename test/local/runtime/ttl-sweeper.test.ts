import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startDynamo, type TableSpec } from '../../../local/runtime/dynamo';

const spec = (name: string, ttlAttribute?: string): TableSpec => ({
  name,
  keyNames: ['pk'],
  ...(ttlAttribute ? { ttlAttribute } : {}),
  input: {
    TableName: name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  },
});
const CASES = spec('sweep-cases', 'ttl');
const PLAIN = spec('sweep-plain');
const NOW_MS = 2_000_000_000_000;
const PAST = String(NOW_MS / 1000 - 60);
const FUTURE = String(NOW_MS / 1000 + 60);

let dynamo: LocalDynamo;
beforeAll(async () => {
  // A step reads 10 items: the table below takes three steps and a bit.
  dynamo = await startDynamo(undefined, [CASES, PLAIN], undefined, undefined, true, 10);
});
afterAll(() => dynamo?.stop());

const put = (table: string, pk: string, ttl?: string) =>
  dynamo.client.send(
    new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, ...(ttl ? { ttl: { N: ttl } } : {}) } }),
  );
const exists = async (table: string, pk: string) =>
  (await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }))).Item !==
  undefined;
const keys = async (table: string) =>
  ((await dynamo.client.send(new ScanCommand({ TableName: table }))).Items ?? []).map((i) => i.pk?.S).sort();

describe('TTL sweeper', () => {
  it('deletes expired items a slice per background step, going on where it stopped and wrapping around', async () => {
    for (let i = 0; i < 35; i++) await put(CASES.name, `item-${i}`, i % 2 ? PAST : FUTURE);
    await put(CASES.name, 'no-ttl');
    await put(PLAIN.name, 'plain', PAST); // a table without TTL is never swept

    const deleted: number[] = [];
    for (let step = 0; step < 4; step++) deleted.push(await dynamo.sweepStep(NOW_MS));
    // Each step read at most 10 of the 36 items, so no step deleted more than 10 and the first
    // three together did not reach all 17 expired ones; the fourth finished the table.
    expect(deleted.every((n) => n <= 10)).toBe(true);
    expect(deleted.slice(0, 3).reduce((a, b) => a + b)).toBeLessThan(17);
    expect(deleted.reduce((a, b) => a + b)).toBe(17);
    expect(await keys(CASES.name)).toHaveLength(19);
    expect(await exists(CASES.name, 'item-0')).toBe(true);
    expect(await exists(CASES.name, 'item-1')).toBe(false);
    expect(await exists(CASES.name, 'no-ttl')).toBe(true);
    expect(await exists(PLAIN.name, 'plain')).toBe(true);

    // Past the end, the pass starts over: an item that expired since is found on the next round.
    await put(CASES.name, 'item-0', PAST);
    let found = 0;
    for (let step = 0; step < 3 && found === 0; step++) found += await dynamo.sweepStep(NOW_MS);
    expect(found).toBe(1);
    expect(await exists(CASES.name, 'item-0')).toBe(false);
  });

  it('sweeps every table whole when asked (a fast-forwarded clock)', async () => {
    for (let i = 0; i < 25; i++) await put(CASES.name, `whole-${i}`, PAST);
    expect(await dynamo.sweep(NOW_MS)).toBe(25);
    expect((await keys(CASES.name)).filter((k) => k?.startsWith('whole-'))).toEqual([]);
  });

  it('keeps an item whose TTL is not yet past on the clock it is given', async () => {
    await put(CASES.name, 'later', FUTURE);
    expect(await dynamo.sweep(NOW_MS)).toBe(0);
    expect(await dynamo.sweep(NOW_MS + 120_000)).toBeGreaterThanOrEqual(1);
    expect(await exists(CASES.name, 'later')).toBe(false);
  });
});
