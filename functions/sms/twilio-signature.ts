import { createHmac } from 'node:crypto';
import { sameSecret } from '../domain/pii';

// Twilio signs each webhook request: base64(HMAC-SHA1(authToken, url + the POST parameters sorted by
// name, each as name followed by value)). Only a request signed with our auth token is acted on.

export type FormParams = ReadonlyArray<readonly [string, string]>;

/** The parameters in Twilio's order: by name, and a repeated name by value. Code-unit order, like Twilio. */
function sorted(params: FormParams): (readonly [string, string])[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...params].sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
}

export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  const payload = sorted(params).reduce((acc, [name, value]) => acc + name + value, url);
  return createHmac('sha1', authToken).update(payload, 'utf8').digest('base64');
}

/** Constant-time: the comparison does not tell an attacker how much of a guessed signature was right. */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: FormParams,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  return sameSecret(twilioSignature(authToken, url, params), signature);
}

/** The form fields of an application/x-www-form-urlencoded body, repeated names kept. */
export function formParams(body: string): FormParams {
  return [...new URLSearchParams(body)];
}
