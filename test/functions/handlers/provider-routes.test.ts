import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import * as out from '../../../functions/contract/responses';
import { CANCEL_CAUSE } from '../../../functions/domain/case-cancel';
import { caseCipher, caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import { PiiVault } from '../../../functions/domain/pii';
import { CASE_STATUS_FIELDS, STEP_STATUS_FIELDS } from '../../../functions/domain/status-view';
import { handler as cancelCase } from '../../../functions/handlers/cancel-case';
import { handler as getCase } from '../../../functions/handlers/get-case';
import { handler as listCases } from '../../../functions/handlers/list-cases';
import { errorCode, invoke, staffClaims } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';
import { caseItem, stepItem } from './items';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const execution = 'arn:aws:states:eu-west-1:000000000000:execution:coproduce-test-waste-collection:case1';

afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('GET /cases/{caseId}', () => {
  const get = (claims = staffClaims()) =>
    invoke(getCase, { path: '/cases/case1', pathParameters: { caseId: 'case1' }, claims });

  // A case from before data keys: sealed with the stack's key (v1), reference and answers in clear.
  it('shows the steps of both partners, pending ones included, without secrets', async () => {
    ddb.on(PutCommand).resolves({});
    const citizen = {
      locale: 'nl' as const,
      nameEnc: vault.encrypt('Anna'),
      phoneEnc: vault.encrypt('+31612345678'),
    };
    ddb.on(QueryCommand).resolves({
      Items: [
        caseItem({ citizen: { ...citizen, phoneHash: vault.hash('+31612345678') }, reference: 'Z-1' }),
        stepItem({
          status: 'DONE',
          data: { correct: true },
          submittedAt: '2026-03-02T09:00:00.000Z',
          channel: 'sms',
        }),
        stepItem({ stepId: 'plan-route', actor: 'provider', taskToken: 'tok-p' }),
        {
          ...keys.event('case1', '2026-03-01T09:00:00.000Z', 'created'),
          caseId: 'case1',
          at: '2026-03-01T09:00:00.000Z',
          type: 'CASE_CREATED',
        },
      ],
    });
    const res = await get();
    expect(res.statusCode).toBe(200);
    // One bounded page of the partition, which holds an ordinary case whole (dynamo-case-view.ts).
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'CASE#case1' },
      ConsistentRead: true,
      Limit: 250,
    });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    const body = res.json as Record<string, unknown>;
    expect(body).toMatchObject({ caseId: 'case1', status: 'ACTIVE', reference: 'Z-1' });
    expect(body.citizen).toEqual({ locale: 'nl', name: 'Anna', phone: '+31*******78' });
    expect(body.steps).toEqual([
      expect.objectContaining({
        stepId: 'confirm-address',
        actor: 'citizen',
        status: 'DONE',
        data: { correct: true },
      }),
      expect.objectContaining({
        stepId: 'plan-route',
        actor: 'provider',
        status: 'OPEN',
        dueAt: '2026-03-08T09:00:00.000Z',
      }),
      { stepId: 'put-out', stage: 'collect', actor: 'citizen', title: expect.any(Object), status: 'PENDING' },
      {
        stepId: 'empty-bin',
        stage: 'collect',
        actor: 'provider',
        title: expect.any(Object),
        status: 'PENDING',
      },
    ]);
    for (const secret of ['tok-', 'Enc', 'phoneHash', 'requestHash', 'pk'])
      expect(res.body).not.toContain(secret);
    // The read was logged, with the case's ttl, before the answer left.
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        pk: 'CASE#case1',
        sk: expect.stringMatching(/^LOG#/),
        action: 'read',
        categories: ['contact', 'reference', 'answers'],
        org: 'gm0363',
        by: 'staff-1',
        activity: 'afvalinzameling',
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
        ttl: 4_000_000_000,
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it("opens a case's personal data with its own key, and logs nothing for a case without any", async () => {
    ddb.on(PutCommand).resolves({});
    const key = newDataKey(vault, caseOwner('case1'));
    ddb.on(QueryCommand).resolves({
      Items: [
        caseItem({ dataKey: key.wrapped, citizen: { locale: 'nl', nameEnc: key.cipher.seal('Bram') } }),
      ],
    });
    expect((await get()).json?.citizen).toEqual({ locale: 'nl', name: 'Bram' });
    ddb.on(QueryCommand).resolves({ Items: [caseItem()] });
    ddb.resetHistory();
    expect((await get()).statusCode).toBe(200);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 500 and returns nothing when the read cannot be logged', async () => {
    ddb.on(QueryCommand).resolves({ Items: [caseItem({ reference: 'Z-9' })] });
    ddb.on(PutCommand).rejects(new Error('throttled'));
    const res = await get();
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('Z-9');
  });

  it('answers 404 for a missing case and for a case of another organisation or kind alike', async () => {
    ddb.on(QueryCommand).resolves({ Items: [caseItem()] });
    const other = await get(staffClaims({ 'custom:org': 'gm0599' }));
    // The same organisation id under another kind (a school): the service is a municipality's.
    const kind = await get(staffClaims({ 'custom:orgKind': 'school' }));
    ddb.on(QueryCommand).resolves({ Items: [] });
    const missing = await get();
    expect([other.statusCode, kind.statusCode, missing.statusCode]).toEqual([404, 404, 404]);
    expect(other.json?.error).toEqual(missing.json?.error);
    expect(kind.json?.error).toEqual(missing.json?.error);
  });
});

describe('GET /cases/{caseId}?view=status', () => {
  const status = (query: Record<string, string> = { view: 'status' }, claims = staffClaims()) =>
    invoke(getCase, { path: '/cases/case1', pathParameters: { caseId: 'case1' }, query, claims });
  const key = newDataKey(vault, caseOwner('case1'));
  const personal = caseItem({
    dataKey: key.wrapped,
    referenceEnc: key.cipher.seal('Z-1'),
    contextEnc: key.cipher.sealJson({ address: 'Kerkstraat 1' }),
    citizen: { locale: 'nl', nameEnc: key.cipher.seal('Anna'), phoneEnc: key.cipher.seal('+31612345678') },
  });

  it('reads the case and its steps alone, in one Query, shows where each stands, and logs no read', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        stepItem({
          status: 'DONE',
          dataEnc: key.cipher.sealJson({ correct: true }),
          submittedAt: '2026-03-02T09:00:00.000Z',
          channel: 'sms',
        }),
        stepItem({ stepId: 'plan-route', actor: 'provider', taskToken: 'tok-p' }),
        personal,
      ],
    });
    const res = await status();
    expect(res.statusCode).toBe(200);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND sk <= :case',
      ExpressionAttributeValues: { ':pk': 'CASE#case1', ':case': 'CASE' },
      ConsistentRead: true,
    });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    // The read asks for the status view's attributes alone, and the sort key that tells case from step.
    const asked = Object.values(
      ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeNames ?? {},
    );
    expect(new Set(asked)).toEqual(new Set(['sk', ...CASE_STATUS_FIELDS, ...STEP_STATUS_FIELDS]));
    expect(asked).toHaveLength(new Set(asked).size);
    // Nothing personal left the function, so there is no read to log.
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(res.json).toMatchObject({ caseId: 'case1', status: 'ACTIVE', stage: 'prepare', org: 'gm0363' });
    expect(res.json?.steps).toEqual([
      {
        stepId: 'confirm-address',
        stage: 'prepare',
        actor: 'citizen',
        status: 'DONE',
        openedAt: '2026-03-01T09:00:00.000Z',
        dueAt: '2026-03-08T09:00:00.000Z',
        expiresAt: '2026-03-15T09:00:00.000Z',
        reminders: 0,
        escalated: false,
        submittedAt: '2026-03-02T09:00:00.000Z',
        channel: 'sms',
      },
      expect.objectContaining({ stepId: 'plan-route', actor: 'provider', status: 'OPEN' }),
      { stepId: 'put-out', stage: 'collect', actor: 'citizen', status: 'PENDING' },
      { stepId: 'empty-bin', stage: 'collect', actor: 'provider', status: 'PENDING' },
    ]);
    expect(out.caseStatus.safeParse(res.json).success).toBe(true);
    for (const secret of ['Anna', 'Z-1', 'Kerkstraat', 'correct', 'tok-', 'Enc', 'citizen":', 'dataKey'])
      expect(res.body).not.toContain(secret);
  });

  it('says FAILED with what failed, for staff to redrive', async () => {
    const failure = {
      error: 'States.Timeout',
      cause: 'open-step',
      at: '2026-03-03T09:00:00.000Z',
      execution,
    };
    const stored = { ...failure, redriveCount: 1 };
    ddb.on(QueryCommand).resolves({ Items: [caseItem({ status: 'FAILED', failure: stored })] });
    const res = await status();
    expect(res.json?.status).toBe('FAILED');
    expect(res.json?.failure).toEqual(failure);
  });

  it('answers 404 for a missing case and for a case of another organisation or kind alike', async () => {
    ddb.on(QueryCommand).resolves({ Items: [stepItem(), personal] });
    expect((await status()).statusCode).toBe(200);
    const other = await status(undefined, staffClaims({ 'custom:org': 'gm0599' }));
    const kind = await status(undefined, staffClaims({ 'custom:orgKind': 'school' }));
    ddb.on(QueryCommand).resolves({ Items: [stepItem()] }); // steps, and no case item
    const missing = await status();
    expect([other.statusCode, kind.statusCode, missing.statusCode]).toEqual([404, 404, 404]);
    expect(other.json?.error).toEqual(missing.json?.error);
    expect(kind.json?.error).toEqual(missing.json?.error);
    expect(other.body).not.toContain('"steps"');
  });

  it('refuses a view it does not know with 400, before reading anything', async () => {
    for (const view of ['full', 'STATUS', ''] as const) {
      const res = await status({ view });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.json)).toContain('view=status');
    }
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('GET /cases', () => {
  const list = (query: Record<string, string>, claims = staffClaims()) =>
    invoke(listCases, { path: '/cases', query, claims });

  it("lists the caller's organisation's cases of a service, with a cursor", async () => {
    const last = {
      pk: 'CASE#c2',
      sk: 'CASE',
      gsi2pk: 'SVC#gm0363#waste-collection',
      gsi2sk: 'ACTIVE#2026#c2',
    };
    const key = newDataKey(vault, caseOwner('c3'));
    ddb.on(QueryCommand).resolves({
      Items: [
        caseItem({ caseId: 'c2', requestHash: 'secret-hash' }),
        caseItem({ caseId: 'c3', dataKey: key.wrapped, referenceEnc: key.cipher.seal('HH-7') }),
      ],
      LastEvaluatedKey: last,
    });
    ddb.on(GetCommand).resolves({ Item: { ttl: 4_000_000_000 } });
    ddb.on(PutCommand).resolves({});
    const res = await list({ serviceId: 'waste-collection', status: 'ACTIVE', limit: '10' });
    expect(res.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byService',
      ExpressionAttributeValues: { ':pk': 'SVC#gm0363#waste-collection', ':prefix': 'ACTIVE#' },
      Limit: 10,
    });
    const summary = {
      serviceId: 'waste-collection',
      status: 'ACTIVE',
      stage: 'prepare',
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
    };
    expect(res.json?.items).toEqual([
      { caseId: 'c2', ...summary },
      { caseId: 'c3', ...summary, reference: 'HH-7' },
    ]);
    expect(typeof res.json?.cursor).toBe('string');
    // The reference shown is a read of c3's personal data: one record, for c3 only.
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ caseId: 'c3', action: 'read', categories: ['reference'] }),
    });
    // The cursor is opaque: no key, no organisation in it, and it takes the next page from `last`.
    const cursor = String(res.json?.cursor);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    ddb.on(QueryCommand).resolves({ Items: [] });
    const next = await list({ serviceId: 'waste-collection', status: 'ACTIVE', cursor });
    expect(next.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: last });
  });

  it('answers every crafted cursor with 400 in the error shape, before DynamoDB sees it', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [caseItem({ caseId: 'c2' })],
      LastEvaluatedKey: {
        pk: 'CASE#c2',
        sk: 'CASE',
        gsi2pk: 'SVC#gm0363#waste-collection',
        gsi2sk: 'ACTIVE#2026#c2',
      },
    });
    const real = String((await list({ serviceId: 'waste-collection', status: 'ACTIVE' })).json?.cursor);
    ddb.resetHistory();
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const gsi2pk = 'SVC#gm0363#waste-collection';
    const crafted = [
      '',
      'e30',
      b64({ pk: '', sk: '', gsi2pk, gsi2sk: '' }),
      b64({ pk: 'CASE#x', sk: 'CASE', gsi2pk, gsi2sk: `ACTIVE#${'A'.repeat(1100)}` }),
      `${b64({ pk: 'CASE#x', sk: 'CASE', gsi2pk, gsi2sk: 'ACTIVE#x' })}.${'A'.repeat(22)}`,
      `${real}x`,
      real.replace(/\.(.)/, (_, c: string) => `.${c === 'A' ? 'B' : 'A'}`),
      'A'.repeat(5000),
      '%00%ff',
      `${real},${real}`,
    ];
    for (const cursor of crafted) {
      const res = await list({ serviceId: 'waste-collection', status: 'ACTIVE', cursor });
      expect(res.statusCode, cursor.slice(0, 40)).toBe(400);
      expect(res.json?.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
    }
    // A real cursor of one query is refused by another: another status filter, another organisation.
    expect((await list({ serviceId: 'waste-collection', cursor: real })).statusCode).toBe(400);
    expect(
      (
        await list(
          { serviceId: 'waste-collection', status: 'ACTIVE', cursor: real },
          staffClaims({ 'custom:org': 'gm0599' }),
        )
      ).statusCode,
    ).toBe(400);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('names a missing or unknown serviceId and a bad limit (400)', async () => {
    const missing = await list({});
    expect(missing.json?.error).toMatchObject({
      details: { fields: { 'query.serviceId': expect.any(String) } },
    });
    const unknown = await list({ serviceId: 'nope' });
    expect(unknown.json?.error).toMatchObject({
      details: { fields: { 'query.serviceId': 'Unknown service.' } },
    });
    // Another kind's service looks like a missing one.
    const kind = await list({ serviceId: 'waste-collection' }, staffClaims({ 'custom:orgKind': 'school' }));
    expect(kind.json?.error).toMatchObject({
      // In words true of both (GET /services lists waste-collection to anyone).
      message: "Your kind of organisation provides no service 'waste-collection'.",
      details: { fields: { 'query.serviceId': 'Unknown service.' } },
    });
    const limit = await list({ serviceId: 'waste-collection', limit: '1000' });
    expect(limit.json?.error).toMatchObject({ details: { fields: { 'query.limit': expect.any(String) } } });
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });
});

describe('POST /cases/{caseId}/cancel', () => {
  const cancel = (body: unknown, claims = staffClaims()) =>
    invoke(cancelCase, {
      method: 'POST',
      path: '/cases/case1/cancel',
      pathParameters: { caseId: 'case1' },
      claims,
      body,
    });

  it('closes the case once, stops the execution and records the reason and who', async () => {
    ddb.on(GetCommand).resolves({ Item: caseItem() });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const res = await cancel({ reason: 'Verhuisd' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ caseId: 'case1', status: 'CANCELLED', cancelReason: 'Verhuisd' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: keys.case('case1'),
      ConditionExpression: '#status IN (:active, :failed)',
      ExpressionAttributeValues: expect.objectContaining({
        ':new_status': 'CANCELLED',
        ':new_cancelReasonEnc': expect.any(String),
      }),
    });
    // Sealed (this case predates data keys: the stack's key), and never in the execution's history.
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    const sealed = String(update?.ExpressionAttributeValues?.[':new_cancelReasonEnc']);
    expect(caseCipher(vault, caseItem() as never).open(sealed)).toBe('Verhuisd');
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: execution,
      cause: CANCEL_CAUSE,
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ type: 'CASE_CANCELLED', detail: { reasonEnc: sealed, by: 'staff-1' } }),
    });
    expect(JSON.stringify(ddb.calls().map((c) => c.args[0].input))).not.toContain('Verhuisd');
  });

  it("counts a round's case as cancelled on its round, with one ADD", async () => {
    ddb.on(GetCommand).resolves({ Item: caseItem({ roundId: 'r1' }) });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    expect((await cancel({ reason: 'Verhuisd' })).statusCode).toBe(200);
    const adds = ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input)
      .filter((input) => input.UpdateExpression?.startsWith('ADD'));
    expect(adds).toHaveLength(1);
    expect(adds[0]).toMatchObject({ Key: keys.round('r1'), ConditionExpression: 'attribute_exists(pk)' });
    expect(Object.values(adds[0]?.ExpressionAttributeNames ?? {})).toEqual(['cancelled']);
    expect(Object.values(adds[0]?.ExpressionAttributeValues ?? {})).toEqual([1]);
  });

  it('answers 409 CASE_CLOSED for a closed case, 404 for another organisation, 400 without a reason', async () => {
    ddb.on(GetCommand).resolves({ Item: caseItem({ status: 'COMPLETED' }) });
    const closed = await cancel({ reason: 'x' });
    expect([closed.statusCode, errorCode(closed)]).toEqual([409, 'CASE_CLOSED']);
    ddb.on(GetCommand).resolves({ Item: caseItem() });
    expect((await cancel({ reason: 'x' }, staffClaims({ 'custom:org': 'gm0599' }))).statusCode).toBe(404);
    expect((await cancel({ reason: 'x' }, staffClaims({ 'custom:orgKind': 'school' }))).statusCode).toBe(404);
    const empty = await cancel({ reason: '   ' });
    expect(empty.json?.error).toMatchObject({ details: { fields: { 'body.reason': 'Give a reason.' } } });
    expect((await cancel({ reason: 'x'.repeat(501) })).statusCode).toBe(400);
    expect(sfn).not.toHaveReceivedCommand(StopExecutionCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });
});
