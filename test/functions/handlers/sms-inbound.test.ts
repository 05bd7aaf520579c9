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
import { keys, TABLE as LAYOUT } from '../../../functions/adapters/table-keys';
import { caseCipher } from '../../../functions/domain/case-keys';
import { renderMessage } from '../../../functions/domain/messages';
import { PiiVault } from '../../../functions/domain/pii';
import { TEXTS } from '../../../functions/domain/sms-texts';
import { handler, twiml } from '../../../functions/handlers/sms-inbound';
import { REPLAYED } from '../../../functions/sms/inbound';
import { lambdaContext } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';
import { twilioEvent, twilioParams } from '../../support/twilio';
import { catalogService, stepTitle } from '../domain/sms-fakes';
import { caseItem, stepItem } from './items';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockSecrets();
const TABLE = process.env.TABLE_NAME;
const vault = new PiiVault(TEST_PII_KEY);
const phone = '+31612345678';
const phoneHash = vault.hash(phone);
const waste = catalogService();

const openStep = stepItem({
  caseId: 'case1',
  stepId: 'present',
  actor: 'citizen',
  taskToken: 'tok-sms',
  shortCode: 'A7',
  dueAt: '2026-03-04T06:00:00.000Z',
});

const send = (params: Record<string, string>, options = {}) =>
  handler(twilioEvent(params, options), lambdaContext);

beforeEach(() => {
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({
    Item: caseItem({ citizen: { locale: 'nl', phoneHash, phoneEnc: vault.encrypt(phone) } }),
  });
  ddb.on(GetCommand, { Key: keys.step('case1', 'present') }).resolves({ Item: openStep });
  ddb.on(UpdateCommand).resolves({ Attributes: { ...openStep, status: 'DONE' } });
  sfn.on(SendTaskSuccessCommand).resolves({});
});
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('POST /sms/inbound: signature', () => {
  it.each([
    ['a missing signature', { signature: null }],
    ['another auth token', { token: 'not-our-token' }],
    ['another url', { url: 'https://evil.example.com/sms/inbound' }],
  ])('refuses %s with 403 and touches nothing', async (_, options) => {
    const res = await send(twilioParams({ Body: 'STOP' }), options);
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('FORBIDDEN');
    expect(ddb).not.toHaveReceivedAnyCommand();
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('refuses a body changed after signing', async () => {
    const event = twilioEvent(twilioParams({ Body: 'ja' }));
    const res = await handler(
      { ...event, body: String(event.body).replace('Body=ja', 'Body=nee') },
      lambdaContext,
    );
    expect(res.statusCode).toBe(403);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it.each([
    ['a sender that is not an E.164 number', { From: 'anonymous' }],
    ['a national number', { From: '0612345678' }],
    ['a body over 1600 characters', { Body: 'x'.repeat(1601) }],
    ['no message id', { MessageSid: '' }],
  ])('answers a signed message it cannot use (%s) with 200 TwiML and a short help text', async (_, over) => {
    const res = await send(twilioParams(over));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body).toBe(twiml(`${TEXTS.nl.unusable} / ${TEXTS.en.unusable}`));
    expect(ddb).not.toHaveReceivedAnyCommand();
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('refuses a repeated signature header (joined with a comma) with 400', async () => {
    const params = twilioParams();
    const event = twilioEvent(params);
    const signature = event.headers['x-twilio-signature'];
    const res = await handler(
      { ...event, headers: { ...event.headers, 'x-twilio-signature': `${signature},${signature}` } },
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});

describe('POST /sms/inbound: messages', () => {
  it('STOP stores the opt-out by phone hash and replies with TwiML', async () => {
    const res = await send(twilioParams({ Body: 'Stop' }), { base64: true });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body).toBe(twiml(`${TEXTS.nl.optedOut} / ${TEXTS.en.optedOut}`));
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        ...keys.inbound('SM0123456789abcdef0123456789abcdef'),
        ttl: expect.any(Number),
        outcome: 'settled',
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: { ...keys.optOut(phoneHash), at: expect.any(String) },
    });
    expect(JSON.stringify(ddb.calls().map((c) => c.args[0].input))).not.toContain('612345678');
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('an answer moves the step OPEN -> DONE once, then completes the task, and confirms', async () => {
    ddb.on(QueryCommand, { IndexName: LAYOUT.byPhone.name }).resolves({ Items: [openStep] });
    const res = await send(twilioParams({ Body: 'A7 ja, bak stond er' }));
    expect(res.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byPhone',
      ExpressionAttributeValues: expect.objectContaining({ ':pk': `PHONE#${phoneHash}` }),
    });
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
      TableName: TABLE,
      Key: keys.step('case1', 'present'),
      ConditionExpression: '#status = :open AND actor = :actor AND attribute_exists(taskToken)',
      ExpressionAttributeValues: expect.objectContaining({
        ':done': 'DONE',
        ':channel': 'sms',
        ':actor': 'citizen',
      }),
    });
    const sealed = ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues?.[':dataEnc'];
    expect(caseCipher(vault, caseItem() as never).openJson(sealed as string)).toEqual({
      presented: true,
      note: 'bak stond er',
    });
    const success = sfn.commandCalls(SendTaskSuccessCommand);
    expect(success).toHaveLength(1);
    expect(success[0]?.args[0].input.taskToken).toBe('tok-sms');
    expect(JSON.parse(success[0]?.args[0].input.output ?? '{}')).toMatchObject({
      stepId: 'present',
      actor: 'citizen',
      channel: 'sms',
      // `present` has no outcome rule: the answer stays sealed in the table.
      data: {},
    });
    // The case is read once (to find the step), the step not at all: the write says which wait it answers.
    expect(ddb.commandCalls(GetCommand, { Key: keys.case('case1') })).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand, { Key: keys.step('case1', 'present') })).toHaveLength(0);
    // The write comes before the task completion: a refused token can then be undone.
    const update = ddb.commandCalls(UpdateCommand)[0];
    expect(update && success[0] && update.calledBefore(success[0])).toBe(true);
    const expected = renderMessage(waste, 'confirmation', 'nl', {
      org: 'Gm0363',
      step: stepTitle(waste, 'present', 'nl'),
      due: '04-03-2026',
      link: `${process.env.PUBLIC_URL}/c/${vault.linkToken('case1')}`,
      code: 'A7',
    });
    expect(res.body).toBe(twiml(expected));
  });

  it('a retried message id acts only once', async () => {
    ddb
      .on(PutCommand, { Item: { pk: 'SMS#SM0123456789abcdef0123456789abcdef' } })
      .rejects(Object.assign(new Error('taken'), { name: 'ConditionalCheckFailedException' }));
    ddb.on(GetCommand, { Key: keys.inbound('SM0123456789abcdef0123456789abcdef') }).resolves({
      Item: { ...keys.inbound('SM0123456789abcdef0123456789abcdef'), ttl: 1, outcome: 'settled' },
    });
    const res = await send(twilioParams({ Body: 'STOP' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(twiml(REPLAYED));
    expect(ddb).not.toHaveReceivedCommandWith(PutCommand, {
      Item: { ...keys.optOut(phoneHash), at: expect.any(String) },
    });
  });
});

describe('twiml', () => {
  it('escapes XML', () => {
    expect(twiml('a < b & "c"')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>a &lt; b &amp; &quot;c&quot;</Message></Response>',
    );
  });
});
