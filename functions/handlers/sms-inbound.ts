import * as z from 'zod/mini';
import { findService } from '../../workflows/catalog';
import { repository } from '../adapters/repository';
import { taskCompleter as engine } from '../adapters/task-completer';
import { systemClock } from '../domain/clock';
import { receiveSms } from '../domain/sms-inbound';
import { formParams, verifyTwilioSignature } from '../domain/twilio-signature';
import { rawBody } from '../shared/edge';
import { requireEnv } from '../shared/env';
import { ForbiddenError } from '../shared/errors';
import { httpRoute, parseEdge, xml } from '../shared/http';
import { secretReader, TWILIO_TOKEN_MAX_AGE } from '../shared/secrets';
import { publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';

// POST /sms/inbound: Twilio's webhook (SMS_PROVIDER twilio). The signature is checked before anything
// else is read, so an unsigned request learns nothing and changes nothing. Every handled message gets
// 200 with TwiML, because Twilio only delivers a reply (and stops retrying) on a 2xx.

/** The account's auth token, from the secret; cached for five minutes, so a rotation needs no deploy. */
const authToken = secretReader(requireEnv('TWILIO_AUTH_TOKEN_SECRET_ARN'), TWILIO_TOKEN_MAX_AGE);
/** The URL Twilio signs: the one configured on the number, i.e. the public route. */
const webhookUrl = `${publicUrl}/sms/inbound`;

const signed = z.object({ headers: z.record(z.string(), z.string()) });
const message = z.object({
  body: z.object({
    From: z.string().check(z.regex(/^\+[1-9]\d{7,14}$/, 'From must be a phone number in E.164 form')),
    Body: z.string().check(z.maxLength(1600, 'Body is longer than 1600 characters')),
    MessageSid: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'MessageSid must be a message id')),
  }),
});

const deps = { repo: repository, engine, clock: systemClock, vault, publicUrl, findService };

export const handler = httpRoute(signed, async (input, event) => {
  const params = formParams(rawBody(event));
  if (!verifyTwilioSignature(await authToken(), webhookUrl, params, input.headers['x-twilio-signature']))
    throw new ForbiddenError('The X-Twilio-Signature header is missing or does not match this request.');
  const { body } = parseEdge(message, {
    path: {},
    query: {},
    headers: {},
    claims: {},
    body: Object.fromEntries(params),
  });
  const reply = await receiveSms(deps, { from: body.From, body: body.Body, messageSid: body.MessageSid });
  return xml(200, twiml(reply));
});

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
