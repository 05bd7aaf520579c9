import { caseCipher } from './case-keys';
import { requireService } from './definitions';
import type { CaseRecord } from './model';
import type { PiiVault } from './pii';
import type { CaseRepository, Notifier } from './ports';
import { gsmSafe, TEXTS } from './sms-texts';

// The citizen hears of a reopening by SMS (when they have a phone and did not send STOP), whoever
// reopened it: staff's reason is on their page, the text only says the case runs again and where to
// look. Like every SMS, its outcome is an event. It never fails the reopening, which has happened:
// the page, and the invitation of the step that opens again, tell the citizen too.

export interface ReopenSmsDeps {
  repo: Pick<CaseRepository, 'appendEvent' | 'isOptedOut'>;
  notifier: Notifier;
  vault: PiiVault;
  publicUrl: string;
}

type Outcome = { sms: 'sent' | 'no-phone' | 'opted-out' | 'failed'; error?: string };

async function send(deps: ReopenSmsDeps, record: CaseRecord): Promise<Outcome> {
  const { phoneHash, locale } = record.citizen;
  const phone = caseCipher(deps.vault, record).open(record.citizen.phoneEnc);
  if (!phoneHash || phone === undefined) return { sms: 'no-phone' };
  if (await deps.repo.isOptedOut(phoneHash)) return { sms: 'opted-out' };
  const service = gsmSafe(requireService(record.serviceId).title[locale]);
  const link = `${deps.publicUrl}/c/${deps.vault.linkToken(record.caseId)}`;
  try {
    await deps.notifier.sendSms(phone, TEXTS[locale].reopened(service, link));
    return { sms: 'sent' };
  } catch (error) {
    // The error's name only: a message may quote the number.
    return { sms: 'failed', error: error instanceof Error ? error.name : 'unknown' };
  }
}

/** `at` is the reopening's time; the SMS event comes a millisecond after it, keyed by the execution. */
export async function textReopened(
  deps: ReopenSmsDeps,
  record: CaseRecord,
  at: string,
  continuation: number,
): Promise<void> {
  const { sms, error } = await send(deps, record);
  await deps.repo.appendEvent(
    {
      caseId: record.caseId,
      at: new Date(Date.parse(at) + 1).toISOString(),
      type: sms === 'sent' ? 'SMS_SENT' : sms === 'failed' ? 'SMS_FAILED' : 'SMS_SUPPRESSED',
      actor: 'system',
      channel: 'sms',
      detail: { message: 'reopened', ...(sms !== 'sent' && { reason: sms }), ...(error && { error }) },
    },
    `reopened-sms-${continuation}`,
  );
}
