import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { dynamoThreadSetting, startDynamoStore } from '../../../local/runtime/dynamo-thread';
import { dynamoRequest } from './dynamo-request';

// dynalite in a thread of its own: requests go in as messages and come back with dynalite's own
// answer and the meter's totals; its LevelDB is closed when it stops, so a new thread reopens the data.

describe('the DynamoDB thread', () => {
  it('is on unless LOCAL_DYNAMO_THREAD=off', () => {
    expect(dynamoThreadSetting(undefined)).toBe(true);
    expect(dynamoThreadSetting('off')).toBe(false);
    expect(() => dynamoThreadSetting('no')).toThrow(/on or off/);
  });

  it.each([
    ['in a thread of its own', true],
    ['on the main thread', false],
  ])('serves dynalite %s, meters it, and keeps its data across a restart', async (_, threaded) => {
    expect(isMainThread).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'coproduce-dynamo-thread-'));
    try {
      let thread = await startDynamoStore(dir, threaded);
      const created = await thread.send(
        dynamoRequest('CreateTable', {
          TableName: 'things',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      expect(created.body).toContain('TableDescription');
      expect(created.status).toBe(200);
      // dynalite activates a new table on a timer.
      for (let i = 0; i < 100; i++) {
        const d = await thread.send(dynamoRequest('DescribeTable', { TableName: 'things' }));
        if (JSON.parse(d.body).Table?.TableStatus === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const put = await thread.send(
        dynamoRequest('PutItem', { TableName: 'things', Item: { pk: { S: 'a' } } }),
      );
      expect(put.status).toBe(200);
      expect(put.headers['x-amz-crc32']).toBeDefined();
      expect(thread.consumed().writeUnits).toBe(1);
      // The thread's own heap and CPU, for the benches; none of its own on the main thread.
      const stats = await thread.stats();
      if (threaded) {
        expect(stats?.used).toBeGreaterThan(0);
        // Its own CPU (ticks of 10 ms): starting dynalite and serving the requests took some.
        expect(stats?.cpuMs).toBeGreaterThan(0);
      } else expect(stats).toBeUndefined();
      await thread.stop();
      if (threaded) await expect(thread.send(dynamoRequest('ListTables', {}))).rejects.toThrow(/exited/);

      thread = await startDynamoStore(dir, threaded);
      const got = await thread.send(
        dynamoRequest('GetItem', { TableName: 'things', Key: { pk: { S: 'a' } } }),
      );
      expect(JSON.parse(got.body)).toEqual({ Item: { pk: { S: 'a' } } });
      await thread.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
