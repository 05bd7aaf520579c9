import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import { caseCipher } from '../../../functions/domain/case-keys';
import type { CaseRecord } from '../../../functions/domain/model';
import { PiiVault } from '../../../functions/domain/pii';
import { TEXTS } from '../../../functions/domain/sms-texts';
import { REPLAYED } from '../../../functions/sms/inbound';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';
import { lambdaContext } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';
import { twilioEvent, twilioParams } from '../../support/twilio';

// The AWS two-way SMS path (End User Messaging -> SNS -> this function) on a real DynamoDB API
// (dynalite): the same texts give the same replies as the Twilio webhook, a retried delivery counts
// once, an unusable message is dropped without a trace of its content, transient failures throw.

const sfn = mockClient(SFNClient);
const sms = mockClient(PinpointSMSVoiceV2Client);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const SERVICE_NUMBER = '+3197010000001';
// Warnings are what a dropped message leaves in the log: written here, to check what they hold.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';

let table: LocalTable;
let repo: DynamoCaseRepository;
let topic: typeof import('../../../functions/handlers/sms-inbound-topic').handler;
let webhook: typeof import('../../../functions/handlers/sms-inbound').handler;

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  repo = new DynamoCaseRepository(localDocumentClient(table.endpoint), table.tableName);
  topic = (await import('../../../functions/handlers/sms-inbound-topic')).handler;
  webhook = (await import('../../../functions/handlers/sms-inbound')).handler;
}, 30_000);
afterAll(() => table?.stop());
beforeEach(() => {
  sfn.on(SendTaskSuccessCommand).resolves({});
  sms.on(SendTextMessageCommand).resolves({ MessageId: 'out-1' });
});
afterEach(() => {
  sfn.reset();
  sms.reset();
  vi.restoreAllMocks();
});

/** Two cases of one phone, each with its open `present` step (codes A7 and B3). */
async function phoneWithTwoOpenSteps(phone: string, prefix: string): Promise<void> {
  for (const [n, code] of [
    [1, 'A7'],
    [2, 'B3'],
  ] as const) {
    const caseId = `${prefix}-${n}`;
    const record: CaseRecord = {
      caseId,
      serviceId: 'waste-collection',
      org: 'gemeente-utrecht',
      status: 'ACTIVE',
      stage: 'round',
      citizen: { locale: 'nl', phoneHash: vault.hash(phone), phoneEnc: vault.encrypt(phone) },
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-01T08:00:00.000Z',
      requestHash: 'h',
      linkExpiresAt: '2099-06-01T08:00:00.000Z',
      ttl: 4_000_000_000,
    };
    await repo.createCase(record, `link-${caseId}`);
    await repo.openStep(
      {
        caseId,
        stepId: 'present',
        actor: 'citizen',
        visit: 1,
        taskToken: `tok-${caseId}`,
        openedAt: '2026-03-02T06:00:00.000Z',
        dueAt: '2026-03-04T06:00:00.000Z',
        expiresAt: '2026-03-09T06:00:00.000Z',
        phoneHash: vault.hash(phone),
        shortCode: code,
      },
      'invite',
    );
  }
}

const snsEvent = (message: unknown, id = 'sns-1') => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      Sns: {
        Type: 'Notification',
        MessageId: id,
        TopicArn: 'arn:aws:sns:eu-west-1:000000000000:coproduce-test-sms-inbound',
        Message: typeof message === 'string' ? message : JSON.stringify(message),
      },
    },
  ],
});

const twoWay = (from: string, body: string, id: string) => ({
  originationNumber: from,
  destinationNumber: SERVICE_NUMBER,
  messageKeyword: 'KEYWORD_000000000000',
  messageBody: body,
  inboundMessageId: id,
  previousPublishedMessageId: 'out-0',
});

/** Delivers a text on the SNS path; returns the reply it sent (or undefined). */
async function bySns(from: string, body: string, id: string): Promise<string | undefined> {
  const before = sms.commandCalls(SendTextMessageCommand).length;
  await topic(snsEvent(twoWay(from, body, id)), lambdaContext);
  const call = sms.commandCalls(SendTextMessageCommand)[before];
  if (!call) return undefined;
  expect(call.args[0].input).toEqual({
    DestinationPhoneNumber: from,
    OriginationIdentity: SERVICE_NUMBER,
    MessageBody: call.args[0].input.MessageBody,
    MessageType: 'TRANSACTIONAL',
  });
  return call.args[0].input.MessageBody;
}

async function byWebhook(from: string, body: string, id: string): Promise<string | undefined> {
  const res = await webhook(
    twilioEvent(twilioParams({ From: from, Body: body, MessageSid: id })),
    lambdaContext,
  );
  expect(res.statusCode).toBe(200);
  return /<Message>(.*)<\/Message>/s.exec(res.body)?.[1]?.replaceAll('&apos;', "'");
}

/** Links differ per case; everything else in a reply must be the same. */
const sameLinks = (text: string | undefined) => text?.replace(/\/c\/[A-Za-z0-9_-]+/g, '/c/LINK');

/** The answers of the case's `present` step, opened with the case's key (they are stored sealed). */
async function answers(caseId: string) {
  const [record, step] = await Promise.all([repo.getCase(caseId), repo.getStep(caseId, 'present')]);
  return record && caseCipher(vault, record).openJson(step?.dataEnc);
}

describe('inbound SMS over SNS', () => {
  it('replies exactly as the Twilio webhook does: keywords, short codes, answers, retries', async () => {
    await phoneWithTwoOpenSteps('+31611111111', 'sns');
    await phoneWithTwoOpenSteps('+31622222222', 'web');
    const texts: [string, string][] = [
      ['HELP', 'm1'],
      ['ja', 'm2'],
      ['Z9 ja', 'm3'],
      ['A7 ja, bak stond er', 'm4'],
      ['A7 ja, bak stond er', 'm4'], // the same message delivered again
      ['STOP', 'm5'],
      ['START', 'm6'],
      ['nee', 'm7'],
    ];
    const replies: { sns?: string; web?: string }[] = [];
    for (const [body, id] of texts) {
      replies.push({
        sns: sameLinks(await bySns('+31611111111', body, `sns-${id}`)),
        web: sameLinks(await byWebhook('+31622222222', body, `web-${id}`)),
      });
    }
    for (const r of replies) expect(r.sns).toBe(r.web);
    expect(replies.map((r) => r.sns)).toEqual([
      expect.stringContaining('A7'),
      expect.stringContaining('Welke stap bedoelt u?'),
      expect.stringContaining('Code Z9 kennen we niet'),
      expect.stringContaining('dank u, uw antwoord is binnen'),
      REPLAYED,
      TEXTS.nl.optedOut,
      TEXTS.nl.optedIn,
      expect.stringContaining('dank u, uw antwoord is binnen'),
    ]);
    // Each answer completed its task once, on both paths.
    const tokens = sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input.taskToken);
    expect(tokens.sort()).toEqual(['tok-sns-1', 'tok-sns-2', 'tok-web-1', 'tok-web-2']);
    const answered = await repo.getStep('sns-1', 'present');
    expect(answered).toMatchObject({ status: 'DONE', channel: 'sms' });
    expect(await answers('sns-1')).toEqual({ presented: true, note: 'bak stond er' });
  });

  it.each([
    ['not JSON', snsEvent('{"originationNumber": "+316')],
    ['not a two-way payload', snsEvent({ hello: 'world' })],
    ['a sender that is not a phone number', snsEvent(twoWay('anonymous', 'ja', 'bad-1'))],
    ['a text over 1600 characters', snsEvent(twoWay('+31633333333', 'x'.repeat(1601), 'bad-2'))],
    ['a message id that is not an id', snsEvent(twoWay('+31633333333', 'ja', 'not an id!'))],
    ['no SNS records at all', { Records: 'x' }],
  ])('drops %s: no throw, nothing stored or sent, no content logged', async (_, event) => {
    const lines: string[] = [];
    const keep = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    // Warnings go to stderr.
    vi.spyOn(process.stdout, 'write').mockImplementation(keep);
    vi.spyOn(process.stderr, 'write').mockImplementation(keep);
    await expect(topic(event, lambdaContext)).resolves.toBeUndefined();
    expect(sms).not.toHaveReceivedAnyCommand();
    expect(sfn).not.toHaveReceivedAnyCommand();
    for (const id of ['bad-1', 'bad-2', 'not an id!']) {
      const claim = await localDocumentClient(table.endpoint).send(
        new GetCommand({ TableName: table.tableName, Key: keys.inbound(id) }),
      );
      expect(claim.Item).toBeUndefined();
    }
    const log = lines.join('');
    expect(log).toContain('inbound SMS dropped');
    expect(log).not.toMatch(/633333333|xxxxxxxx|anonymous|\+316|not an id/);
  });

  it('a throttled engine throws (Lambda retries); the retry counts the answer once', async () => {
    await phoneWithTwoOpenSteps('+31644444444', 'retry');
    sfn
      .on(SendTaskSuccessCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const event = snsEvent(twoWay('+31644444444', 'A7 ja', 'retry-1'));
    await expect(topic(event, lambdaContext)).rejects.toThrow('Rate exceeded');
    expect(sms).not.toHaveReceivedAnyCommand();
    await expect(topic(event, lambdaContext)).resolves.toBeUndefined();
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, { MessageBody: REPLAYED });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(await repo.getStep('retry-1', 'present')).toMatchObject({ status: 'DONE' });
    expect(await answers('retry-1')).toEqual({ presented: true });
  });

  it('a throttled reply throws for a retry; a reply AWS refuses for good is logged and dropped', async () => {
    await phoneWithTwoOpenSteps('+31655555555', 'reply');
    sms
      .on(SendTextMessageCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(topic(snsEvent(twoWay('+31655555555', 'HELP', 'reply-1')), lambdaContext)).rejects.toThrow(
      'slow down',
    );
    sms
      .on(SendTextMessageCommand)
      .rejects(Object.assign(new Error('opted out'), { name: 'ConflictException' }));
    await expect(
      topic(snsEvent(twoWay('+31655555555', 'STOP', 'reply-2')), lambdaContext),
    ).resolves.toBeUndefined();
    // The text itself was handled: the opt-out is stored.
    expect(await repo.isOptedOut(vault.hash('+31655555555'))).toBe(true);
  });
});

describe('a replayed message, on both inbound paths', () => {
  /** Stage 2 of the case: the provider's collection reported, the household's feedback open. */
  async function nextStage(caseId: string, phone: string) {
    await repo.openStep(
      {
        caseId,
        stepId: 'household-feedback',
        actor: 'citizen',
        visit: 2,
        taskToken: `tok-${caseId}-feedback`,
        openedAt: '2026-03-05T06:00:00.000Z',
        dueAt: '2026-03-08T06:00:00.000Z',
        expiresAt: '2026-03-12T06:00:00.000Z',
        phoneHash: vault.hash(phone),
        shortCode: 'C5',
      },
      'invite',
    );
  }
  const paths = [
    ['SNS (AWS two-way SMS)', bySns, '+31677777777', 'replay-sns'],
    ['webhook (Twilio)', byWebhook, '+31688888888', 'replay-web'],
  ] as const;

  it.each(paths)(
    '%s: after the step moved on, a copy answers nothing and shows no link',
    async (_, send, phone, prefix) => {
      await phoneWithTwoOpenSteps(phone, prefix);
      const first = await send(phone, 'A7 nee', `${prefix}-m1`);
      expect(first).toContain('/c/');
      await nextStage(`${prefix}-1`, phone);
      await repo.closeCase(`${prefix}-2`, 'COMPLETED');
      // Without a code the copy would fit the one open step (the feedback); it must not be read as that.
      for (const body of ['A7 nee', 'nee']) {
        const again = await send(phone, body, `${prefix}-m1`);
        expect(again).toBe(REPLAYED);
        expect(again).not.toContain('/c/');
      }
      expect(await repo.getStep(`${prefix}-1`, 'household-feedback')).toMatchObject({ status: 'OPEN' });
      expect(await answers(`${prefix}-1`)).toEqual({ presented: false });
      expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input.taskToken)).toEqual([
        `tok-${prefix}-1`,
      ]);
    },
  );

  it.each(paths)('%s: after the case ended, a copy changes nothing', async (_, send, phone, prefix) => {
    await phoneWithTwoOpenSteps(phone, `${prefix}-end`);
    expect(await send(phone, 'B3 ja', `${prefix}-end-m1`)).toContain('/c/');
    await repo.closeCase(`${prefix}-end-2`, 'CANCELLED', 'moved away');
    const view = await repo.getCaseView(`${prefix}-end-2`);
    expect(await send(phone, 'B3 ja', `${prefix}-end-m1`)).toBe(REPLAYED);
    expect(await repo.getCaseView(`${prefix}-end-2`)).toEqual(view);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });
});

describe('a table that is throttled', () => {
  it('throws, so that Lambda retries the delivery', async () => {
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const ddb = mockClient(DynamoDBDocumentClient);
    try {
      ddb.on(PutCommand).resolves({});
      ddb
        .on(QueryCommand)
        .rejects(Object.assign(new Error('throughput'), { name: 'ProvisionedThroughputExceededException' }));
      await expect(
        topic(snsEvent(twoWay('+31666666666', 'ja', 'throttled-1')), lambdaContext),
      ).rejects.toThrow('throughput');
      expect(sms).not.toHaveReceivedAnyCommand();
    } finally {
      ddb.restore();
    }
  });
});
