import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import { stepInput, submission } from './fixtures';

const STEP_SK = keys.step('c1', 'separate-waste').sk;

// The exact DynamoDB calls of the exactly-once transitions, and their conditional-failure paths.

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const clock = { now: () => new Date('2025-04-01T12:00:00.000Z') };
const repo = () => new DynamoCaseRepository(client, 'cases', clock);
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

afterEach(() => {
  ddb.reset();
});

describe('completeStep', () => {
  it('moves an OPEN step of the actor to DONE, leaving the phone index, and answers the step as written', async () => {
    const written = { caseId: 'c1', stepId: 'separate-waste', status: 'DONE', visit: 4, taskToken: 'tok' };
    ddb.on(UpdateCommand).resolves({ Attributes: { ...written, pk: 'CASE#c1', sk: STEP_SK } });
    expect(await repo().completeStep('c1', submission())).toEqual(written);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 0);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'cases',
      Key: { pk: 'CASE#c1', sk: STEP_SK },
      UpdateExpression:
        'SET #status = :done, dataEnc = :dataEnc, submittedAt = :submittedAt, channel = :channel REMOVE #data, submittedBy, delegateId, gsi1pk, gsi1sk',
      ConditionExpression: '#status = :open AND actor = :actor AND attribute_exists(taskToken)',
      ExpressionAttributeNames: { '#status': 'status', '#data': 'data' },
      ExpressionAttributeValues: {
        ':done': 'DONE',
        ':open': 'OPEN',
        ':dataEnc': 'v2.iv.sealed-answers.tag',
        ':submittedAt': '2025-03-02T10:00:00.000Z',
        ':channel': 'web',
        ':actor': 'citizen',
      },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('answers undefined when the condition fails and rethrows any other error', async () => {
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).rejectsOnce(new Error('throttled'));
    expect(await repo().completeStep('c1', submission())).toBeUndefined();
    await expect(repo().completeStep('c1', submission())).rejects.toThrow('throttled');
  });
});

describe('openStep invite', () => {
  const input = stepInput('c1', { visit: 2, taskToken: 'tok', phoneHash: 'ph', shortCode: 'A' });

  it('writes the whole attempt under the visit condition, with the case ttl and phone index', async () => {
    ddb.on(GetCommand).resolves({ Item: { ttl: 1_800_000_000 } });
    // ReturnValues ALL_OLD: the step as it was, an answer of visit 1 (so this open is fresh).
    const before = { pk: 'CASE#c1', sk: STEP_SK, visit: 1, status: 'DONE', dataEnc: 'x' };
    ddb.on(UpdateCommand).resolves({ Attributes: { ...before, retime: { visit: 1, shiftSeconds: 60 } } });
    const fields = {
      caseId: 'c1',
      stepId: 'separate-waste',
      actor: 'citizen',
      status: 'OPEN',
      visit: 2,
      taskToken: 'tok',
      openedAt: input.openedAt,
      dueAt: input.dueAt,
      expiresAt: input.expiresAt,
      reminders: 0,
      escalated: false,
      ttl: 1_800_000_000,
      shortCode: 'A',
      phoneHash: 'ph',
      gsi1pk: 'PHONE#ph',
      gsi1sk: 'c1#separate-waste',
    };
    const { ttl: _ttl, phoneHash: _hash, gsi1pk: _pk, gsi1sk: _sk, ...step } = fields;
    // Visit 1's answer stays as the earlier one (dynamo-step-invite.ts); its submission details go.
    expect(await repo().openStep(input, 'invite')).toEqual({
      kind: 'opened',
      step: { ...step, dataEnc: 'x', retime: { visit: 1, shiftSeconds: 60 } },
      fresh: true,
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'cases',
      Key: { pk: 'CASE#c1', sk: 'CASE' },
    });
    const removed = ['submittedAt', 'channel', 'submittedBy', 'delegateId', 'tokenRetimed'];
    const names = [...Object.keys(fields), ...removed];
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'cases',
      Key: { pk: 'CASE#c1', sk: STEP_SK },
      UpdateExpression:
        `SET ${Object.keys(fields)
          .map((name) => `#${name} = :${name}`)
          .join(', ')} ` + `REMOVE ${removed.map((name) => `#${name}`).join(', ')}`,
      // ... while the step's schedule is the definition's (no accepted proposal moved it this visit).
      ConditionExpression:
        'attribute_not_exists(pk) OR #visit < :v OR (#visit = :v AND #status = :status AND (attribute_not_exists(retime) OR retime.visit <> :v OR retime.shiftSeconds = :zeroShift))',
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value])),
        ':v': 2,
        ':zeroShift': 0,
      },
      ReturnValues: 'ALL_OLD',
    });
  });

  it('is not fresh when the visit was open already (a repeated invite)', async () => {
    ddb.on(GetCommand).resolves({ Item: { ttl: 1 } });
    ddb.on(UpdateCommand).resolves({ Attributes: { visit: 2, status: 'OPEN', taskToken: 'first' } });
    expect(await repo().openStep(input, 'invite')).toMatchObject({
      kind: 'opened',
      step: { taskToken: 'tok', visit: 2 },
      fresh: false,
    });
  });

  it('hands the token to a step already answered at this visit', async () => {
    ddb.on(GetCommand, { Key: { pk: 'CASE#c1', sk: 'CASE' } }).resolves({ Item: { ttl: 1 } });
    ddb
      .on(GetCommand, { Key: { pk: 'CASE#c1', sk: STEP_SK } })
      .resolves({ Item: { visit: 2, status: 'DONE' } });
    ddb
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed())
      .resolvesOnce({ Attributes: { status: 'DONE', taskToken: 'tok', data: { bags: 1 } } });
    expect(await repo().openStep(input, 'invite')).toEqual({
      kind: 'already-done',
      step: { status: 'DONE', taskToken: 'tok', data: { bags: 1 } },
    });
    expect(ddb.commandCalls(UpdateCommand)[1]?.args[0].input).toEqual({
      TableName: 'cases',
      Key: { pk: 'CASE#c1', sk: STEP_SK },
      UpdateExpression: 'SET taskToken = :t REMOVE tokenRetimed',
      ConditionExpression: 'visit = :v AND #status = :done',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':t': 'tok', ':v': 2, ':done': 'DONE' },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('is stale when the step is at a later visit, without a second write', async () => {
    ddb.on(GetCommand, { Key: { pk: 'CASE#c1', sk: 'CASE' } }).resolves({ Item: { ttl: 1 } });
    ddb
      .on(GetCommand, { Key: { pk: 'CASE#c1', sk: STEP_SK } })
      .resolves({ Item: { visit: 3, status: 'OPEN' } });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await repo().openStep(input, 'invite')).toEqual({ kind: 'stale' });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
  });
});

describe('closeCase', () => {
  const active = {
    caseId: 'c1',
    org: 'org',
    serviceId: 'svc',
    status: 'ACTIVE',
    createdAt: '2025-03-01T09:00:00.000Z',
  };

  it('sets the status, the reason and the index sort key under an ACTIVE or FAILED condition', async () => {
    ddb.on(GetCommand).resolves({ Item: active });
    ddb.on(UpdateCommand).resolves({});
    expect(await repo().closeCase('c1', 'CANCELLED', 'v2.sealed-reason')).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'cases',
      Key: { pk: 'CASE#c1', sk: 'CASE' },
      UpdateExpression:
        'SET #status = :new_status, #updatedAt = :new_updatedAt, #gsi2sk = :new_gsi2sk, #cancelReasonEnc = :new_cancelReasonEnc REMOVE #failure',
      ConditionExpression: '#status IN (:active, :failed)',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#updatedAt': 'updatedAt',
        '#gsi2sk': 'gsi2sk',
        '#cancelReasonEnc': 'cancelReasonEnc',
        '#failure': 'failure',
      },
      ExpressionAttributeValues: {
        ':new_status': 'CANCELLED',
        ':new_updatedAt': '2025-04-01T12:00:00.000Z',
        ':new_gsi2sk': 'CANCELLED#2025-03-01T09:00:00.000Z#c1',
        ':new_cancelReasonEnc': 'v2.sealed-reason',
        ':active': 'ACTIVE',
        ':failed': 'FAILED',
      },
    });
  });

  it('ends a case (COMPLETED, EXPIRED) only from ACTIVE', async () => {
    ddb.on(GetCommand).resolves({ Item: active });
    ddb.on(UpdateCommand).resolves({});
    expect(await repo().closeCase('c1', 'EXPIRED')).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: '#status = :active',
      ExpressionAttributeValues: { ':active': 'ACTIVE', ':new_status': 'EXPIRED' },
    });
  });

  it('answers false when another close won the race, or the case is not active', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: active })
      .resolvesOnce({ Item: { ...active, status: 'COMPLETED' } });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await repo().closeCase('c1', 'EXPIRED')).toBe(false);
    expect(await repo().closeCase('c1', 'EXPIRED')).toBe(false);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
  });
});

describe('FAILED and back', () => {
  const failure = {
    error: 'Lambda.TooManyRequestsException',
    cause: 'Rate exceeded',
    at: '2025-04-01T11:00:00.000Z',
    execution: 'c1-2',
    redriveCount: 1,
  };
  const item = (status: string) => ({
    caseId: 'c1',
    org: 'org',
    serviceId: 'svc',
    status,
    createdAt: '2025-03-01T09:00:00.000Z',
    execution: 'c1-2',
    ...(status === 'FAILED' && { failure }),
  });

  it('fails the case only for its current execution and not for an attempt before the last redrive', async () => {
    ddb.on(GetCommand).resolves({ Item: item('ACTIVE') });
    ddb.on(UpdateCommand).resolves({});
    expect(await repo().failCase('c1', failure)).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'cases',
      Key: { pk: 'CASE#c1', sk: 'CASE' },
      UpdateExpression:
        'SET #status = :new_status, #updatedAt = :new_updatedAt, #gsi2sk = :new_gsi2sk, #failure = :new_failure',
      ConditionExpression:
        '#status = :active AND #execution = :execution AND (attribute_not_exists(#redriven) OR #redriven.#execution <> :execution OR #redriven.#count <= :count)',
      ExpressionAttributeNames: {
        '#execution': 'execution',
        '#redriven': 'redriven',
        '#count': 'count',
        '#status': 'status',
        '#updatedAt': 'updatedAt',
        '#gsi2sk': 'gsi2sk',
        '#failure': 'failure',
      },
      ExpressionAttributeValues: {
        ':active': 'ACTIVE',
        ':execution': 'c1-2',
        ':count': 1,
        ':new_status': 'FAILED',
        ':new_updatedAt': '2025-04-01T12:00:00.000Z',
        ':new_gsi2sk': 'FAILED#2025-03-01T09:00:00.000Z#c1',
        ':new_failure': failure,
      },
    });
  });

  it('names the first execution by the case id, which has no execution attribute', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...item('ACTIVE'), execution: undefined } });
    ddb.on(UpdateCommand).resolves({});
    await repo().failCase('c1', { ...failure, execution: 'c1' });
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).toMatch(
      /^#status = :active AND \(attribute_not_exists\(#execution\) OR #execution = :execution\) AND/,
    );
  });

  it('reactivates only the failure it read, recording the attempt the redrive starts', async () => {
    ddb.on(GetCommand).resolves({ Item: item('FAILED') });
    ddb.on(UpdateCommand).resolves({});
    expect(await repo().reactivateCase('c1', failure)).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression:
        'SET #status = :new_status, #updatedAt = :new_updatedAt, #gsi2sk = :new_gsi2sk, #redriven = :new_redriven REMOVE #failure',
      ConditionExpression:
        '#status = :failed AND #failure.#execution = :execution AND #failure.#redriveCount = :count',
      ExpressionAttributeValues: {
        ':failed': 'FAILED',
        ':execution': 'c1-2',
        ':count': 1,
        ':new_status': 'ACTIVE',
        ':new_gsi2sk': 'ACTIVE#2025-03-01T09:00:00.000Z#c1',
        ':new_redriven': { execution: 'c1-2', count: 2 },
      },
    });
  });

  it('restores the failure only over its own reactivation', async () => {
    ddb.on(GetCommand).resolves({ Item: item('ACTIVE') });
    ddb.on(UpdateCommand).resolves({});
    expect(await repo().restoreFailure('c1', failure)).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression:
        '#status = :active AND #redriven.#execution = :execution AND #redriven.#count = :next',
      ExpressionAttributeValues: { ':next': 2, ':new_status': 'FAILED', ':new_failure': failure },
    });
  });

  it('answers false without writing when the case is not in the status to leave, or the condition fails', async () => {
    ddb.on(GetCommand).resolves({ Item: item('CANCELLED') });
    expect(await repo().failCase('c1', failure)).toBe(false);
    expect(await repo().reactivateCase('c1', failure)).toBe(false);
    expect(await repo().restoreFailure('c1', failure)).toBe(false);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    ddb.on(GetCommand).resolves({ Item: item('ACTIVE') });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await repo().failCase('c1', failure)).toBe(false);
  });
});

describe('claimInboundMessage', () => {
  it('puts the message id with what it answers only if new, else reads the first claim', async () => {
    const answers = { caseId: 'c1', stepId: 'present', visit: 1 };
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    ddb
      .on(GetCommand)
      .resolves({ Item: { pk: 'SMS#SM1', sk: 'SMS', ttl: 99, outcome: 'submitting', answers } });
    expect(await repo().claimInboundMessage('SM1', 99, { outcome: 'submitting', answers })).toEqual({
      fresh: true,
    });
    expect(await repo().claimInboundMessage('SM1', 99, { outcome: 'settled' })).toEqual({
      fresh: false,
      claim: { outcome: 'submitting', answers },
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: { pk: 'SMS#SM1', sk: 'SMS', ttl: 99, outcome: 'submitting', answers },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: 'SMS#SM1', sk: 'SMS' },
      ConsistentRead: true,
    });
  });

  it('reads a claim stored before claims said what they answer as settled', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { pk: 'SMS#SM0', sk: 'SMS', ttl: 99 } });
    expect(await repo().claimInboundMessage('SM0', 99, { outcome: 'settled' })).toEqual({
      fresh: false,
      claim: { outcome: 'settled' },
    });
  });
});
