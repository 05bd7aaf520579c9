import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { findService } from '../../workflows/catalog';
import { reportTally as tally } from '../adapters/report-tally';
import { repository } from '../adapters/repository';
import { SmsNotifier } from '../adapters/sms-notifier';
import { taskCompleter as engine } from '../adapters/task-completer';
import { systemClock } from '../domain/clock';
import { proposalStore } from '../proposals/adapters';
import { taskRetimer } from '../proposals/retimer';
import { smsClient } from '../shared/clients';
import { log } from '../shared/logger';
import { loadSecrets } from '../shared/secret-loading';
import { publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';
import { receiveSms } from '../sms/inbound';

// SMS_PROVIDER aws: End User Messaging two-way SMS publishes each text to the service number on an
// SNS topic, which invokes this function (asynchronously, so a thrown error is retried by Lambda).
// The same domain code as the Twilio webhook handles it (STOP/START/HELP, short codes, answers);
// the reply goes back with SendTextMessage from the number the citizen texted.
// An unusable message is logged without its content and dropped: a retry would fail the same way.
// Anything else that fails (a throttled table or engine, a throttled reply) is thrown and retried;
// the domain's claim on the message id keeps a retried text from counting twice.

const E164 = /^\+[1-9]\d{7,14}$/;
/** https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html */
const twoWaySms = z.object({
  originationNumber: z.string().check(z.regex(E164, 'originationNumber must be an E.164 number')),
  destinationNumber: z.string().check(z.regex(E164, 'destinationNumber must be an E.164 number')),
  messageBody: z.string().check(z.maxLength(1600, 'messageBody is longer than 1600 characters')),
  inboundMessageId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'inboundMessageId must be an id')),
  messageKeyword: z.optional(z.nullable(z.string())),
  previousPublishedMessageId: z.optional(z.nullable(z.string())),
});
const snsEvent = z.object({
  Records: z.array(z.object({ Sns: z.object({ MessageId: z.optional(z.string()), Message: z.string() }) })),
});

/** Refusals that another try cannot change: the text was handled, only its reply is impossible. */
const FINAL_SEND_ERRORS = new Set([
  'ValidationException',
  'ConflictException',
  'AccessDeniedException',
  'ResourceNotFoundException',
]);

const deps = {
  repo: repository,
  engine,
  clock: systemClock,
  vault,
  publicUrl,
  findService,
  tally,
  // "<code> JA" / "<code> NEE" answers the organisation's proposed due date for that step.
  proposals: { store: proposalStore, retimer: taskRetimer },
};

export const handler = middy<unknown, void, Error, Context>()
  .use(loadSecrets())
  .handler(async (event) => {
    const parsed = snsEvent.safeParse(event);
    if (!parsed.success) return drop('not an SNS event', fieldsOf(parsed.error));
    // SNS delivers one record per invocation; several are handled in turn all the same.
    for (const record of parsed.data.Records) await handle(record.Sns.Message, record.Sns.MessageId);
  });

async function handle(message: string, snsMessageId: string | undefined): Promise<void> {
  let payload: unknown;
  try {
    payload = JSON.parse(message);
  } catch {
    return drop('the message is not JSON', [], snsMessageId);
  }
  const parsed = twoWaySms.safeParse(payload);
  if (!parsed.success) return drop('not a two-way SMS payload', fieldsOf(parsed.error), snsMessageId);
  const sms = parsed.data;
  const reply = await receiveSms(deps, {
    from: sms.originationNumber,
    body: sms.messageBody,
    messageSid: sms.inboundMessageId,
  });
  try {
    await new SmsNotifier(smsClient, sms.destinationNumber).sendSms(sms.originationNumber, reply);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'unknown';
    if (!FINAL_SEND_ERRORS.has(name)) throw error;
    // E.g. the number sent STOP to AWS's own opt-out list: the text itself was handled.
    await log('warn', 'SMS reply not sent', { error: name, inboundMessageId: sms.inboundMessageId });
  }
}

function drop(reason: string, fields: string[], snsMessageId?: string): Promise<void> {
  return log('warn', 'inbound SMS dropped', { reason, fields, ...(snsMessageId && { snsMessageId }) });
}

/** Where the shape failed, never the values (they are phone numbers and texts). */
function fieldsOf(error: z.core.$ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.path.join('.') || '(root)'))];
}
