import * as z from 'zod/mini';

// POST /sms/inbound: Twilio's webhook (smsProvider twilio). The signature covers every form field, so
// it is checked on the raw fields before any is read; then `message` says what the handler can use.
// A message it cannot use still gets 200 TwiML with a short help text: Twilio retries other answers.

export const request = z.object({
  headers: z.object({ 'x-twilio-signature': z.optional(z.string().check(z.maxLength(200))) }),
});

const E164 = /^\+[1-9]\d{7,14}$/;

/** The fields of the form the handler reads (Twilio sends more, all signed). */
export const message = z.object({
  From: z.string().check(z.regex(E164, 'From must be a phone number in E.164 form')),
  To: z.optional(z.string()),
  Body: z.string().check(z.maxLength(1600, 'Body is longer than 1600 characters')),
  MessageSid: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'MessageSid must be a message id')),
});
