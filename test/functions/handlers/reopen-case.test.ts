import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { PiiVault, sha256 } from '../../../functions/domain/pii';
import { handler as citizenPage } from '../../../functions/handlers/citizen-page';
import { handler as reopen } from '../../../functions/handlers/reopen-case';
import { errorCode, invoke, staffClaims } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';
import { caseItem } from './items';

// POST /cases/{caseId}/reopen and POST /c/{linkToken}/reopen with their exact DynamoDB and Step
// Functions calls. The real catalogue: waste-collection reopens for 14 days at stage 'round'.

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const token = vault.linkToken('case1');
const machine = 'arn:aws:states:eu-west-1:000000000000:stateMachine:coproduce-test-waste-collection';
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

let completedAt = daysAgo(3);
const completed = () => ({
  ...caseItem({ status: 'COMPLETED', stage: 'feedback', updatedAt: completedAt }),
  continuations: 1,
});

const post = (claims = staffClaims(), body: unknown = { reason: 'Container niet geleegd' }) =>
  invoke(reopen, {
    method: 'POST',
    path: '/cases/case1/reopen',
    pathParameters: { caseId: 'case1' },
    claims,
    body,
  });

beforeEach(() => {
  completedAt = daysAgo(3);
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: keys.case('case1') }).callsFake(() => ({ Item: completed() }));
  ddb.on(UpdateCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
});
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('POST /cases/{caseId}/reopen', () => {
  it('flips COMPLETED -> ACTIVE, logs the sealed reason, then starts <caseId>-<n> at the stage', async () => {
    const res = await post();
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ caseId: 'case1', status: 'ACTIVE', stage: 'round' });
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
      Key: keys.case('case1'),
      ConditionExpression: '#status = :completed AND #updatedAt = :completedAt AND #continuations = :before',
      ExpressionAttributeValues: expect.objectContaining({
        ':active': 'ACTIVE',
        ':completedAt': completedAt,
        ':execution': 'case1-3',
        ':before': 1,
        ':after': 2,
        ':gsi2sk': 'ACTIVE#2026-03-01T09:00:00.000Z#case1',
      }),
    });
    const input = {
      caseId: 'case1',
      serviceId: 'waste-collection',
      org: 'gm0363',
      createdAt: '2026-03-01T09:00:00.000Z',
      resumeAt: 'round',
      continuation: 3,
    };
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(StartExecutionCommand, {
      stateMachineArn: machine,
      name: 'case1-3',
      input: JSON.stringify(input),
    });
    const update = ddb.commandCalls(UpdateCommand)[0];
    const started = sfn.commandCalls(StartExecutionCommand)[0];
    expect(update && started && update.calledBefore(started)).toBe(true);
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item as Record<string, unknown>);
    const event = puts.find((item) => item.type === 'CASE_REOPENED');
    expect(event).toMatchObject({
      actor: 'provider',
      detail: { by: 'staff-1', stageId: 'round', execution: 'case1-3' },
    });
    expect(String(event?.sk)).toMatch(/#reopened-3$/);
    expect(JSON.stringify(event)).not.toContain('geleegd');
    // The processing log records staff's change.
    expect(puts.some((item) => String(item.sk).startsWith('LOG#'))).toBe(true);
  });

  it('answers 409 REOPEN_WINDOW_CLOSED after 14 days, and changes nothing', async () => {
    completedAt = daysAgo(15);
    const res = await post();
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'REOPEN_WINDOW_CLOSED']);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('answers 409 CASE_NOT_COMPLETED for a running case', async () => {
    ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({ Item: caseItem() });
    const res = await post();
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'CASE_NOT_COMPLETED']);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('answers 409 when the conditional write loses to another reopening', async () => {
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' }));
    const res = await post();
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'CASE_NOT_COMPLETED']);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('answers 400 without a reason, 404 for another organisation, 401 without a token', async () => {
    expect((await post(staffClaims(), {})).statusCode).toBe(400);
    expect((await post(staffClaims(), { reason: '' })).statusCode).toBe(400);
    expect((await post(staffClaims({ 'custom:org': 'gm0599' }))).statusCode).toBe(404);
    expect((await post({})).statusCode).toBe(401);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });
});

describe('POST /c/{linkToken}/reopen', () => {
  beforeEach(() => {
    ddb.on(GetCommand, { Key: keys.link(sha256(token)) }).resolves({
      Item: { ...keys.link(sha256(token)), caseId: 'case1', expiresAt: '2099-01-01T00:00:00.000Z' },
    });
    ddb.on(QueryCommand).callsFake(() => ({ Items: [completed()] }));
  });
  const citizen = (body: unknown, headers: Record<string, string> = {}) =>
    invoke(citizenPage, {
      method: 'POST',
      path: `/c/${token}/reopen`,
      routeKey: 'POST /c/{linkToken}/reopen',
      pathParameters: { linkToken: token },
      headers,
      body,
    });

  it('reopens by JSON: 200 and the same calls, by the citizen', async () => {
    const res = await citizen({ reason: 'Nog steeds vol' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ caseId: 'case1', status: 'ACTIVE', stage: 'round' });
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(StartExecutionCommand, {
      stateMachineArn: machine,
      name: 'case1-3',
    });
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item as Record<string, unknown>);
    expect(puts.find((item) => item.type === 'CASE_REOPENED')).toMatchObject({
      actor: 'citizen',
      detail: { by: 'citizen' },
    });
    // The citizen's own request is no staff processing.
    expect(puts.some((item) => String(item.sk).startsWith('LOG#'))).toBe(false);
  });

  it('reopens by the page form with its CSRF value (303 back to the page), refuses one without', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const csrf = vault.hash(`csrf:${token}`);
    const ok = await citizen(`_csrf=${csrf}&reason=Niet+geleegd`, form);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers?.location).toContain(`/c/${token}`);
    const forged = await citizen('reason=Niet+geleegd', { ...form, accept: 'application/json' });
    expect([forged.statusCode, errorCode(forged)]).toEqual([403, 'CSRF']);
  });

  it('answers 409 after the window and 400 without a reason', async () => {
    expect((await citizen({})).statusCode).toBe(400);
    completedAt = daysAgo(15);
    const late = await citizen({ reason: 'Te laat' });
    expect([late.statusCode, errorCode(late)]).toEqual([409, 'REOPEN_WINDOW_CLOSED']);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });
});
