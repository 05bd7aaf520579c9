/**
 * The SNS message as it travels: its size (what the 256 KB limit counts), a MessageStructure=json
 * body per protocol, what a filter policy sees, and the event Lambda receives from a subscription.
 */
import { randomBytes } from 'node:crypto';
import { REGION, shortHash } from './names';

/** A topic's subscription as the template declares it (sns.ts reads them). */
export interface SubscriptionSpec {
  arn: string;
  protocol: string;
  endpoint: string;
  filterPolicy?: Record<string, unknown>;
  filterPolicyScope: 'MessageAttributes' | 'MessageBody';
  /** RedrivePolicy's queue: where SNS puts a message it cannot deliver (a client-side error). */
  deadLetter?: string;
}

export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export function payloadBytes(message: string, attributes: Record<string, MessageAttribute>): number {
  let n = Buffer.byteLength(message);
  for (const [name, a] of Object.entries(attributes)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    n +=
      a.StringValue !== undefined
        ? Buffer.byteLength(a.StringValue)
        : Buffer.from(a.BinaryValue ?? '', 'base64').length;
  }
  return n;
}

export function structured(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new SnsError(
      'InvalidParameter',
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
  }
  const obj = parsed as Record<string, unknown>;
  if (typeof obj !== 'object' || obj === null || typeof obj.default !== 'string')
    throw new SnsError(
      'InvalidParameter',
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
  return obj as Record<string, string>;
}

/** What a filter policy is matched against: the attributes (numbers as numbers), or the JSON body. */
export function filterSubject(
  sub: SubscriptionSpec,
  body: string,
  attributes: Record<string, MessageAttribute>,
): unknown {
  if (sub.filterPolicyScope === 'MessageBody') {
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributes)) {
    if (a.DataType.startsWith('Number')) out[name] = Number(a.StringValue);
    else if (a.DataType === 'String.Array') out[name] = JSON.parse(a.StringValue ?? '[]');
    else if (a.DataType.startsWith('String')) out[name] = a.StringValue;
  }
  return out;
}

/** The event Lambda receives from an SNS subscription (one record per message). */
export function snsEvent(
  topic: string,
  subscriptionArn: string,
  messageId: string,
  message: string,
  subject: string | undefined,
  attributes: Record<string, MessageAttribute>,
  now: number,
) {
  const host = `https://sns.${REGION}.amazonaws.com`;
  const messageAttributes: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attributes)) {
    messageAttributes[name] = { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' };
  }
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: '1',
          Timestamp: new Date(now).toISOString(),
          // Locally nothing can verify SNS's signature; it has the size and encoding of a real one.
          Signature: randomBytes(256).toString('base64'),
          SigningCertUrl: `${host}/SimpleNotificationService-${shortHash('local', 32).toLowerCase()}.pem`,
          MessageId: messageId,
          Message: message,
          MessageAttributes: messageAttributes,
          Type: 'Notification',
          UnsubscribeUrl: `${host}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          TopicArn: topic,
          Subject: subject ?? null,
        },
      },
    ],
  };
}
