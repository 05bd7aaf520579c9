import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/handlers/service-report';
import { errorCode, invoke, staffClaims } from '../../support/http-event';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

// GET /services/{serviceId}/report: the handler's own checks and its one query, against a mocked
// DynamoDB (the aggregates themselves are tested on dynalite: test/functions/adapters/dynamo-report.test.ts).

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const get = (
  query: Record<string, string> = {},
  claims = staffClaims(),
  headers: Record<string, string> = {},
) =>
  invoke(handler, {
    path: '/services/waste-collection/report',
    pathParameters: { serviceId: 'waste-collection' },
    query,
    headers,
    claims,
  });

const row = (day: string, stageId: string, side: string, counts: Record<string, number>) => ({
  pk: 'REPORT#gm0363#waste-collection',
  sk: `DAY#${day}#${stageId}#${side}`,
  ...counts,
});

describe('GET /services/{serviceId}/report', () => {
  it("reads the organisation's aggregates of the range in one query and adds them up", async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        row('2026-03-01', 'prepare', 'citizen', {
          visits: 2,
          waited: 7200,
          shared: 100,
          h0: 1,
          h8: 1,
          reminders: 1,
        }),
        row('2026-03-01', 'prepare', 'provider', { visits: 2, waited: 0, shared: 100, h0: 2, overdue: 1 }),
      ],
    });
    const res = await get({ from: '2026-03-01', to: '2026-03-31' });
    expect(res.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': 'REPORT#gm0363#waste-collection',
        ':from': 'DAY#2026-03-01',
        ':to': 'DAY#2026-03-31~',
      },
    });
    expect(res.json).toMatchObject({
      serviceId: 'waste-collection',
      org: 'gm0363',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    const prepare = ((res.json?.stages ?? []) as { stageId: string }[]).find((s) => s.stageId === 'prepare');
    expect(prepare).toMatchObject({
      citizen: { visits: 2, meanSeconds: 3600, medianSeconds: 0, reminders: 1, overdue: 0 },
      provider: { visits: 2, medianSeconds: 0, p90Seconds: 0, overdue: 1 },
    });
  });

  it('gives CSV for format=csv and for Accept: text/csv, as a download', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    for (const res of [
      await get({ from: '2026-03-01', to: '2026-03-02', format: 'csv' }),
      await get({ from: '2026-03-01', to: '2026-03-02' }, staffClaims(), { accept: 'text/csv' }),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="report-waste-collection-2026-03-01-2026-03-02.csv"',
      );
      expect(res.body.split('\r\n')[0]).toMatch(/^stage,title,side,visits,median_seconds,p90_seconds/);
    }
  });

  it('is 403 for a service of another kind of organisation, touching nothing', async () => {
    const res = await get({}, staffClaims({ 'custom:org': 'school-1', 'custom:orgKind': 'school' }));
    expect([res.statusCode, errorCode(res)]).toEqual([403, 'NOT_YOUR_SERVICE']);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it.each([
    [{ from: '2026-03-05', to: '2026-03-01' }, 'from'],
    [{ from: '2026-02-31', to: '2026-03-01' }, 'from'],
    [{ from: '2020-01-01', to: '2026-03-01' }, 'from'],
    [{ from: 'yesterday' }, 'query.from'],
    [{ format: 'xlsx' }, 'query.format'],
  ])('is 400 for %j, naming %s, touching nothing', async (query, field) => {
    const res = await get(query);
    expect([res.statusCode, errorCode(res)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(
      Object.keys((res.json?.error as { details: { fields: object } } | undefined)?.details.fields ?? {}),
    ).toContain(field);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('is 404 for a service that does not exist', async () => {
    const res = await invoke(handler, {
      path: '/services/nothing-here/report',
      pathParameters: { serviceId: 'nothing-here' },
      claims: staffClaims(),
    });
    expect([res.statusCode, errorCode(res)]).toEqual([404, 'NOT_FOUND']);
  });
});
