import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { caseCipher } from '../../../functions/domain/case-keys';
import { PiiVault } from '../../../functions/domain/pii';
import { handler } from '../../../functions/handlers/submit-step';
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
const TABLE = process.env.TABLE_NAME;

const route = (
  body: unknown,
  over: { claims?: Record<string, string>; stepId?: string; headers?: Record<string, string> } = {},
) =>
  invoke(handler, {
    method: 'POST',
    path: `/cases/case1/steps/${over.stepId ?? 'plan-route'}`,
    pathParameters: { caseId: 'case1', stepId: over.stepId ?? 'plan-route' },
    claims: over.claims ?? staffClaims(),
    ...(over.headers && { headers: over.headers }),
    body,
  });

const providerStep = stepItem({ stepId: 'plan-route', actor: 'provider', taskToken: 'tok-p' });

beforeEach(() => {
  ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({ Item: caseItem() });
  ddb.on(GetCommand, { Key: keys.step('case1', 'plan-route') }).resolves({ Item: providerStep });
  ddb.on(UpdateCommand).resolves({ Attributes: { ...providerStep, status: 'DONE' } });
  ddb.on(PutCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
});
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('POST /cases/{caseId}/steps/{stepId}', () => {
  it('completes the step once (OPEN -> DONE) and then the task with the submission', async () => {
    const res = await route({ data: { day: '2026-03-10', kind: 'gft' } });
    expect(res.statusCode).toBe(200);
    expect(res.json?.step).toMatchObject({ stepId: 'plan-route', status: 'DONE', channel: 'api' });
    expect(res.json?.step).not.toHaveProperty('taskToken');
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: keys.step('case1', 'plan-route'),
      ConditionExpression: '#status = :open AND actor = :actor AND attribute_exists(taskToken)',
      ExpressionAttributeValues: expect.objectContaining({
        ':open': 'OPEN',
        ':done': 'DONE',
        ':actor': 'provider',
        ':dataEnc': expect.any(String),
        ':by': 'staff-1',
      }),
    });
    // The write says which wait it answered: the step is not read before it.
    expect(ddb).not.toHaveReceivedCommandWith(GetCommand, { Key: keys.step('case1', 'plan-route') });
    // The answers are stored sealed, and only so.
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    const sealed = update?.ExpressionAttributeValues?.[':dataEnc'] as string;
    expect(caseCipher(vault, caseItem() as never).openJson(sealed)).toEqual({
      day: '2026-03-10',
      kind: 'gft',
    });
    expect(JSON.stringify(update)).not.toContain('gft');
    // No outcome rule reads plan-route: Step Functions gets none of its answers.
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(sent?.taskToken).toBe('tok-p');
    expect(JSON.parse(sent?.output ?? '')).toEqual({
      stepId: 'plan-route',
      actor: 'provider',
      channel: 'api',
      submittedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {},
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ type: 'STEP_SUBMITTED', stepId: 'plan-route', channel: 'api' }),
    });
    // What staff recorded about the case is a change of its personal data: logged.
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        action: 'update',
        categories: ['notes'],
        by: 'staff-1',
        ttl: 4_000_000_000,
      }),
    });
  });

  it('reverts the step and answers 409 TOKEN_EXPIRED when the token timed out', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));
    // The revert reads the step the completion wrote.
    ddb
      .on(GetCommand, { Key: keys.step('case1', 'plan-route') })
      .resolves({ Item: { ...providerStep, status: 'DONE' } });
    const res = await route({ data: { day: '2026-03-10', kind: 'gft' } });
    expect(res.statusCode).toBe(409);
    expect(res.json?.error).toMatchObject({
      code: 'TOKEN_EXPIRED',
      message: expect.stringMatching(/Nothing was saved/),
    });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(2);
    expect(updates[1]).toMatchObject({
      Key: keys.step('case1', 'plan-route'),
      UpdateExpression: expect.stringMatching(/^SET #status = :open/),
      ConditionExpression: '#status = :done AND taskToken = :t AND visit = :v',
      ExpressionAttributeValues: expect.objectContaining({ ':t': 'tok-p', ':open': 'OPEN' }),
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 409 STEP_NOT_OPEN when another submission won the conditional write', async () => {
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('cond'), { name: 'ConditionalCheckFailedException' }));
    // Read after the refused write, to say what the step is.
    ddb
      .on(GetCommand, { Key: keys.step('case1', 'plan-route') })
      .resolves({ Item: { ...providerStep, status: 'DONE' } });
    const res = await route({ data: { day: '2026-03-10', kind: 'gft' } });
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'STEP_NOT_OPEN']);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('names the invalid fields (400) and writes nothing', async () => {
    const res = await route({ data: { day: '2026-02-30', kind: 'glass' } });
    expect(res.statusCode).toBe(400);
    expect(res.json?.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: { day: 'Enter a real date as YYYY-MM-DD.', kind: 'Choose one of: rest, gft.' } },
    });
    const noData = await route({ day: '2026-03-10' });
    expect(noData.json?.error).toMatchObject({ details: { fields: { 'body.data': expect.any(String) } } });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('refuses citizen steps (403 WRONG_ACTOR) and cases of another organisation (404)', async () => {
    const citizenStep = await route({ data: { correct: true } }, { stepId: 'confirm-address' });
    expect([citizenStep.statusCode, errorCode(citizenStep)]).toEqual([403, 'WRONG_ACTOR']);
    const other = await route({ data: {} }, { claims: staffClaims({ 'custom:org': 'gm0599' }) });
    expect(other.statusCode).toBe(404);
    const kind = await route({ data: {} }, { claims: staffClaims({ 'custom:orgKind': 'school' }) });
    expect(kind.statusCode).toBe(404);
    const anonymous = await route({ data: {} }, { claims: {} });
    expect(anonymous.statusCode).toBe(401);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('takes a urlencoded form from the console as channel web', async () => {
    const res = await route('day=2026-03-10&kind=rest', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    const values = ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues;
    expect(values?.[':channel']).toBe('web');
    expect(caseCipher(vault, caseItem() as never).openJson(values?.[':dataEnc'] as string)).toEqual({
      day: '2026-03-10',
      kind: 'rest',
    });
  });

  it('reads the media type in any case, and refuses a form field given twice (400), saving nothing', async () => {
    const upper = await route('day=2026-03-10&kind=rest', {
      headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' },
    });
    expect(upper.statusCode).toBe(200);
    ddb.resetHistory();
    const twice = await route('day=2026-03-10&kind=rest&kind=gft', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([twice.statusCode, errorCode(twice)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(twice.json?.error).toMatchObject({ details: { fields: { kind: 'send this field once' } } });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });
});
