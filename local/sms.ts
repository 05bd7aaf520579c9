/**
 * `npm run sms -- FROM "TEXT"`: a phone texting the service number. It goes through the configured
 * provider's inbound path (POST /local/sms: the SNS topic with smsProvider=aws, the signed Twilio
 * webhook with twilio) and prints the reply the phone gets. PORT / COPRODUCE_URL pick the runtime.
 */

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
  const res = await fetch(`${base}/local/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, body: words.join(' ') }),
  });
  const answer = (await res.json()) as {
    provider?: string;
    replies?: string[];
    error?: { message?: string };
  };
  if (!res.ok) {
    console.error(`${res.status}: ${answer.error?.message ?? JSON.stringify(answer)}`);
    process.exit(1);
  }
  const replies = answer.replies ?? [];
  console.log(`sent through ${answer.provider}; ${replies.length ? 'reply:' : 'no reply'}`);
  for (const reply of replies) console.log(reply);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
