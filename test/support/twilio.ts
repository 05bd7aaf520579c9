import { createHmac } from 'node:crypto';
import type { HttpEvent } from '../../functions/shared/http';
import { httpEvent } from './http-event';

// Twilio webhook requests as API Gateway (HTTP API, payload 2.0) delivers them. The signature is
// computed here from Twilio's description, independently of functions/sms/twilio-signature.ts.

export const SMS_URL = `${process.env.PUBLIC_URL}/sms/inbound`;

export function sign(token: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', token).update(data).digest('base64');
}

export interface TwilioOptions {
  /** Defaults to TWILIO_AUTH_TOKEN; another token gives a wrong signature. */
  token?: string;
  url?: string;
  /** A fixed header value; null sends no signature header at all. */
  signature?: string | null;
  /** API Gateway base64-encodes form bodies; both forms must work. */
  base64?: boolean;
}

export function twilioParams(over: Record<string, string> = {}): Record<string, string> {
  return {
    ToCountry: 'NL',
    To: '+3197010000000',
    From: '+31612345678',
    Body: 'ja',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    NumMedia: '0',
    ...over,
  };
}

export function twilioEvent(params: Record<string, string>, options: TwilioOptions = {}): HttpEvent {
  const token = options.token ?? process.env.TWILIO_AUTH_TOKEN ?? '';
  const signature =
    options.signature === undefined ? sign(token, options.url ?? SMS_URL, params) : options.signature;
  const form = new URLSearchParams(params).toString();
  const event = httpEvent({
    method: 'POST',
    path: '/sms/inbound',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      ...(signature !== null && { 'x-twilio-signature': signature }),
    },
    body: options.base64 ? Buffer.from(form).toString('base64') : form,
  });
  return { ...event, isBase64Encoded: options.base64 === true };
}
