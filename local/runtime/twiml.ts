/** TwiML, the XML a Twilio webhook answers with: the reply messages in <Message> verbs. */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const UNESCAPES = Object.fromEntries(Object.entries(ESCAPES).map(([c, e]) => [e, c]));
export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** The texts of a TwiML response's <Message> verbs (plain text or a <Body> inside). */
export function twimlMessages(xml: string): string[] {
  return [...xml.matchAll(/<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g)].map((m) => {
    const inner = m[1] as string;
    const body = /<Body>([\s\S]*?)<\/Body>/.exec(inner)?.[1] ?? inner;
    return body.replace(/&(amp|lt|gt|quot|apos);/g, (e) => UNESCAPES[e] ?? e);
  });
}

/** A TwiML response sending `replies` (an empty <Response/> sends nothing). */
export function twimlResponse(replies: string[]): string {
  const messages = replies.map((r) => `<Message>${escapeXml(r)}</Message>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>${messages ? `<Response>${messages}</Response>` : '<Response/>'}`;
}
