import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { handler } from '../../../functions/handlers/case-processing';
import { errorCode, invoke, staffClaims } from '../../support/http-event';
import { mockSecrets } from '../../support/secrets';
import { caseItem } from './items';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

// GET /cases/{caseId}/processing: the exact table calls of a page of the log (what the pages hold on a
// real table: test/functions/adapters/dynamo-processing-page.test.ts), its cursor, and its refusals.

const ddb = mockClient(DynamoDBDocumentClient);
mockSecrets();

/** Log record number i, i minutes after 9:00 on 2 March, newest first as the Query returns them. */
const logItem = (i: number) => {
  const at = new Date(Date.UTC(2026, 2, 2, 9, i)).toISOString();
  const spanId = i.toString(16).padStart(16, '0');
  return {
    ...keys.processing('case1', at, spanId),
    caseId: 'case1',
    at,
    action: 'read',
    categories: ['contact'],
    org: 'gm0363',
    by: `staff-${i}`,
    serviceId: 'waste-collection',
    activity: 'afvalinzameling',
    traceId: `trace-${i}`,
    spanId,
    parentSpanId: 'b7ad6b7169203331',
    ttl: 1_900_000_000,
  };
};
const newestFirst = (from: number, to: number) =>
  Array.from({ length: from - to }, (_, k) => logItem(from - 1 - k));

const page = (query: Record<string, string> = {}, claims = staffClaims()) =>
  invoke(handler, {
    path: '/cases/case1/processing',
    pathParameters: { caseId: 'case1' },
    query,
    claims,
  });

beforeEach(() => {
  ddb.on(GetCommand).resolves({ Item: caseItem() });
});
afterEach(() => ddb.reset());

describe('GET /cases/{caseId}/processing', () => {
  it('reads a page down the LOG# keys and hands on a cursor to the older ones', async () => {
    ddb.on(QueryCommand).resolves({ Items: newestFirst(130, 29), LastEvaluatedKey: { pk: 'CASE#case1' } });
    const first = await page();
    expect(first.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: keys.case('case1') });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'CASE#case1', ':from': 'LOG#', ':to': 'LOG$' },
      ScanIndexForward: false,
      Limit: 101,
      ConsistentRead: true,
    });
    const items = first.json?.items as Record<string, unknown>[];
    expect(items.map((item) => item.by)).toEqual(newestFirst(130, 30).map((item) => item.by));
    expect(items[0]).toEqual({
      at: '2026-03-02T11:09:00.000Z',
      organisation: 'Gm0363',
      purpose: expect.objectContaining({ nl: expect.any(String), en: expect.any(String) }),
      categories: ['contact'],
      action: 'read',
      by: 'staff-129',
      traceId: 'trace-129',
    });
    const cursor = first.json?.cursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);

    ddb.resetHistory();
    ddb.on(QueryCommand).resolves({ Items: newestFirst(30, 0) });
    const second = await page({ cursor });
    expect(second.statusCode).toBe(200);
    // The next page starts just below the last line shown (staff-30's key).
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExclusiveStartKey: { pk: 'CASE#case1', sk: logItem(30).sk },
    });
    expect(second.json?.items).toHaveLength(30);
    expect(second.json).not.toHaveProperty('cursor');
    // Reading the log is not a read of the case's personal data: nothing is written.
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers 404 for another organisation’s case and for a missing one, reading no log', async () => {
    const other = await page({}, staffClaims({ 'custom:org': 'gm0599' }));
    ddb.on(GetCommand).resolves({});
    const missing = await page();
    expect([other.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 400 for a cursor it did not give for this case, reading nothing', async () => {
    const crafted = await page({
      cursor: `${Buffer.from('{"sk":"LOG#"}').toString('base64url')}.${'A'.repeat(22)}`,
    });
    const broken = await page({ cursor: 'not a cursor' });
    expect([crafted.statusCode, broken.statusCode]).toEqual([400, 400]);
    expect([errorCode(crafted), errorCode(broken)]).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED']);
    expect(ddb.calls()).toHaveLength(0);
  });
});
