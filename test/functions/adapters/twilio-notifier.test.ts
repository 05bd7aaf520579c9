import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type RetryPolicy,
  TwilioNotifier,
  TwilioSendError,
  twilioSettings,
} from '../../../functions/adapters/twilio-notifier';
import { captureMetrics, smsSendFailedRecord } from '../../support/metrics';

// Against a local HTTP server standing in for api.twilio.com: real fetch, real form bodies and headers.

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';
const PHONE = '+31612345678';

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  form: Record<string, string>;
}
type Answer = (res: ServerResponse) => void;

let server: Server;
let apiUrl: string;
let seen: Seen[] = [];
let answers: Answer[] = [];

const created: Answer = (res) => {
  res.writeHead(201, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ sid: 'SM123', status: 'queued' }));
};
const failed =
  (status: number, code?: number, headers: Record<string, string> = {}): Answer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ code, message: `The 'To' number ${PHONE} is not valid.`, status }));
  };
const hangUp: Answer = (res) => res.socket?.destroy();
const silent: Answer = () => undefined;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
        form: Object.fromEntries(new URLSearchParams(body)),
      });
      (answers.shift() ?? created)(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let metrics: ReturnType<typeof captureMetrics>;
const sleeps: number[] = [];
const retry: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  timeoutMs: 300,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  random: () => 0.5,
};
const tokens = vi.fn(async (_options?: { refresh?: boolean }) => 'token-1');
const notifier = (from = '+3197010000000') =>
  new TwilioNotifier(twilioSettings({ apiUrl, accountSid: ACCOUNT, from }, tokens), retry);
const basic = (token: string) => `Basic ${Buffer.from(`${ACCOUNT}:${token}`).toString('base64')}`;

beforeEach(() => {
  seen = [];
  answers = [];
  sleeps.length = 0;
  tokens.mockClear();
  metrics = captureMetrics();
});
afterEach(() => metrics.restore());

describe('TwilioNotifier', () => {
  it('posts To, From and Body to the Messages API with Basic auth from the secret', async () => {
    await notifier().sendSms(PHONE, 'Hallo, ‘A7’ ja');
    expect(seen).toEqual([
      {
        method: 'POST',
        url: `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`,
        authorization: basic('token-1'),
        form: { To: PHONE, From: '+3197010000000', Body: 'Hallo, ‘A7’ ja' },
      },
    ]);
    expect(metrics.records()).toEqual([]);
  });

  it('sends through a Messaging Service when the sender is an MG... SID', async () => {
    await notifier(SERVICE).sendSms(PHONE, 'Hallo');
    expect(seen[0]?.form).toEqual({ To: PHONE, MessagingServiceSid: SERVICE, Body: 'Hallo' });
  });

  it('retries throttling and Twilio failures with jittered backoff, honouring Retry-After', async () => {
    answers = [failed(429, 20429, { 'retry-after': '0.6' }), failed(503)];
    await notifier().sendSms(PHONE, 'Hallo');
    expect(seen).toHaveLength(3);
    // Full jitter at 0.5 of 100 ms would be 50 ms; Retry-After asks 600. Then 0.5 of 200 ms.
    expect(sleeps).toEqual([600, 100]);
    expect(metrics.records()).toEqual([]);
  });

  it('retries a dropped connection and a request that never gets an answer', async () => {
    answers = [hangUp, silent];
    await notifier().sendSms(PHONE, 'Hallo');
    expect(seen).toHaveLength(3);
  });

  it('gives up after the last attempt: throws, and counts SmsSendFailed once', async () => {
    answers = [failed(500), failed(502), failed(503)];
    const error = await notifier()
      .sendSms(PHONE, 'Hallo')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioSendError);
    expect(error).toMatchObject({ name: 'TwilioSendError', status: 503 });
    expect(seen).toHaveLength(3);
    expect(metrics.records()).toEqual([smsSendFailedRecord]);
  });

  it('does not retry a refused message, and never repeats what Twilio said about the number', async () => {
    answers = [failed(400, 21211)];
    const error = (await notifier()
      .sendSms(PHONE, 'Hallo')
      .catch((e: unknown) => e)) as TwilioSendError;
    expect(error).toMatchObject({ status: 400, code: 21211 });
    expect(error.message).not.toContain('612345678');
    expect(seen).toHaveLength(1);
    expect(metrics.records()).toEqual([smsSendFailedRecord]);
  });

  it('reads the token again when Twilio refuses it (a rotation), once', async () => {
    tokens.mockImplementation(async (options) => (options?.refresh ? 'token-2' : 'token-1'));
    answers = [failed(401, 20003)];
    await notifier().sendSms(PHONE, 'Hallo');
    expect(seen.map((s) => s.authorization)).toEqual([basic('token-1'), basic('token-2')]);
    expect(sleeps).toEqual([]);

    seen = [];
    answers = [failed(401, 20003), failed(401, 20003)];
    await expect(notifier().sendSms(PHONE, 'Hallo')).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveLength(2);
  });
});

describe('twilioSettings', () => {
  it('names the variable that does not fit', () => {
    const ok = { apiUrl: 'https://api.twilio.com/', accountSid: ACCOUNT, from: '+3197010000000' };
    expect(twilioSettings(ok, tokens).apiUrl).toBe('https://api.twilio.com');
    expect(() => twilioSettings({ ...ok, accountSid: 'AC1' }, tokens)).toThrow(/TWILIO_ACCOUNT_SID/);
    expect(() => twilioSettings({ ...ok, from: '0612345678' }, tokens)).toThrow(/TWILIO_FROM/);
    expect(() => twilioSettings({ ...ok, apiUrl: 'api.twilio.com' }, tokens)).toThrow(/TWILIO_API_URL/);
  });
});
