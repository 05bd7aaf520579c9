import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { API_RESOURCES, allow, route, writeAssembly } from './fixture';

// biome-ignore lint/suspicious/noExplicitAny: the test reads deep into JSON it just asserted on
type Loose = any;

const root = join(process.cwd(), '.data', 'test-fixtures');
const TOKEN = process.env.TWILIO_AUTH_TOKEN as string;
const ACCOUNT = `AC${'1'.repeat(32)}`;
const SERVICE_NUMBER = '+3197012345678';

// smsProvider=aws: the two-way payload arrives through SNS; the reply goes out with SendTextMessage.
const TOPIC_RECEIVER = `
  const { PinpointSMSVoiceV2Client, SendTextMessageCommand } = require('@aws-sdk/client-pinpoint-sms-voice-v2');
  const sms = new PinpointSMSVoiceV2Client({});
  exports.handler = async (event) => {
    const m = JSON.parse(event.Records[0].Sns.Message);
    if (m.messageBody === 'silent') return;
    await sms.send(new SendTextMessageCommand({ DestinationPhoneNumber: m.originationNumber,
      OriginationIdentity: m.destinationNumber, MessageBody: 'echo: ' + m.messageBody + ' (' + m.messageKeyword + ')' }));
  };`;

// smsProvider=twilio: the signed webhook answers with TwiML; other messages go through Twilio's API.
const WEBHOOK = `
  const { createHmac } = require('node:crypto');
  const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
  const sm = new SecretsManagerClient({});
  exports.handler = async (event) => {
    const token = (await sm.send(new GetSecretValueCommand({ SecretId: process.env.TWILIO_AUTH_TOKEN_SECRET_ARN }))).SecretString;
    const params = [...new URLSearchParams(Buffer.from(event.body, 'base64').toString())].sort((a, b) => a[0] < b[0] ? -1 : 1);
    const signed = params.reduce((acc, [k, v]) => acc + k + v, process.env.PUBLIC_URL + '/sms/inbound');
    if (createHmac('sha1', token).update(signed).digest('base64') !== event.headers['x-twilio-signature'])
      return { statusCode: 403, body: 'bad signature' };
    const body = Object.fromEntries(params).Body;
    return { statusCode: 200, headers: { 'content-type': 'text/xml' },
      body: '<?xml version="1.0" encoding="UTF-8"?><Response><Message>echo &amp; ' + body + '</Message></Response>' };
  };`;
const SENDER = `
  const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
  const sm = new SecretsManagerClient({});
  exports.handler = async (event) => {
    const token = (await sm.send(new GetSecretValueCommand({ SecretId: process.env.TWILIO_AUTH_TOKEN_SECRET_ARN }))).SecretString;
    const res = await fetch(process.env.TWILIO_API_URL + '/2010-04-01/Accounts/' + process.env.TWILIO_ACCOUNT_SID + '/Messages.json', {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(process.env.TWILIO_ACCOUNT_SID + ':' + token).toString('base64') },
      body: new URLSearchParams({ To: '+31611111111', From: process.env.TWILIO_FROM, Body: 'Hallo' }),
    });
    return { statusCode: res.status, body: await res.text() };
  };`;

function awsAssembly(): string {
  return writeAssembly(
    root,
    {
      Receiver: {
        code: TOPIC_RECEIVER,
        description: 'coproduce sms-inbound-topic',
        environment: {
          SMS_ORIGINATION_IDENTITY: SERVICE_NUMBER,
          PUBLIC_URL: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] },
        },
        statements: [
          allow('sms-voice:SendTextMessage', [
            'arn:aws:sms-voice:eu-west-1:000000000000:phone-number/*',
            'arn:aws:sms-voice:eu-west-1:000000000000:opt-out-list/*',
          ]),
        ],
      },
    },
    {
      ...API_RESOURCES,
      Inbound: { Type: 'AWS::SNS::Topic', Properties: {} },
      InboundSubscription: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          Protocol: 'lambda',
          TopicArn: { Ref: 'Inbound' },
          Endpoint: { 'Fn::GetAtt': ['Receiver', 'Arn'] },
        },
      },
      ReceiverPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': ['Receiver', 'Arn'] },
          Principal: 'sns.amazonaws.com',
          SourceArn: { Ref: 'Inbound' },
        },
      },
    },
  );
}

function twilioAssembly(): string {
  const readToken = [allow('secretsmanager:GetSecretValue', { Ref: 'TwilioToken' })];
  const environment = {
    TWILIO_AUTH_TOKEN_SECRET_ARN: { Ref: 'TwilioToken' },
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_FROM: SERVICE_NUMBER,
    TWILIO_API_URL: 'https://api.twilio.com',
    PUBLIC_URL: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] },
  };
  return writeAssembly(
    root,
    {
      Webhook: { code: WEBHOOK, description: 'coproduce sms-inbound', environment, statements: readToken },
      Sender: { code: SENDER, description: 'coproduce sender', environment, statements: readToken },
    },
    {
      ...API_RESOURCES,
      ...route('POST /sms/inbound', 'Webhook'),
      ...route('POST /send', 'Sender'),
      TwilioToken: {
        Type: 'AWS::SecretsManager::Secret',
        Properties: { Name: 'coproduce/test/twilio-auth-token' },
      },
    },
  );
}

const dirs: string[] = [];
async function boot(cdkOut: string): Promise<Runtime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'coproduce-sms-'));
  dirs.push(dataDir, cdkOut);
  return startRuntime({ cdkOut, dataDir, port: 0, sweepIntervalMs: 3_600_000 });
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Loose };
};

/** A Twilio-signed webhook request, as the v1 contract's clients send it. */
function signed(url: string, params: Record<string, string>, token = TOKEN) {
  const payload = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], `${url}/sms/inbound`);
  return fetch(`${url}/sms/inbound`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': createHmac('sha1', token).update(payload).digest('base64'),
    },
    body: new URLSearchParams(params).toString(),
  });
}

describe('smsProvider=aws', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await boot(awsAssembly());
  });
  afterAll(() => rt?.stop());

  it('POST /local/sms publishes the two-way payload on the inbound topic and answers with the reply', async () => {
    const res = await post(`${rt.url}/local/sms`, { from: '+31612345678', body: 'ja graag' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      provider: 'aws',
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      replies: ['echo: ja graag (KEYWORD_000000000000)'],
    });
    const [sent] = rt.outbox.list();
    expect(sent).toMatchObject({ provider: 'aws', to: '+31612345678', from: SERVICE_NUMBER });
    const help = await post(`${rt.url}/local/sms`, { from: '+31612345678', body: 'help' });
    expect(help.json.replies).toEqual(['echo: help (HELP)']);
  });

  it('answers a Twilio-signed POST /sms/inbound as a carrier: TwiML with the reply', async () => {
    const params = {
      From: '+31687654321',
      To: SERVICE_NUMBER,
      Body: 'nee <dank>',
      MessageSid: `SM${'a'.repeat(32)}`,
    };
    const res = await signed(rt.url, params);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>echo: nee &lt;dank&gt; (KEYWORD_000000000000)</Message></Response>',
    );
    const silent = await signed(rt.url, { ...params, Body: 'silent' });
    expect(await silent.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('refuses a wrong signature (403) and bad fields (400), and publishes nothing then', async () => {
    const before = rt.outbox.list().length;
    const params = { From: '+31687654321', To: SERVICE_NUMBER, Body: 'ja', MessageSid: 'SM1' };
    const forged = await signed(rt.url, params, 'not-the-token');
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as Loose).error.code).toBe('FORBIDDEN');
    expect((await signed(rt.url, { ...params, From: 'me' })).status).toBe(400);
    expect((await post(`${rt.url}/local/sms`, { from: '0612345678', body: 'ja' })).status).toBe(400);
    expect((await post(`${rt.url}/local/sms`, { from: '+31612345678' })).status).toBe(400);
    expect(rt.outbox.list().length).toBe(before);
  });

  it('`npm run sms` goes through the same path and prints the reply', async () => {
    // Not spawnSync: the runtime answering it lives in this process.
    const stdout = await new Promise<string>((ok, fail) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'local/sms.ts', '+31611112222', 'ja'],
        { env: { ...process.env, COPRODUCE_URL: rt.url, NODE_NO_WARNINGS: '1' } },
        (error, out) => (error ? fail(error) : ok(out)),
      ),
    );
    expect(stdout).toBe('sent through aws; reply:\necho: ja (KEYWORD_000000000000)\n');
  });
});

describe('smsProvider=twilio', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await boot(twilioAssembly());
  });
  afterAll(() => rt?.stop());

  it('POST /local/sms posts a signed webhook; the TwiML reply is what Twilio sends', async () => {
    const res = await post(`${rt.url}/local/sms`, { from: '+31612345678', body: 'ja' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      provider: 'twilio',
      messageId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      replies: ['echo & ja'],
    });
    expect(rt.outbox.list()).toMatchObject([
      { provider: 'twilio', to: '+31612345678', from: SERVICE_NUMBER, body: 'echo & ja' },
    ]);
  });

  it('serves the Messages API to the functions at the rewritten TWILIO_API_URL, into the outbox', async () => {
    const res = await fetch(`${rt.url}/send`, { method: 'POST' });
    expect(res.status).toBe(201);
    const message = (await res.json()) as Loose;
    expect(message).toMatchObject({
      account_sid: ACCOUNT,
      api_version: '2010-04-01',
      to: '+31611111111',
      from: SERVICE_NUMBER,
      body: 'Hallo',
      status: 'queued',
      direction: 'outbound-api',
      num_segments: '1',
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      uri: expect.stringMatching(
        new RegExp(`^/2010-04-01/Accounts/${ACCOUNT}/Messages/SM[0-9a-f]{32}\\.json$`),
      ),
    });
    expect(message.date_created).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
    expect(rt.outbox.list().at(-1)).toMatchObject({
      provider: 'twilio',
      messageId: message.sid,
      body: 'Hallo',
    });
  });

  it('answers like Twilio: 401 without the right credentials, 400 with its error codes', async () => {
    const api = `${rt.servicesUrl}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
    const send = (form: Record<string, string>, auth = `${ACCOUNT}:${TOKEN}`) =>
      fetch(api, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
        body: new URLSearchParams(form),
      });
    const ok = { To: '+31611111111', From: SERVICE_NUMBER, Body: 'x' };
    const denied = await send(ok, `${ACCOUNT}:wrong`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    const code = async (form: Record<string, string>) => ((await (await send(form)).json()) as Loose).code;
    expect(await code({ ...ok, To: '' })).toBe(21604);
    expect(await code({ ...ok, To: '0612' })).toBe(21211);
    expect(await code({ To: ok.To, Body: 'x' })).toBe(21603);
    expect(await code({ ...ok, From: '+31600000000' })).toBe(21606);
    expect(await code({ ...ok, Body: '' })).toBe(21602);
    expect(await code({ ...ok, Body: 'x'.repeat(1601) })).toBe(21617);
    const segmented = (await (await send({ ...ok, Body: 'é'.repeat(161) })).json()) as Loose;
    expect(segmented.num_segments).toBe('2');
    const unicode = (await (await send({ ...ok, Body: '✓'.repeat(71) })).json()) as Loose;
    expect(unicode.num_segments).toBe('2');
  });
});
