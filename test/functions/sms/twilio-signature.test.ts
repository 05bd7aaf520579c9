import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formParams, twilioSignature, verifyTwilioSignature } from '../../../functions/sms/twilio-signature';

const url = 'https://coproduce.example.nl/sms/inbound';
const params: [string, string][] = [
  ['To', '+3197010000000'],
  ['From', '+31612345678'],
  ['Body', 'A7 ja, bak stond er & was vol'],
  ['MessageSid', 'SM0123456789abcdef0123456789abcdef'],
];

/** Written out by hand from Twilio's description, independent of the module. */
function expected(token: string): string {
  const data = `${url}BodyA7 ja, bak stond er & was volFrom+31612345678MessageSidSM0123456789abcdef0123456789abcdefTo+3197010000000`;
  return createHmac('sha1', token).update(data).digest('base64');
}

describe('twilioSignature', () => {
  it('matches the example in Twilio’s security documentation', () => {
    const example: [string, string][] = [
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', '+12349013030'],
      ['Digits', '1234'],
      ['From', '+12349013030'],
      ['To', '+18005551212'],
    ];
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', example)).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    );
  });

  it('signs the url followed by the parameters sorted by name', () => {
    expect(twilioSignature('secret-token', url, params)).toBe(expected('secret-token'));
  });

  it('orders repeated names by value', () => {
    const a = twilioSignature('t', url, [
      ['Media', 'b'],
      ['Media', 'a'],
    ]);
    expect(a).toBe(createHmac('sha1', 't').update(`${url}MediaaMediab`).digest('base64'));
  });
});

describe('verifyTwilioSignature', () => {
  it('accepts the right signature', () => {
    expect(verifyTwilioSignature('secret-token', url, params, expected('secret-token'))).toBe(true);
  });

  it('refuses a missing, wrong or differently keyed signature', () => {
    expect(verifyTwilioSignature('secret-token', url, params, undefined)).toBe(false);
    expect(verifyTwilioSignature('secret-token', url, params, '')).toBe(false);
    expect(verifyTwilioSignature('secret-token', url, params, expected('other-token'))).toBe(false);
    expect(verifyTwilioSignature('secret-token', url, params, expected('secret-token').slice(1))).toBe(false);
  });

  it('refuses a changed body or another url', () => {
    const signature = expected('secret-token');
    const changed = params.map(([k, v]): [string, string] => [k, k === 'Body' ? 'A7 nee' : v]);
    expect(verifyTwilioSignature('secret-token', url, changed, signature)).toBe(false);
    expect(verifyTwilioSignature('secret-token', `${url}/`, params, signature)).toBe(false);
  });
});

describe('formParams', () => {
  it('decodes a form body and keeps repeated names', () => {
    expect(formParams('Body=A7+ja%2C+prima&From=%2B31612345678&X=1&X=2')).toEqual([
      ['Body', 'A7 ja, prima'],
      ['From', '+31612345678'],
      ['X', '1'],
      ['X', '2'],
    ]);
  });
});
