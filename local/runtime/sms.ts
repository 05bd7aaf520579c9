/**
 * End User Messaging's SendTextMessage (pinpoint-sms-voice-v2, AWS JSON 1.0), emulated on the local
 * AWS endpoint: checked as IAM and LOCAL_FAULTS would, then written to the outbox (outbox.ts) instead
 * of sent. Twilio's Messages API is in twilio.ts.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { AccessCheck } from './iam';
import { ACCOUNT, REGION } from './names';
import type { Outbox } from './outbox';
import { callerOf, type ServiceGuard, type ServiceHandler } from './services';

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

export class SmsApi {
  /** IAM and faults for SendTextMessage callers (set by the runtime). */
  guard: ServiceGuard = {};

  constructor(private readonly outbox: Outbox) {}

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
    const msg = this.outbox.add({
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

/** A phone number for a log line: country code and the last two digits, e.g. +316******78. */
export function maskedNumber(to: string): string {
  return to.length <= 6
    ? '*'.repeat(to.length)
    : `${to.slice(0, 4)}${'*'.repeat(to.length - 6)}${to.slice(-2)}`;
}
