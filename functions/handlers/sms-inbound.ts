import type * as z from 'zod/mini';
import { findService } from '../../workflows/catalog';
import { reportTally as tally } from '../adapters/report-tally';
import { repository } from '../adapters/repository';
import { taskCompleter as engine } from '../adapters/task-completer';
import { message, request } from '../contract/sms-inbound';
import { systemClock } from '../domain/clock';
import { say } from '../domain/sms-texts';
import { proposalStore } from '../proposals/adapters';
import { taskRetimer } from '../proposals/retimer';
import { rawBody } from '../shared/edge';
import { requireEnv } from '../shared/env';
import { ForbiddenError } from '../shared/errors';
import { httpRoute, xml } from '../shared/http';
import { log } from '../shared/logger';
import { secretReader, TWILIO_TOKEN_MAX_AGE } from '../shared/secrets';
import { publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';
import { receiveSms } from '../sms/inbound';
import { formParams, verifyTwilioSignature } from '../sms/twilio-signature';

// POST /sms/inbound: Twilio's webhook (SMS_PROVIDER twilio). The signature is checked before anything
// else is read, so an unsigned request learns nothing and changes nothing. Every handled message gets
// 200 with TwiML, because Twilio only delivers a reply (and stops retrying) on a 2xx: a message the
// handler cannot use too, with a short help text.

/** The account's auth token, from the secret; cached for five minutes, so a rotation needs no deploy. */
const authToken = secretReader(requireEnv('TWILIO_AUTH_TOKEN_SECRET_ARN'), TWILIO_TOKEN_MAX_AGE);
/** The URL Twilio signs: the one configured on the number, i.e. the public route. */
const webhookUrl = `${publicUrl}/sms/inbound`;

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

export const handler = httpRoute(request, async (input, event) => {
  const params = formParams(rawBody(event));
  if (!verifyTwilioSignature(await authToken(), webhookUrl, params, input.headers['x-twilio-signature']))
    throw new ForbiddenError('The X-Twilio-Signature header is missing or does not match this request.');
  const parsed = message.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    // Signed, so from Twilio: a sender without a phone number (an alphanumeric sender), an overlong
    // text, no message id. Nothing is read or stored; the 200 keeps Twilio from retrying it.
    await log('info', 'inbound SMS not usable', { fields: fieldsOf(parsed.error) });
    return xml(200, twiml(UNUSABLE));
  }
  const body = parsed.data;
  const reply = await receiveSms(deps, { from: body.From, body: body.Body, messageSid: body.MessageSid });
  return xml(200, twiml(reply));
});

/** The short help text for a message the service cannot use: both languages, one segment. */
const UNUSABLE = say(undefined, (t) => t.unusable);

/** Where the shape failed, never the values (they are phone numbers and texts). */
function fieldsOf(error: z.core.$ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.path.join('.') || '(root)'))];
}

export function twiml(text: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(text)}</Message></Response>`;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}
