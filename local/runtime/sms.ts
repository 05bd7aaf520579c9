/**
 * The outbox: every SMS either provider would have sent, appended to DATA_DIR/outbox.jsonl instead.
 * End User Messaging's SendTextMessage (pinpoint-sms-voice-v2, AWS JSON 1.0) is emulated here; the
 * Twilio Messages API in twilio.ts. The recipient's number is personal data: on disk it is sealed
 * (AES-256-GCM) with a key of the outbox's own (`outbox.jsonl.key`, mode 600), like the table's data;
 * GET /local/outbox shows it opened.
 */

import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { AccessCheck } from './iam';
import { ACCOUNT, REGION } from './names';
import { callerOf, type ServiceGuard, type ServiceHandler } from './services';

export type SmsProvider = 'aws' | 'twilio';

export interface OutboxMessage {
  messageId: string;
  /** Engine clock time (fast-forwarded), ISO. */
  at: string;
  /** Who would have sent it: End User Messaging SMS ('aws') or Twilio. */
  provider: SmsProvider;
  to: string;
  from?: string;
  body: string;
  messageType?: string;
}

/**
 * The resources a SendTextMessage acts on, as IAM sees them: the origination identity (a phone
 * number, pool or sender id, by ARN or id; an E.164 number is the account's phone number with that
 * number; none: AWS picks one of the account's numbers), its opt-out list, the configuration set.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsendusermessagingsmsandvoicev2.html
 */
export function smsChecks(input: Record<string, unknown>): AccessCheck[] {
  const arn = (kind: string, id: string) => `arn:aws:sms-voice:${REGION}:${ACCOUNT}:${kind}/${id}`;
  const given = typeof input.OriginationIdentity === 'string' ? input.OriginationIdentity : '';
  const localNumber = (n: string) => `phone-${createHash('sha256').update(n).digest('hex').slice(0, 32)}`;
  const identity = given.startsWith('arn:')
    ? given
    : given.startsWith('phone-')
      ? arn('phone-number', given)
      : given.startsWith('pool-')
        ? arn('pool', given)
        : /^\+\d+$/.test(given) || given === ''
          ? arn('phone-number', localNumber(given || 'local'))
          : arn('sender-id', `${given}/NL`);
  const resources = [identity, arn('opt-out-list', 'Default')];
  if (typeof input.ConfigurationSetName === 'string')
    resources.push(arn('configuration-set', input.ConfigurationSetName));
  return resources.map((resource) => ({ action: 'sms-voice:SendTextMessage', resource }));
}

export class Outbox {
  private readonly messages: OutboxMessage[] = [];
  /** IAM and faults for SendTextMessage callers (set by the runtime). */
  guard: ServiceGuard = {};
  private readonly key: Buffer;

  constructor(
    private readonly file: string,
    private readonly now: () => number,
    private readonly print: (m: OutboxMessage) => void = () => {},
  ) {
    this.key = outboxKey(`${file}.key`);
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          // Entries from before there were two providers were all sent through AWS; entries from
          // before sealing have `to` in clear.
          const { toSealed, ...entry } = JSON.parse(line) as Omit<OutboxMessage, 'provider'> & {
            toSealed?: string;
          };
          const to = toSealed === undefined ? entry.to : openTo(this.key, toSealed);
          this.messages.push({ provider: 'aws', ...entry, to });
        } catch {
          // a line torn by a kill in mid-write: skip it
        }
      }
    }
  }

  list(): OutboxMessage[] {
    return [...this.messages];
  }

  add(m: Omit<OutboxMessage, 'messageId' | 'at'>, messageId: string = randomUUID()): OutboxMessage {
    const { provider, ...rest } = m;
    const msg: OutboxMessage = { messageId, at: new Date(this.now()).toISOString(), provider, ...rest };
    const { to, ...stored } = msg;
    appendFileSync(this.file, `${JSON.stringify({ ...stored, toSealed: sealTo(this.key, to) })}\n`);
    this.messages.push(msg);
    this.print(msg);
    return msg;
  }

  /** Serves `PinpointSMSVoiceV2.SendTextMessage` on the local AWS endpoint. */
  readonly handle: ServiceHandler = (req, res) => {
    if (req.target !== 'PinpointSMSVoiceV2.SendTextMessage') return false;
    const body = req.body.toString('utf8');
    const fail = (type: string, message: string, status = 400) =>
      res
        .writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type })
        .end(JSON.stringify({ __type: type, Message: message, RequestId: randomUUID() }));
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body || '{}') as Record<string, unknown>;
    } catch {
      fail('SerializationException', 'Invalid JSON');
      return true;
    }
    const verdict = this.guard.iam?.check(callerOf(this.guard, req), smsChecks(input));
    if (verdict && !verdict.allowed) {
      fail('AccessDeniedException', verdict.message);
      return true;
    }
    if (this.guard.rates?.roll('sms.throttle')) {
      fail('ThrottlingException', 'Rate exceeded.');
      return true;
    }
    if (this.guard.rates?.roll('sms.fail')) {
      fail('InternalServerException', 'An internal error occurred. Try again later.', 500);
      return true;
    }
    const to = input.DestinationPhoneNumber;
    if (typeof to !== 'string' || !/^\+[1-9]\d{1,14}$/.test(to)) {
      fail('ValidationException', 'DestinationPhoneNumber must be an E.164 number');
      return true;
    }
    if (typeof input.MessageBody !== 'string' || input.MessageBody.length === 0) {
      fail('ValidationException', 'MessageBody is required');
      return true;
    }
    const msg = this.add({
      provider: 'aws',
      to,
      body: input.MessageBody,
      ...(typeof input.OriginationIdentity === 'string' ? { from: input.OriginationIdentity } : {}),
      ...(typeof input.MessageType === 'string' ? { messageType: input.MessageType } : {}),
    });
    res
      .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
      .end(JSON.stringify({ MessageId: msg.messageId }));
    return true;
  };
}

/** The outbox's key: made once, kept beside the outbox, readable by its owner only. */
function outboxKey(file: string): Buffer {
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

function sealTo(key: Buffer, to: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(to, 'utf8'), cipher.final()]);
  return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

function openTo(key: Buffer, sealed: string): string {
  const [iv = '', body = '', tag = ''] = sealed.split('.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** A phone number for a log line: country code and the last two digits, e.g. +316******78. */
export function maskedNumber(to: string): string {
  return to.length <= 6
    ? '*'.repeat(to.length)
    : `${to.slice(0, 4)}${'*'.repeat(to.length - 6)}${to.slice(-2)}`;
}

export function readBody(req: IncomingMessage, limit = 10 * 2 ** 20): Promise<Buffer | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => ok(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}
