import type { Notifier } from '../domain/ports';
import { countSmsSendFailed } from '../shared/metrics';
import type { SecretReader } from '../shared/secrets';

// Outbound SMS through Twilio's Messages API (SMS_PROVIDER twilio), with global fetch, no SDK.
// Throttling (429), Twilio's 5xx and network failures are retried with exponential backoff and full
// jitter; a refused token is read from the secret once more (it may just have been rotated). A send
// that still fails is counted (SmsSendFailed) and thrown, for the caller to record.

export interface TwilioSettings {
  /** https://api.twilio.com; the local runtime points it at its own emulator. */
  apiUrl: string;
  accountSid: string;
  /** An E.164 number, or a Messaging Service SID (MG...) that picks the sender itself. */
  from: string;
  authToken: SecretReader;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per request: open-step (10 s) must still record the outcome after the last attempt. */
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 2000,
  timeoutMs: 2000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** What open-step records (SMS_FAILED, by name). Never Twilio's message: it quotes the phone number. */
export class TwilioSendError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly code: number | undefined,
  ) {
    super(
      `Twilio did not accept the message (${status === undefined ? 'no answer' : `HTTP ${status}`}${code === undefined ? '' : `, error ${code}`})`,
    );
    this.name = 'TwilioSendError';
  }
}

type Outcome = { ok: true } | { ok: false; status?: number; code?: number; retryAfterMs?: number };

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const SERVICE_SID = /^MG[0-9a-f]{32}$/;
const E164 = /^\+[1-9]\d{7,14}$/;

/** The settings from their variables, checked at load (a bad deploy fails at init, by name). */
export function twilioSettings(
  env: { apiUrl: string; accountSid: string; from: string },
  authToken: SecretReader,
): TwilioSettings {
  if (!ACCOUNT_SID.test(env.accountSid))
    throw new Error('TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits');
  if (!E164.test(env.from) && !SERVICE_SID.test(env.from))
    throw new Error('TWILIO_FROM must be an E.164 number or a Messaging Service SID (MG...)');
  if (!/^https?:\/\/[^/]+/.test(env.apiUrl)) throw new Error('TWILIO_API_URL must be an http(s) URL');
  return { ...env, apiUrl: env.apiUrl.replace(/\/+$/, ''), authToken };
}

export class TwilioNotifier implements Notifier {
  private readonly url: string;

  constructor(
    private readonly settings: TwilioSettings,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.url = `${settings.apiUrl}/2010-04-01/Accounts/${settings.accountSid}/Messages.json`;
  }

  async sendSms(to: string, text: string): Promise<void> {
    const sender = SERVICE_SID.test(this.settings.from) ? 'MessagingServiceSid' : 'From';
    const body = new URLSearchParams({ To: to, [sender]: this.settings.from, Body: text }).toString();
    let refreshed = false;
    let last: Outcome = { ok: false };
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      last = await this.post(body, refreshed);
      if (last.ok) return;
      if (last.status === 401 && !refreshed) {
        refreshed = true; // the next attempt reads the secret again, at once
        continue;
      }
      if (!retryable(last.status) || attempt === this.retry.attempts) break;
      await this.retry.sleep(this.delay(attempt, last.retryAfterMs));
    }
    await countSmsSendFailed();
    throw new TwilioSendError(last.ok ? undefined : last.status, last.ok ? undefined : last.code);
  }

  private async post(body: string, refresh: boolean): Promise<Outcome> {
    const token = await this.settings.authToken(refresh ? { refresh: true } : {});
    const basic = Buffer.from(`${this.settings.accountSid}:${token}`).toString('base64');
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        signal: AbortSignal.timeout(this.retry.timeoutMs),
      });
    } catch {
      return { ok: false }; // network failure or timeout: no status, retried
    }
    if (response.ok) {
      await response.body?.cancel();
      return { ok: true };
    }
    const code = await errorCode(response);
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      ok: false,
      status: response.status,
      ...(code !== undefined && { code }),
      ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterMs: retryAfter * 1000 }),
    };
  }

  /** Full jitter (a random wait up to the exponential bound), at least what Retry-After asks, capped. */
  private delay(attempt: number, retryAfterMs = 0): number {
    const bound = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.min(this.retry.maxDelayMs, Math.max(retryAfterMs, Math.floor(this.retry.random() * bound)));
  }
}

/** No status (network, timeout), throttled, or Twilio's own failure: worth another try. */
function retryable(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}

/** Twilio's numeric error code from its JSON error body, if there is one. */
async function errorCode(response: Response): Promise<number | undefined> {
  try {
    const body = (await response.json()) as { code?: unknown };
    return typeof body.code === 'number' ? body.code : undefined;
  } catch {
    return undefined;
  }
}
