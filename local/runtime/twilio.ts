/**
 * Twilio's Messages API, emulated: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP
 * Basic auth (the account SID and the local Twilio auth token) and a form body To, From or
 * MessagingServiceSid, Body. A message that would be sent is written to the outbox; the answer is
 * Twilio's: 201 with the Message resource, or Twilio's error JSON ({ code, message, more_info, status }).
 * The template's TWILIO_API_URL (https://api.twilio.com) is rewritten to this endpoint.
 * https://www.twilio.com/docs/messaging/api/message-resource
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FunctionSpec } from './lambda';
import type { Outbox } from './outbox';
import type { ServiceGuard, ServiceHandler } from './services';

/** The local defaults `npm start` synthesizes with for smsProvider=twilio (the plan's contract). */
export const LOCAL_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const LOCAL_TWILIO_FROM = '+3197010000000';

export interface TwilioAccount {
  sid: string;
  /** The account's phone numbers (E.164) and Messaging Service SIDs it may send from. */
  senders: Set<string>;
}

/** The account the template's functions use (TWILIO_ACCOUNT_SID, TWILIO_FROM), or the local default one. */
export function twilioAccount(functions: FunctionSpec[]): TwilioAccount {
  const sid = functions.map((f) => f.env.TWILIO_ACCOUNT_SID).find((v) => v) ?? LOCAL_TWILIO_ACCOUNT_SID;
  const senders = new Set(functions.map((f) => f.env.TWILIO_FROM).filter((v): v is string => Boolean(v)));
  if (senders.size === 0) senders.add(LOCAL_TWILIO_FROM);
  return { sid, senders };
}

const E164 = /^\+[1-9]\d{6,14}$/;
const GSM7 = /^[A-Za-z0-9 @£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~\]|€]*$/;

/** Segments as Twilio counts them: 160/153 GSM-7 characters, or 70/67 UCS-2 ones. */
function segments(body: string): number {
  const [single, part] = GSM7.test(body) ? [160, 153] : [70, 67];
  const length = [...body].length;
  return length <= single ? 1 : Math.ceil(length / part);
}

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

export class TwilioApi {
  /** LOCAL_FAULTS (sms.fail, sms.throttle), set by the runtime. */
  guard: ServiceGuard = {};

  constructor(
    private readonly account: TwilioAccount,
    private readonly authToken: () => string,
    private readonly outbox: Outbox,
    private readonly now: () => number,
  ) {}

  readonly handle: ServiceHandler = (req, res) => {
    if (!req.path.startsWith('/2010-04-01/')) return false;
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.path);
    if (!m) {
      error(res, 404, 20404, `The requested resource ${req.path} was not found`);
      return true;
    }
    const sid = m[1] as string;
    const [user, password] = basicAuth(req.headers.authorization);
    if (user !== sid || sid !== this.account.sid || password !== this.authToken()) {
      res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      error(res, 401, 20003, 'Authenticate');
      return true;
    }
    if (req.method !== 'POST') {
      error(res, 405, 20004, 'Method not allowed (only sending is emulated locally)');
      return true;
    }
    const form = new URLSearchParams(req.body.toString('utf8'));
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const service = form.get('MessagingServiceSid') ?? '';
    const body = form.get('Body') ?? '';
    if (!to) return error(res, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return error(res, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from && !service) return error(res, 400, 21603, "A 'From' phone number is required.");
    if (service && !this.account.senders.has(service))
      return error(res, 400, 21701, `The Messaging Service Sid ${service} is invalid.`);
    if (from && !this.account.senders.has(from))
      return error(
        res,
        400,
        21606,
        `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      );
    if (!body) return error(res, 400, 21602, 'Message body is required.');
    if ([...body].length > 1600)
      return error(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    // Twilio's answers to a throttled or failed request (https://www.twilio.com/docs/api/errors/20429, /20500).
    if (this.guard.rates?.roll('sms.throttle')) return error(res, 429, 20429, 'Too Many Requests');
    if (this.guard.rates?.roll('sms.fail')) return error(res, 500, 20500, 'Internal Server Error');

    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const created = rfc2822(this.now());
    this.outbox.add({ to, from: from || service, body, provider: 'twilio' }, messageSid);
    const uri = `/2010-04-01/Accounts/${sid}/Messages/${messageSid}.json`;
    res.writeHead(201, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        account_sid: sid,
        api_version: '2010-04-01',
        body,
        date_created: created,
        date_sent: null,
        date_updated: created,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: from || null,
        messaging_service_sid: service || null,
        num_media: '0',
        num_segments: String(segments(body)),
        price: null,
        price_unit: 'USD',
        sid: messageSid,
        // A message sent through a Messaging Service is "accepted" until a sender is picked.
        status: service ? 'accepted' : 'queued',
        subresource_uris: { media: `/2010-04-01/Accounts/${sid}/Messages/${messageSid}/Media.json` },
        to,
        uri,
      }),
    );
    return true;
  };
}

function basicAuth(header: string | undefined): [string, string] {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return ['', ''];
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
}

function error(res: ServerResponse, status: number, code: number, message: string): true {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  return true;
}
