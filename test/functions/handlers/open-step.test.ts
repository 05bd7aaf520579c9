import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
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
import { renderMessage } from '../../../functions/domain/messages';
import { PiiVault } from '../../../functions/domain/pii';
import { handler } from '../../../functions/handlers/open-step';
import { lambdaContext } from '../../support/http-event';
import { mockSecrets } from '../../support/secrets';
import { catalogService, stepTitle } from '../domain/sms-fakes';
import { caseItem, stepItem } from './items';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const sms = mockClient(PinpointSMSVoiceV2Client);
mockSecrets();
const TABLE = process.env.TABLE_NAME;
const vault = new PiiVault(process.env.PII_KEY ?? '');
const phone = '+31612345678';
const phoneHash = vault.hash(phone);
const waste = catalogService();
const conditionFailed = () =>
  Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });

const payload = (over: Record<string, unknown> = {}) => ({
  caseId: 'case1',
  serviceId: 'waste-collection',
  stageId: 'round',
  stepId: 'present',
  notice: 'invite',
  visit: '1',
  taskToken: 'tok-new',
  enteredAt: '2026-03-02T06:00:00.000Z',
  ...over,
});

/** The step item an UpdateItem returns (ALL_NEW: as written; ALL_OLD for an invite: as it was before). */
const written = (over: Record<string, unknown> = {}) =>
  stepItem({
    stepId: 'present',
    taskToken: 'tok-new',
    openedAt: '2026-03-02T06:00:00.000Z',
    dueAt: '2026-03-04T06:00:00.000Z',
    expiresAt: '2026-03-09T06:00:00.000Z',
    ...over,
  });

beforeEach(() => {
  // Any other item read (the segment's SMS event, whether an earlier invocation texted) is not there.
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({
    Item: caseItem({ citizen: { locale: 'nl', phoneHash, phoneEnc: vault.encrypt(phone) } }),
  });
  ddb.on(GetCommand, { Key: keys.optOut(phoneHash) }).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(PutCommand).resolves({});
  sms.on(SendTextMessageCommand).resolves({ MessageId: 'msg-1' });
  sfn.on(SendTaskSuccessCommand).resolves({});
});
afterEach(() => {
  ddb.reset();
  sfn.reset();
  sms.reset();
});

describe('open-step handler', () => {
  it('records the token with the invite condition and texts the invitation', async () => {
    // ReturnValues ALL_OLD: no step item before this invite (its first open).
    ddb.on(UpdateCommand).resolves({});
    expect(await handler(payload(), lambdaContext)).toEqual({ result: 'opened', sms: 'sent' });

    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      TableName: TABLE,
      Key: keys.step('case1', 'present'),
      // The schedule this wait was planned on: the definition's (no accepted proposal moved it).
      ConditionExpression:
        'attribute_not_exists(pk) OR #visit < :v OR (#visit = :v AND #status = :status AND (attribute_not_exists(retime) OR retime.visit <> :v OR retime.shiftSeconds = :zeroShift))',
      ExpressionAttributeValues: expect.objectContaining({
        ':taskToken': 'tok-new',
        ':v': 1,
        ':status': 'OPEN',
        ':actor': 'citizen',
        ':openedAt': '2026-03-02T06:00:00.000Z',
        ':dueAt': '2026-03-04T06:00:00.000Z',
        ':expiresAt': '2026-03-09T06:00:00.000Z',
        ':gsi1pk': `PHONE#${phoneHash}`,
      }),
    });
    const code = update?.ExpressionAttributeValues?.[':shortCode'];
    expect(code).toMatch(/^[A-HJ-NP-Z]\d$/);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byPhone' });
    // The step's first open in this visit: no earlier invocation can have texted, nothing to look up.
    expect(ddb).not.toHaveReceivedCommandWith(GetCommand, {
      Key: keys.event('case1', '2026-03-02T06:00:00.000Z', 'invite-present-1'),
    });

    const text = renderMessage(waste, 'invitation', 'nl', {
      org: 'Gm0363',
      step: stepTitle(waste, 'present', 'nl'),
      due: '04-03-2026',
      link: `${process.env.PUBLIC_URL}/c/${vault.linkToken('case1')}`,
      code,
    });
    expect(sms).toHaveReceivedCommandExactlyOnceWith(SendTextMessageCommand, {
      DestinationPhoneNumber: phone,
      MessageBody: text,
      MessageType: 'TRANSACTIONAL',
    });
    // One write: the invitation's event holds the SMS's, which reads back as an event of its own.
    const events = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item);
    expect(events.map((e) => e?.type)).toEqual(['STEP_OPENED']);
    expect(events[0]).toMatchObject({
      ...keys.event('case1', '2026-03-02T06:00:00.000Z', 'invite-present-1'),
      followedBy: [{ type: 'SMS_SENT', at: '2026-03-02T06:00:00.001Z', detail: { message: 'invitation' } }],
    });
    expect(JSON.stringify(events)).not.toContain('612345678');
  });

  it('texts no one twice when the invite is repeated: it reads whether the segment already texted', async () => {
    // ALL_OLD: the step was open in this visit already (an earlier invocation of the same segment).
    ddb.on(UpdateCommand).resolves({ Attributes: written({ shortCode: 'A1', taskToken: 'tok-first' }) });
    const stepEvent = keys.event('case1', '2026-03-02T06:00:00.000Z', 'invite-present-1');
    ddb.on(GetCommand, { Key: stepEvent }).resolves({ Item: stepEvent });
    expect(await handler(payload(), lambdaContext)).toEqual({ result: 'opened', sms: 'repeated' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: stepEvent, ConsistentRead: true });
    expect(sms).not.toHaveReceivedAnyCommand();
  });

  it('logs STAGE_ENTERED on an invite under the key every branch of the stage writes', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: written({ shortCode: 'B2' }) });
    const stageEnteredAt = '2026-03-02T05:59:59.500Z';
    await handler(payload({ stageEnteredAt }), lambdaContext);
    await handler(payload({ stageEnteredAt, stepId: 'collect', taskToken: 'tok-c' }), lambdaContext);
    const stage = ddb
      .commandCalls(PutCommand)
      .map((c) => c.args[0].input)
      .filter((input) => input.Item?.type === 'STAGE_ENTERED');
    const key = keys.event('case1', stageEnteredAt, 'stage-round-1');
    expect(stage).toEqual([
      { TableName: TABLE, Item: expect.objectContaining({ ...key, at: stageEnteredAt, actor: 'system' }) },
      { TableName: TABLE, Item: expect.objectContaining({ ...key, at: stageEnteredAt, actor: 'system' }) },
    ]);
    expect(stage[0]?.Item).toEqual(stage[1]?.Item);
    expect(stage[0]?.Item?.detail).toEqual({ stageId: 'round', visit: 1 });
  });

  it('texts nothing to an opted-out phone', async () => {
    ddb
      .on(GetCommand, { Key: keys.optOut(phoneHash) })
      .resolves({ Item: { ...keys.optOut(phoneHash), at: 'x' } });
    ddb.on(UpdateCommand).resolves({ Attributes: written({ shortCode: 'A1' }) });
    expect(await handler(payload(), lambdaContext)).toEqual({ result: 'opened', sms: 'opted-out' });
    expect(sms).not.toHaveReceivedAnyCommand();
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        type: 'STEP_OPENED',
        followedBy: [
          expect.objectContaining({
            type: 'SMS_SUPPRESSED',
            detail: { message: 'invitation', reason: 'opted-out' },
          }),
        ],
      }),
    });
  });

  // The answer here is one stored in clear before data keys: still only its routing values go on.
  it('completes the new token with the stored answer when the step was answered in between', async () => {
    const answered = written({
      status: 'DONE',
      taskToken: 'tok-old',
      data: { presented: true },
      channel: 'sms',
      submittedAt: '2026-03-02T20:00:00.000Z',
    });
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand, { Key: keys.step('case1', 'present') }).resolves({ Item: answered });
    ddb.on(UpdateCommand, { ConditionExpression: 'visit = :v AND #status = :done' }).resolves({
      Attributes: { ...answered, taskToken: 'tok-new' },
    });
    expect(await handler(payload({ notice: 'reminder' }), lambdaContext)).toEqual({ result: 'already-done' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression:
        'visit = :v AND #status = :open AND (attribute_not_exists(retime) OR retime.visit <> :v OR retime.shiftSeconds = :zeroShift)',
    });
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(SendTaskSuccessCommand, {
      taskToken: 'tok-new',
      output: JSON.stringify({
        stepId: 'present',
        actor: 'citizen',
        channel: 'sms',
        submittedAt: '2026-03-02T20:00:00.000Z',
        // `present` has no outcome rule: none of its answers go into the execution.
        data: {},
      }),
    });
    expect(sms).not.toHaveReceivedAnyCommand();
  });

  it('accepts the visit as a number too, and only re-arms the token on a reminder', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: written({ shortCode: 'C3', reminders: 1, visit: 2 }) });
    expect(await handler(payload({ visit: 2, notice: 'reminder' }), lambdaContext)).toEqual({
      result: 'rearmed',
      sms: 'sent',
    });
    const stepUpdates = ddb
      .commandCalls(UpdateCommand)
      .filter((c) => c.args[0].input.Key?.sk === keys.step('case1', 'present').sk);
    expect(stepUpdates).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: keys.step('case1', 'present'),
      UpdateExpression: 'SET taskToken = :t REMOVE tokenRetimed ADD reminders :one',
      ConditionExpression:
        'visit = :v AND #status = :open AND (attribute_not_exists(retime) OR retime.visit <> :v OR retime.shiftSeconds = :zeroShift)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':t': 'tok-new', ':v': 2, ':open': 'OPEN', ':one': 1, ':zeroShift': 0 },
    });
    // The service report counts the reminder for the citizen's side, once per wait segment.
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        pk: 'CASE#case1',
        sk: expect.stringMatching(/^TALLY#reminder-present-2-/),
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: {
        pk: 'REPORT#gm0363#waste-collection',
        sk: expect.stringMatching(/^DAY#\d{4}-\d{2}-\d{2}#\w+#citizen$/),
      },
      UpdateExpression: 'ADD #c0 :c0',
      ExpressionAttributeNames: { '#c0': 'reminders' },
      ExpressionAttributeValues: { ':c0': 1 },
    });
    // A re-armed step keeps its index entry and code: no look-up by phone.
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
    const text = renderMessage(waste, 'reminder', 'nl', {
      org: 'Gm0363',
      step: stepTitle(waste, 'present', 'nl'),
      due: '04-03-2026',
      link: `${process.env.PUBLIC_URL}/c/${vault.linkToken('case1')}`,
      code: 'C3',
    });
    expect(sms).toHaveReceivedCommandExactlyOnceWith(SendTextMessageCommand, {
      DestinationPhoneNumber: phone,
      MessageBody: text,
      MessageType: 'TRANSACTIONAL',
    });
  });

  it.each([
    ['a missing token', { taskToken: undefined }],
    ['an unknown notice', { notice: 'nudge' }],
    ['a visit that is not a number', { visit: 'two' }],
    ['a time that is not a time', { enteredAt: 'yesterday' }],
    ['a stage entry time that is not a time', { stageEnteredAt: 'yesterday' }],
  ])('fails the task with OpenStep.BadPayload for %s, touching nothing', async (_, over) => {
    await expect(handler(payload(over), lambdaContext)).rejects.toMatchObject({
      name: 'OpenStep.BadPayload',
    });
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});
