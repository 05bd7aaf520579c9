/**
 * SNS's query protocol, as the SDK speaks it: a form-encoded POST (Action=Publish, Version=2010-03-31,
 * MessageAttributes.entry.N.*) answered with XML, errors as <ErrorResponse>.
 */
import { randomUUID } from 'node:crypto';
import { callerOf, type ServiceGuard, type ServiceHandler } from './services';
import type { LocalSns, PublishInput } from './sns';
import { type MessageAttribute, SnsError } from './sns-message';

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function snsQueryHandler(sns: LocalSns, guard: ServiceGuard = {}): ServiceHandler {
  return (req, res) => {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) return false;
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (form.get('Version') !== '2010-03-31' || !form.has('Action')) return false;
    const requestId = randomUUID();
    const xml = (status: number, text: string) =>
      res.writeHead(status, { 'content-type': 'text/xml' }).end(text);
    try {
      if (form.get('Action') !== 'Publish') {
        throw new SnsError(
          'InvalidAction',
          `The action ${form.get('Action')} is not valid for this web service (not emulated locally).`,
        );
      }
      const input = publishInput(form);
      const topic = input.TopicArn ?? input.TargetArn;
      const verdict = guard.iam?.check(
        callerOf(guard, req),
        [{ action: 'sns:Publish', resource: topic ?? '*' }],
        { action: 'SNS:Publish' },
      );
      if (verdict && !verdict.allowed) throw new SnsError('AuthorizationError', verdict.message, 403);
      const { messageId } = sns.publish(input);
      xml(
        200,
        `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    } catch (e) {
      if (!(e instanceof SnsError)) throw e;
      xml(
        e.status,
        `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
    return true;
  };
}

function publishInput(form: URLSearchParams): PublishInput {
  const attributes: Record<string, MessageAttribute> = {};
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    const at = `MessageAttributes.entry.${i}`;
    attributes[form.get(`${at}.Name`) as string] = {
      DataType: form.get(`${at}.Value.DataType`) ?? '',
      ...(form.has(`${at}.Value.StringValue`)
        ? { StringValue: form.get(`${at}.Value.StringValue`) as string }
        : {}),
      ...(form.has(`${at}.Value.BinaryValue`)
        ? { BinaryValue: form.get(`${at}.Value.BinaryValue`) as string }
        : {}),
    };
  }
  const input: PublishInput = { MessageAttributes: attributes };
  for (const key of [
    'TopicArn',
    'TargetArn',
    'PhoneNumber',
    'Message',
    'Subject',
    'MessageStructure',
  ] as const) {
    const v = form.get(key);
    if (v !== null) input[key] = v;
  }
  return input;
}
