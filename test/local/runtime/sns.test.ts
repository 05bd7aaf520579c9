import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { writeAssembly } from './fixture';

// biome-ignore lint/suspicious/noExplicitAny: the test reads deep into events it just asserted on
type Loose = any;

const root = join(process.cwd(), '.data', 'test-fixtures');
let cdkOut: string;
let dataDir: string;
let rt: Runtime;
const lines: string[] = [];
const seenFile = () => join(dataDir, 'seen.jsonl');

// Every function appends what it received to DATA_DIR/seen.jsonl.
const RECORDER = `
  const { appendFileSync } = require('node:fs');
  exports.handler = async (event, context) => {
    appendFileSync(process.env.SEEN_FILE, JSON.stringify({ fn: context.functionName, event }) + '\\n');
    return { ok: true };
  };`;

const topic = (id: string, subscribers: string[], extra: Record<string, unknown> = {}) => ({
  [id]: { Type: 'AWS::SNS::Topic', Properties: {} },
  ...Object.fromEntries(
    subscribers.map((fn) => [
      `${id}${fn}Subscription`,
      {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          Protocol: 'lambda',
          TopicArn: { Ref: id },
          Endpoint: { 'Fn::GetAtt': [fn, 'Arn'] },
          ...((extra[fn] as object) ?? {}),
        },
      },
    ]),
  ),
});

const allowSns = (fn: string, topicId: string) => ({
  [`${fn}${topicId}Permission`]: {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topicId },
    },
  },
});

function assembly(seen: string): string {
  const fn = (name: string) => ({
    code: RECORDER,
    description: `coproduce ${name}`,
    environment: { SEEN_FILE: seen },
  });
  return writeAssembly(
    root,
    {
      Receiver: fn('receiver'),
      Filtered: fn('filtered'),
      Unpermitted: fn('unpermitted'),
      Picky: fn('picky'),
      Brief: fn('brief'),
      Dlq: fn('dlq'),
    },
    {
      ...topic('Main', ['Receiver', 'Filtered', 'Unpermitted'], {
        Filtered: { FilterPolicy: { kind: ['important'], size: [{ numeric: ['>', 10] }] } },
        Unpermitted: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Undelivered', 'Arn'] } } },
      }),
      Undelivered: { Type: 'AWS::SQS::Queue', Properties: {} },
      ...allowSns('Receiver', 'Main'),
      ...allowSns('Filtered', 'Main'),
      ...topic('Retried', ['Picky']),
      ...allowSns('Picky', 'Retried'),
      ...topic('Aged', ['Brief']),
      ...allowSns('Brief', 'Aged'),
      PickyConfig: {
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: {
          FunctionName: { Ref: 'Picky' },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 1,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } },
        },
      },
      BriefConfig: {
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: {
          FunctionName: { Ref: 'Brief' },
          Qualifier: '$LATEST',
          MaximumEventAgeInSeconds: 60,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } },
        },
      },
    },
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coproduce-sns-'));
  cdkOut = assembly(seenFile());
  rt = await startRuntime({
    cdkOut,
    dataDir,
    port: 0,
    sweepIntervalMs: 3_600_000,
    log: (l) => lines.push(l),
  });
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cdkOut, { recursive: true, force: true });
});

const topicArn = (id: string) => (rt.sns.topics.find((t) => t.logicalId === id) as { arn: string }).arn;

/** Publish as the SDK does: the query protocol, form-encoded. */
async function publish(params: Record<string, string>) {
  const res = await fetch(rt.servicesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', ...params }).toString(),
  });
  const text = await res.text();
  await rt.asyncLambda.idle();
  return { status: res.status, text, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] };
}

function seen(): { fn: string; event: Loose }[] {
  if (!existsSync(seenFile())) return [];
  return readFileSync(seenFile(), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
const seenBy = (handler: string) => seen().filter((s) => s.fn === `demo-stack-${handler}`);

describe('Publish', () => {
  it('delivers the SNS event AWS builds to a Lambda subscription', async () => {
    const res = await publish({
      TopicArn: topicArn('Main'),
      Message: '{"originationNumber":"+31612345678"}',
      'MessageAttributes.entry.1.Name': 'kind',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'routine',
    });
    expect(res.status).toBe(200);
    const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(res.text)?.[1];
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    const [delivery] = seenBy('Receiver');
    const record = delivery?.event.Records[0];
    expect(delivery?.event.Records).toHaveLength(1);
    expect(record).toMatchObject({
      EventVersion: '1.0',
      EventSource: 'aws:sns',
      EventSubscriptionArn: expect.stringMatching(
        /^arn:aws:sns:eu-west-1:000000000000:demo-stack-Main-\w+:[0-9a-f-]{36}$/,
      ),
      Sns: {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: topicArn('Main'),
        Subject: null,
        Message: '{"originationNumber":"+31612345678"}',
        MessageAttributes: { kind: { Type: 'String', Value: 'routine' } },
        SignatureVersion: '1',
        UnsubscribeUrl: expect.stringContaining('Action=Unsubscribe&SubscriptionArn=arn:aws:sns:'),
      },
    });
    expect(new Date(record.Sns.Timestamp).toISOString()).toBe(record.Sns.Timestamp);
    expect(Buffer.from(record.Sns.Signature, 'base64')).toHaveLength(256);
    // The filter policy kept the message from Filtered; Unpermitted has no Lambda permission for SNS.
    expect(seenBy('Filtered')).toHaveLength(0);
    expect(seenBy('Unpermitted')).toHaveLength(0);
    expect(lines.some((l) => l.includes('no AWS::Lambda::Permission lets sns.amazonaws.com invoke'))).toBe(
      true,
    );
  });

  it('applies a subscription filter policy to the message attributes', async () => {
    await publish({
      TopicArn: topicArn('Main'),
      Message: 'x',
      'MessageAttributes.entry.1.Name': 'kind',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'important',
      'MessageAttributes.entry.2.Name': 'size',
      'MessageAttributes.entry.2.Value.DataType': 'Number',
      'MessageAttributes.entry.2.Value.StringValue': '11',
    });
    expect(seenBy('Filtered')).toHaveLength(1);
  });

  it('sends a MessageStructure=json message its "lambda" entry', async () => {
    await publish({
      TopicArn: topicArn('Main'),
      MessageStructure: 'json',
      Message: JSON.stringify({ default: 'for all', lambda: 'for Lambda' }),
    });
    expect(seenBy('Receiver').at(-1)?.event.Records[0].Sns.Message).toBe('for Lambda');
  });

  it('refuses what SNS refuses, with its error codes', async () => {
    const arn = topicArn('Main');
    expect(await publish({ TopicArn: `${arn}-gone`, Message: 'x' })).toMatchObject({
      status: 404,
      code: 'NotFound',
    });
    expect(await publish({ TopicArn: arn, Message: '' })).toMatchObject({
      status: 400,
      code: 'InvalidParameter',
    });
    const before = seenBy('Receiver').length;
    const tooLong = await publish({ TopicArn: arn, Message: `${'é'.repeat(131_072)}x` });
    expect(tooLong).toMatchObject({ status: 400, code: 'InvalidParameter' });
    expect(tooLong.text).toContain('Message too long');
    expect(await publish({ TopicArn: arn, Message: 'x'.repeat(262_144) })).toMatchObject({ status: 200 });
    expect(await publish({ TopicArn: arn, Message: 'x', Subject: 's'.repeat(101) })).toMatchObject({
      status: 400,
    });
    expect(
      await publish({ TopicArn: arn, MessageStructure: 'json', Message: '{"lambda":"no default"}' }),
    ).toMatchObject({ status: 400, code: 'InvalidParameter' });
    expect(await publish({ Message: 'x' })).toMatchObject({ status: 400, code: 'InvalidParameter' });
    const other = await fetch(rt.servicesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=CreateTopic&Version=2010-03-31&Name=x',
    });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('<Code>InvalidAction</Code>');
    expect(seenBy('Receiver').length - before).toBe(1); // only the message of exactly 256 KB
  });
});

describe('asynchronous invocation', () => {
  it('retries a failing function twice, one and two minutes apart, then drops the event with a log line', async () => {
    await fetch(`${rt.url}/local/faults`, {
      method: 'POST',
      body: JSON.stringify({ function: 'receiver', times: 3, error: 'Case.Broken' }),
    });
    const stats = () => ({ invocations: 0, errors: 0, ...rt.lambda.stats.get('demo-stack-Receiver') });
    const before = stats();
    const errors = () => stats().errors - before.errors;
    await publish({ TopicArn: topicArn('Main'), Message: 'retry me' });
    expect(errors()).toBe(1);
    await rt.advance(59);
    expect(errors()).toBe(1);
    await rt.advance(1);
    expect(errors()).toBe(2);
    await rt.advance(120);
    expect(errors()).toBe(3);
    expect(
      lines.some((l) => /RetriesExhausted after 3 attempt\(s\), event dropped: Case.Broken/.test(l)),
    ).toBe(true);
    await rt.advance(600);
    expect(stats().invocations - before.invocations).toBe(3);
  });

  it('follows EventInvokeConfig: fewer retries, then the record to the on-failure destination', async () => {
    await fetch(`${rt.url}/local/faults`, {
      method: 'POST',
      body: JSON.stringify({ function: 'picky', times: 5, error: 'Case.Broken', message: 'no' }),
    });
    await publish({ TopicArn: topicArn('Retried'), Message: 'once more' });
    await rt.advance(60);
    await rt.asyncLambda.idle();
    const [record] = seenBy('Dlq').map((s) => s.event);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        condition: 'RetriesExhausted',
        approximateInvokeCount: 2,
        functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:demo-stack-Picky:$LATEST',
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Case.Broken', errorMessage: 'no' },
    });
    expect(record.requestPayload.Records[0].Sns.Message).toBe('once more');
    const sent =
      /demo-stack-Picky .*RetriesExhausted after 2 attempt\(s\), sent to arn:aws:lambda:.*:demo-stack-Dlq: Case\.Broken: no/;
    expect(lines.some((l) => sent.test(l))).toBe(true);
    expect((await (await fetch(`${rt.url}/local/faults`)).json()) as Loose).toMatchObject({
      faults: [{ function: 'picky', remaining: 3 }],
    });
  });

  it('gives up when the next attempt would be older than MaximumEventAgeInSeconds', async () => {
    await fetch(`${rt.url}/local/faults`, {
      method: 'POST',
      body: JSON.stringify({ function: 'brief', times: 1, error: 'Case.Broken' }),
    });
    const before = seenBy('Dlq').length;
    await publish({ TopicArn: topicArn('Aged'), Message: 'hurry' });
    await rt.asyncLambda.idle();
    const records = seenBy('Dlq').slice(before);
    expect(records.map((r) => r.event.requestContext)).toMatchObject([
      { condition: 'EventAgeExceeded', approximateInvokeCount: 1 },
    ]);
    await rt.advance(120);
    expect(seenBy('Brief')).toHaveLength(0);
  });
});
