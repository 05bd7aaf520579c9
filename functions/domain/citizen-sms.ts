import type { DataCipher } from './case-keys';
import type { CaseEvent, CaseRecord } from './model';
import type { CaseRepository, Notifier } from './ports';

// Texting the citizen about their case, and the event that says how it went: one way for every text
// the workflow sends on its own (a step's invitation, reminder, escalation; a reopening). A text that
// cannot go out never fails what it is about: the page and the next text tell the citizen too.

export type SmsOutcome = 'sent' | 'opted-out' | 'no-phone' | 'failed';

export interface CitizenSmsDeps {
  repo: Pick<CaseRepository, 'isOptedOut'>;
  notifier: Notifier;
}

/** `text` is rendered only for a phone that gets it (a step without a phone has no {code}). */
export async function textCitizen(
  deps: CitizenSmsDeps,
  record: CaseRecord,
  cipher: DataCipher,
  text: () => string,
): Promise<{ sms: SmsOutcome; error?: string }> {
  const { phoneHash } = record.citizen;
  const phone = cipher.open(record.citizen.phoneEnc);
  if (!phoneHash || phone === undefined) return { sms: 'no-phone' };
  if (await deps.repo.isOptedOut(phoneHash)) return { sms: 'opted-out' };
  try {
    await deps.notifier.sendSms(phone, text());
    return { sms: 'sent' };
  } catch (error) {
    // The console shows SMS_FAILED with the error's name, never its message: it may quote the number.
    return { sms: 'failed', error: error instanceof Error ? error.name : 'unknown' };
  }
}

/** The SMS event of a text: SMS_SENT, or SMS_SUPPRESSED / SMS_FAILED with the reason. */
export function smsEvent(
  caseId: string,
  at: string,
  message: string,
  outcome: { sms: SmsOutcome; error?: string },
  stepId?: string,
): CaseEvent {
  const { sms, error } = outcome;
  return {
    caseId,
    at,
    type: sms === 'sent' ? 'SMS_SENT' : sms === 'failed' ? 'SMS_FAILED' : 'SMS_SUPPRESSED',
    actor: 'system',
    ...(stepId !== undefined && { stepId }),
    channel: 'sms',
    detail: { message, ...(sms !== 'sent' && { reason: sms }), ...(error && { error }) },
  };
}
