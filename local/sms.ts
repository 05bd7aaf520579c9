/**
 * `npm run sms -- FROM "TEXT"`: sends an SMS to the local webhook as Twilio would, signed with
 * TWILIO_AUTH_TOKEN (the same development default as the runtime), and prints the TwiML reply.
 * PORT / COPRODUCE_URL pick the runtime.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { DEV_TWILIO_AUTH_TOKEN } from './runtime/secrets';

async function main(): Promise<void> {
  const [from, ...words] = process.argv.slice(2);
  if (!from || words.length === 0) {
    console.error('usage: npm run sms -- +31612345671 "ja, de bak staat aan de straat"');
    process.exit(2);
  }
  const base = (process.env.COPRODUCE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(
    /\/$/,
    '',
  );
  const url = `${base}/sms/inbound`;
  const params: Record<string, string> = {
    From: from,
    To: '+3197010000000',
    Body: words.join(' '),
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
  };
  // Twilio's scheme: HMAC-SHA1 over the URL followed by every parameter name and value, sorted by name.
  const signed = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  const token = process.env.TWILIO_AUTH_TOKEN || DEV_TWILIO_AUTH_TOKEN;
  const signature = createHmac('sha1', token).update(signed).digest('base64');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  console.log(res.status, await res.text());
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
