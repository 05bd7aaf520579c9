import { ExecutionNotRedrivable, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
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
import type { CaseFailure } from '../../../functions/domain/model';
import { handler as getCase } from '../../../functions/handlers/get-case';
import { handler as listCases } from '../../../functions/handlers/list-cases';
import { handler as redrive } from '../../../functions/handlers/redrive-case';
import { errorCode, invoke, staffClaims } from '../../support/http-event';
import { mockSecrets } from '../../support/secrets';
import { caseItem } from './items';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

// POST /cases/{caseId}/redrive with its exact DynamoDB and Step Functions calls; GET /cases/{caseId}
// and GET /cases?status=FAILED for a failed case.

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockSecrets();
const machine = 'arn:aws:states:eu-west-1:000000000000:execution:coproduce-test-waste-collection';
const failure: CaseFailure = {
  error: 'Lambda.TooManyRequestsException',
  cause: 'Rate Exceeded.',
  at: '2026-03-02T08:00:00.000Z',
  execution: 'case1-2',
  redriveCount: 0,
};
const failed = caseItem({ status: 'FAILED', execution: 'case1-2', failure });

const post = (claims = staffClaims()) =>
  invoke(redrive, {
    method: 'POST',
    path: '/cases/case1/redrive',
    pathParameters: { caseId: 'case1' },
    claims,
  });

beforeEach(() => {
  ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({ Item: failed });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date() });
});
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('POST /cases/{caseId}/redrive', () => {
  it('makes the case ACTIVE, then redrives its current execution: 200 { caseId, status }', async () => {
    const res = await post();
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ caseId: 'case1', status: 'ACTIVE' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: keys.case('case1'),
      ConditionExpression:
        '#status = :failed AND #failure.#execution = :execution AND #failure.#redriveCount = :count',
      ExpressionAttributeValues: expect.objectContaining({
        ':new_status': 'ACTIVE',
        ':new_gsi2sk': 'ACTIVE#2026-03-01T09:00:00.000Z#case1',
      }),
    });
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(RedriveExecutionCommand, {
      executionArn: `${machine}:case1-2`,
    });
    const update = ddb.commandCalls(UpdateCommand)[0];
    const redriven = sfn.commandCalls(RedriveExecutionCommand)[0];
    expect(update && redriven && update.calledBefore(redriven)).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        type: 'CASE_REDRIVEN',
        detail: { by: 'staff-1', execution: 'case1-2' },
      }),
    });
  });

  it('puts the failure back and answers 409 NOT_REDRIVABLE when Step Functions refuses', async () => {
    sfn
      .on(RedriveExecutionCommand)
      .rejects(new ExecutionNotRedrivable({ message: 'too old', $metadata: {} }));
    // After the first update the case reads ACTIVE, as DynamoDB would answer.
    ddb
      .on(GetCommand, { Key: keys.case('case1') })
      .resolvesOnce({ Item: failed })
      .resolvesOnce({ Item: failed })
      .resolves({ Item: caseItem({ execution: 'case1-2', redriven: { execution: 'case1-2', count: 1 } }) });
    const res = await post();
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'NOT_REDRIVABLE']);
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.ExpressionAttributeValues);
    expect(updates.map((v) => v?.[':new_status'])).toEqual(['ACTIVE', 'FAILED']);
    expect(updates[1]?.[':new_failure']).toEqual(failure);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 409 CASE_NOT_FAILED for a case that did not fail, and touches nothing', async () => {
    ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({ Item: caseItem() });
    const res = await post();
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'CASE_NOT_FAILED']);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it("answers 404 for another organisation's case and 401 without a staff token", async () => {
    expect((await post(staffClaims({ 'custom:org': 'gm0599' }))).statusCode).toBe(404);
    // The organisation's own id under another kind: the case's service is not for that kind.
    expect((await post(staffClaims({ 'custom:orgKind': 'care-provider' }))).statusCode).toBe(404);
    expect((await post({})).statusCode).toBe(401);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });
});

describe('a FAILED case in the API', () => {
  it('GET /cases/{caseId} shows the status and the failure', async () => {
    ddb.on(QueryCommand).resolves({ Items: [failed] });
    const res = await invoke(getCase, {
      path: '/cases/case1',
      pathParameters: { caseId: 'case1' },
      claims: staffClaims(),
    });
    expect(res.json).toMatchObject({
      status: 'FAILED',
      failure: { error: failure.error, cause: failure.cause, at: failure.at, execution: 'case1-2' },
    });
  });

  it('GET /cases?status=FAILED lists the failed cases through the index', async () => {
    ddb.on(QueryCommand).resolves({ Items: [failed] });
    const res = await invoke(listCases, {
      path: '/cases',
      query: { serviceId: 'waste-collection', status: 'FAILED' },
      claims: staffClaims(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ items: [{ caseId: 'case1', status: 'FAILED' }] });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byService',
      ExpressionAttributeValues: { ':pk': 'SVC#gm0363#waste-collection', ':prefix': 'FAILED#' },
    });
  });
});
