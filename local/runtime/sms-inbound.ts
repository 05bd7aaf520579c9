/**
 * SMS into the system, locally, the way each provider delivers it:
 * - `aws` (the template has the inbound topic, i.e. a topic the sms-inbound-topic function subscribes
 *   to): End User Messaging's two-way SMS publishes the two-way payload on the topic;
 * - `twilio` (the template routes POST /sms/inbound): Twilio posts a signed webhook and sends the TwiML
 *   reply.
 * `fromPhone` is a phone texting the service number (POST /local/sms, `npm run sms`); it answers with
 * the reply the phone gets. `carrier` keeps the v1 contract under `aws`: a Twilio-signed POST
 * /sms/inbound is checked, published on the topic, and answered with TwiML holding the reply SMS.
 * https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  type FormParams,
  twilioSignature,
  verifyTwilioSignature,
} from '../../functions/sms/twilio-signature';
import { match, type RouteSpec } from './gateway';
import type { FunctionSpec } from './lambda';
import { ACCOUNT } from './names';
import type { Outbox, SmsProvider } from './outbox';
import type { LocalSecrets } from './secrets';
import type { LocalSns, TopicSpec } from './sns';
import { LOCAL_TWILIO_FROM, type TwilioAccount } from './twilio';
import { twimlMessages, twimlResponse } from './twiml';

export interface InboundSetup {
  outbox: Outbox;
  /** The SNS inbound path, when the template has it. */
  aws?: { sns: LocalSns; topic: TopicSpec };
  /** The template routes POST /sms/inbound to a function (Twilio's webhook). */
  twilioWebhook: boolean;
  gatewayUrl: string;
  /** The URL Twilio signs is `<publicUrl>/sms/inbound`. */
  publicUrl: string;
  /** The service's number: what citizens text. */
  serviceNumber: string;
  twilioAccountSid: string;
  twilioToken: () => string;
}

export interface InboundResult {
  provider: SmsProvider;
  messageId: string;
  replies: string[];
}

export class InboundError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const E164 = /^\+[1-9]\d{7,14}$/;
/** Keywords End User Messaging registers on a number by default; other messages carry the account's keyword. */
const DEFAULT_KEYWORDS = new Set(['HELP', 'STOP']);

export class LocalSmsInbound {
  constructor(private readonly setup: InboundSetup) {}

  get provider(): SmsProvider | undefined {
    if (this.setup.aws) return 'aws';
    return this.setup.twilioWebhook ? 'twilio' : undefined;
  }

  async fromPhone(from: string, body: string): Promise<InboundResult> {
    if (this.setup.aws) return this.publish(from, body, randomUUID());
    if (this.setup.twilioWebhook) return this.postWebhook(from, body);
    throw new InboundError(
      409,
      'NO_INBOUND_SMS',
      'This template has no inbound SMS path (no inbound topic, no POST /sms/inbound)',
    );
  }

  /** Publishes the two-way payload on the inbound topic and waits for the subscriber's first attempt. */
  private async publish(from: string, body: string, inboundMessageId: string): Promise<InboundResult> {
    const aws = this.setup.aws as NonNullable<InboundSetup['aws']>;
    const outbox = this.setup.outbox;
    const before = outbox.count;
    const previous = outbox.lastAwsMessageTo(from);
    const first = body.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    const payload = {
      originationNumber: from,
      destinationNumber: this.setup.serviceNumber,
      messageKeyword: DEFAULT_KEYWORDS.has(first) ? first : `KEYWORD_${ACCOUNT}`,
      messageBody: body,
      inboundMessageId,
      ...(previous ? { previousPublishedMessageId: previous } : {}),
    };
    const { deliveries } = aws.sns.publish({ TopicArn: aws.topic.arn, Message: JSON.stringify(payload) });
    await Promise.all(deliveries.map((d) => d.firstAttempt));
    const replies = outbox.since(before).filter((m) => m.to === from);
    return { provider: 'aws', messageId: inboundMessageId, replies: replies.map((m) => m.body) };
  }

  /** Posts the webhook Twilio would post, signed with the local Twilio token; Twilio then sends the TwiML reply. */
  private async postWebhook(from: string, body: string): Promise<InboundResult> {
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const params: [string, string][] = [
      ['AccountSid', this.setup.twilioAccountSid],
      ['Body', body],
      ['From', from],
      ['MessageSid', messageSid],
      ['NumMedia', '0'],
      ['SmsMessageSid', messageSid],
      ['To', this.setup.serviceNumber],
    ];
    const outbox = this.setup.outbox;
    const before = outbox.count;
    const res = await fetch(`${this.setup.gatewayUrl}/sms/inbound`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(
          this.setup.twilioToken(),
          `${this.setup.publicUrl}/sms/inbound`,
          params,
        ),
      },
      body: new URLSearchParams(params).toString(),
    });
    const text = await res.text();
    if (!res.ok)
      throw new InboundError(
        502,
        'WEBHOOK_FAILED',
        `POST /sms/inbound answered ${res.status}: ${text.slice(0, 300)}`,
      );
    const sent = outbox
      .since(before)
      .filter((m) => m.to === from)
      .map((m) => m.body);
    const twiml = twimlMessages(text);
    for (const reply of twiml)
      outbox.add({ provider: 'twilio', to: from, from: this.setup.serviceNumber, body: reply });
    return { provider: 'twilio', messageId: messageSid, replies: [...sent, ...twiml] };
  }

  /** The v1 webhook contract under `aws`: a Twilio-signed POST /sms/inbound, answered with TwiML. */
  async carrier(params: FormParams, signature: string | undefined, res: ServerResponse): Promise<void> {
    const json = (status: number, code: string, message: string) =>
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code, message } }));
    const url = `${this.setup.publicUrl}/sms/inbound`;
    if (!verifyTwilioSignature(this.setup.twilioToken(), url, params, signature))
      return void json(
        403,
        'FORBIDDEN',
        'The X-Twilio-Signature header is missing or does not match this request.',
      );
    const get = (name: string) => params.find(([k]) => k === name)?.[1];
    const from = get('From') ?? '';
    const body = get('Body');
    const sid = get('MessageSid') ?? '';
    if (!E164.test(from)) return void json(400, 'VALIDATION', 'From must be a phone number in E.164 form');
    if (body === undefined || body.length > 1600)
      return void json(400, 'VALIDATION', 'Body is missing or longer than 1600 characters');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(sid))
      return void json(400, 'VALIDATION', 'MessageSid must be a message id');
    const { replies } = await this.publish(from, body, sid);
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(twimlResponse(replies));
  }
}

/** How SMS comes in under this template: the provider's path, the service number, the signed URL. */
export function inboundSetup(p: {
  functions: FunctionSpec[];
  routes: RouteSpec[];
  sns: LocalSns;
  outbox: Outbox;
  url: string;
  twilio: TwilioAccount;
  secrets: LocalSecrets;
}): InboundSetup {
  const subscriber = p.functions.find((f) => f.handlerName === 'sms-inbound-topic');
  const topic = subscriber ? p.sns.topicSubscribedBy(subscriber.arn) : undefined;
  const webhook = match(p.routes, 'POST', '/sms/inbound')?.route;
  const receiver = subscriber ?? p.functions.find((f) => f.arn === webhook?.functionArn);
  const numbers = topic ? p.functions.map((f) => f.env.SMS_ORIGINATION_IDENTITY) : [...p.twilio.senders];
  return {
    outbox: p.outbox,
    ...(topic ? { aws: { sns: p.sns, topic } } : {}),
    twilioWebhook: webhook !== undefined,
    gatewayUrl: p.url,
    publicUrl: receiver?.env.PUBLIC_URL || p.url,
    // An origination identity may be an ARN or a pool: then the local service number stands in.
    serviceNumber: numbers.find((n): n is string => n !== undefined && E164.test(n)) ?? LOCAL_TWILIO_FROM,
    twilioAccountSid: p.twilio.sid,
    twilioToken: () => p.secrets.twilioToken(),
  };
}
