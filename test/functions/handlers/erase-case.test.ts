import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
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
import { caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import { PiiVault } from '../../../functions/domain/pii';
import { handler } from '../../../functions/handlers/erase-case';
import { ERASE_CAUSE } from '../../../functions/privacy/erasure';
import { errorCode, invoke, staffClaims } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';
import { caseItem, stepItem } from './items';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

// POST /cases/{caseId}/erase: the exact table and engine calls of an erasure. (What is left afterwards,
// on a real table, is tested in test/functions/privacy/erasure.dynalite.test.ts.)

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const key = newDataKey(vault, caseOwner('case1'));
const head = caseItem({
  dataKey: key.wrapped,
  referenceEnc: key.cipher.seal('HH-1'),
  citizen: { locale: 'nl', nameEnc: key.cipher.seal('Anna') },
});
const answered = stepItem({ status: 'DONE', dataEnc: key.cipher.sealJson({ correct: true }) });

const erase = (body: unknown, claims = staffClaims()) =>
  invoke(handler, {
    method: 'POST',
    path: '/cases/case1/erase',
    pathParameters: { caseId: 'case1' },
    claims,
    body,
  });

beforeEach(() => {
  ddb.on(GetCommand).resolves({ Item: head });
  ddb.on(QueryCommand).resolves({ Items: [head, answered] });
  ddb.on(UpdateCommand).resolves({});
  ddb
    .on(UpdateCommand, { Key: keys.case('case1'), ConditionExpression: 'attribute_exists(pk)' })
    .resolves({ Attributes: { erased: { at: 'then', by: 'staff-1' } } });
  ddb.on(PutCommand).resolves({});
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
});
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('POST /cases/{caseId}/erase', () => {
  it('stops the running case, logs the erasure with its reason sealed, then deletes the key and every sealed value', async () => {
    const res = await erase({ reason: 'Verzoek van de burger' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ caseId: 'case1', erased: { at: 'then', by: 'staff-1' } });
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, { cause: ERASE_CAUSE });
    const log = ddb
      .commandCalls(PutCommand)
      .map((c) => c.args[0].input.Item)
      .find((item) => String(item?.sk).startsWith('LOG#'));
    expect(log).toMatchObject({
      action: 'erase',
      categories: ['contact', 'reference', 'answers'],
      by: 'staff-1',
    });
    expect(vault.decrypt(String(log?.reasonEnc))).toBe('Verzoek van de burger');
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    const erasure = updates.find((u) => u.ConditionExpression === 'attribute_exists(pk)');
    expect(erasure?.UpdateExpression).toMatch(/^SET #erased = if_not_exists\(#erased, :erasure\)/);
    for (const name of [
      '#dataKey',
      '#referenceEnc',
      '#contextEnc',
      '#cancelReasonEnc',
      '#citizen.#c_nameEnc',
      '#citizen.#c_phoneHash',
    ])
      expect(erasure?.UpdateExpression).toContain(name);
    // The step's sealed answer and phone index entry go too.
    expect(updates).toContainEqual(
      expect.objectContaining({
        Key: keys.step('case1', 'confirm-address'),
        UpdateExpression: expect.stringContaining('#dataEnc'),
      }),
    );
    // The log record is written before the key goes: an erasure that cannot be logged does not happen.
    const logged = ddb
      .commandCalls(PutCommand)
      .find((c) => String(c.args[0].input.Item?.sk).startsWith('LOG#'));
    const removed = ddb
      .commandCalls(UpdateCommand)
      .find((c) => c.args[0].input.ConditionExpression === 'attribute_exists(pk)');
    expect(logged && removed && logged.calledBefore(removed)).toBe(true);
  });

  it('requires a reason (400) and erases nothing without one', async () => {
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
      const res = await erase(body);
      expect([res.statusCode, errorCode(res)]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).not.toHaveReceivedCommand(StopExecutionCommand);
  });

  it("answers 404 for another organisation's case and 401 without an organisation", async () => {
    expect((await erase({ reason: 'x' }, staffClaims({ 'custom:org': 'gm0599' }))).statusCode).toBe(404);
    expect((await erase({ reason: 'x' }, {})).statusCode).toBe(401);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });
});
