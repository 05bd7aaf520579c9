import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { PiiVault } from '../../../functions/domain/pii';
import { newRoundId } from '../../../functions/rounds/rounds';
import { errorCode, invoke, staffClaims } from '../../support/http-event';
import { roundRecord } from '../../support/round-fakes';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';

const env = vi.hoisted(() => {
  const values = {
    ROUND_BUCKET: 'coproduce-test-rounds',
    ROUND_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:000000000000:stateMachine:coproduce-test-round',
  };
  Object.assign(process.env, values);
  return values;
});

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/round-fakes')).roundCatalogMock,
);

const { handler: createRound } = await import('../../../functions/handlers/create-round');
const { handler: startRound } = await import('../../../functions/handlers/start-round');
const { handler: getRound } = await import('../../../functions/handlers/get-round');

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const roundId = newRoundId(vault, 'gm0363', 'waste-collection', 'Week 10');
const conditionFailed = () => Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });
const roundItem = (over = {}) => ({ ...keys.round(roundId), ...roundRecord({ roundId, ...over }) });

afterEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
});

describe('POST /rounds', () => {
  const post = (body: unknown, claims = staffClaims()) =>
    invoke(createRound, { method: 'POST', path: '/rounds', claims, body });

  it('stores the round conditionally and answers with a presigned PUT URL for 15 minutes', async () => {
    ddb.on(PutCommand).resolves({});
    const res = await post({ serviceId: 'waste-collection', name: ' Week 10 ' });
    expect(res.statusCode).toBe(201);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'coproduce-test',
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: expect.objectContaining({
        pk: `ROUND#${roundId}`,
        sk: 'ROUND',
        gsi2pk: 'ROUNDS#gm0363#waste-collection',
        name: 'Week 10',
        onInvalid: 'reject',
        status: 'AWAITING_UPLOAD',
        attempt: 0,
      }),
    });
    const body = res.json as { roundId: string; status: string; upload: Record<string, unknown> };
    expect(body).toMatchObject({
      roundId,
      status: 'AWAITING_UPLOAD',
      upload: { method: 'PUT', headers: { 'content-type': 'text/csv' } },
    });
    const url = new URL(body.upload.url as string);
    expect(`${url.host}${url.pathname}`).toContain(`${env.ROUND_BUCKET}`);
    expect(url.pathname).toContain(`rounds/${roundId}/upload.csv`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');
    // No checksum of an empty body signed into the URL (it would refuse the real upload).
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    const expiresAt = Date.parse(body.upload.expiresAt as string);
    expect(expiresAt - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it('answers 200 for the same name, 409 ROUND_NAME_REUSED when onInvalid differs', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: roundItem({ onInvalid: 'reject', status: 'STARTED' }) });
    const same = await post({ serviceId: 'waste-collection', name: 'Week 10', onInvalid: 'reject' });
    expect([same.statusCode, (same.json as { status: string }).status]).toEqual([200, 'STARTED']);
    const other = await post({ serviceId: 'waste-collection', name: 'Week 10', onInvalid: 'skip' });
    expect([other.statusCode, errorCode(other)]).toEqual([409, 'ROUND_NAME_REUSED']);
  });

  it('refuses bad input (400) and another provider kind (403) before storing anything', async () => {
    for (const body of [
      { serviceId: 'waste-collection', name: '' },
      { serviceId: 'waste-collection', name: 'x'.repeat(101) },
      { serviceId: 'waste-collection', name: 'a\u0007b' },
      { serviceId: 'waste-collection', name: 'ok', onInvalid: 'maybe' },
      { serviceId: 'waste-collection', name: 'ok', extra: 1 },
    ])
      expect((await post(body)).statusCode).toBe(400);
    const school = await post(
      { serviceId: 'waste-collection', name: 'ok' },
      staffClaims({ 'custom:orgKind': 'school' }),
    );
    expect(school.statusCode).toBe(403);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});

describe('POST /rounds/{roundId}/start', () => {
  const start = (id = roundId, claims = staffClaims()) =>
    invoke(startRound, {
      method: 'POST',
      path: `/rounds/${id}/start`,
      pathParameters: { roundId: id },
      claims,
    });

  beforeEach(() => {
    ddb.on(GetCommand).resolves({ Item: roundItem({ status: 'REJECTED', attempt: 2, onInvalid: 'skip' }) });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    s3.on(HeadObjectCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
  });

  it('checks the upload, begins the attempt conditionally and starts the execution <roundId>-<attempt>', async () => {
    const res = await start();
    expect([res.statusCode, res.json]).toEqual([202, { roundId, status: 'VALIDATING', attempt: 3 }]);
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
      Bucket: env.ROUND_BUCKET,
      Key: `rounds/${roundId}/upload.csv`,
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: keys.round(roundId),
      ConditionExpression: expect.stringContaining('#attempt = :attempt'),
      ExpressionAttributeValues: expect.objectContaining({
        ':attempt': 2,
        ':next': 3,
        ':validating': 'VALIDATING',
      }),
    });
    // The previous attempt's row reports are cleared before the new execution starts.
    const cleared = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues);
    expect(cleared).toEqual([
      { ':pk': `ROUND#${roundId}`, ':prefix': 'ERROR#' },
      { ':pk': `ROUND#${roundId}`, ':prefix': 'FAIL#' },
    ]);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const call = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(call?.stateMachineArn).toBe(env.ROUND_STATE_MACHINE_ARN);
    expect(call?.name).toBe(`${roundId}-3`);
    expect(JSON.parse(call?.input as string)).toEqual({
      roundId,
      org: 'gm0363',
      serviceId: 'waste-collection',
      onInvalid: 'skip',
      attempt: 3,
    });
  });

  it('is 409 UPLOAD_MISSING without an upload, and starts nothing', async () => {
    s3.on(HeadObjectCommand).rejects(
      Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    const res = await start();
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'UPLOAD_MISSING']);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('is 409 ROUND_RUNNING while running, or when another start won the condition', async () => {
    ddb.on(GetCommand).resolves({ Item: roundItem({ status: 'STARTING', attempt: 1 }) });
    expect(errorCode(await start())).toBe('ROUND_RUNNING');
    expect(s3).not.toHaveReceivedCommand(HeadObjectCommand);
    ddb.on(GetCommand).resolves({ Item: roundItem({ status: 'FAILED', attempt: 1 }) });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    const lost = await start();
    expect([lost.statusCode, errorCode(lost)]).toEqual([409, 'ROUND_RUNNING']);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it("is 404 for another organisation's round and 400 for a malformed id", async () => {
    expect((await start(roundId, staffClaims({ 'custom:org': 'gm0599' }))).statusCode).toBe(404);
    expect((await start('not-a-round')).statusCode).toBe(400);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});

describe('GET /rounds/{roundId}', () => {
  const get = (claims = staffClaims()) =>
    invoke(getRound, { path: `/rounds/${roundId}`, pathParameters: { roundId }, claims });

  it('shows the counters, active cases and the first row reports', async () => {
    ddb.on(GetCommand).resolves({
      Item: roundItem({
        status: 'STARTED',
        attempt: 1,
        total: 5,
        validated: 4,
        invalid: 1,
        started: 4,
        completed: 1,
      }),
    });
    ddb
      .on(QueryCommand)
      .callsFake((input: { ExpressionAttributeValues: Record<string, string> }) =>
        input.ExpressionAttributeValues[':prefix'] === 'ERROR#'
          ? { Items: [{ line: 3, issues: [{ column: 'phone', reason: 'bad' }] }] }
          : { Items: [{ line: 4, reference: 'R-4', reason: 'used' }] },
      );
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      roundId,
      name: 'Week 10',
      serviceId: 'waste-collection',
      status: 'STARTED',
      onInvalid: 'reject',
      attempt: 1,
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
      total: 5,
      validated: 4,
      invalid: 1,
      started: 4,
      failed: 0,
      completed: 1,
      expired: 0,
      cancelled: 0,
      active: 3,
      errors: [{ line: 3, column: 'phone', reason: 'bad' }],
      failures: [{ line: 4, reference: 'R-4', reason: 'used' }],
    });
  });

  it("is 404 for another organisation's round", async () => {
    ddb.on(GetCommand).resolves({ Item: roundItem() });
    const res = await get(staffClaims({ 'custom:org': 'gm0599' }));
    expect([res.statusCode, errorCode(res)]).toEqual([404, 'NOT_FOUND']);
  });
});
