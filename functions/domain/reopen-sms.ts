import { caseCipher } from './case-keys';
import { smsEvent, textCitizen } from './citizen-sms';
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

/** `at` is the reopening's time; the SMS event comes a millisecond after it, keyed by the execution. */
export async function textReopened(
  deps: ReopenSmsDeps,
  record: CaseRecord,
  at: string,
  continuation: number,
): Promise<void> {
  const { locale } = record.citizen;
  const service = gsmSafe(requireService(record.serviceId).title[locale]);
  const link = `${deps.publicUrl}/c/${deps.vault.linkToken(record.caseId)}`;
  const outcome = await textCitizen(deps, record, caseCipher(deps.vault, record), () =>
    TEXTS[locale].reopened(service, link),
  );
  const smsAt = new Date(Date.parse(at) + 1).toISOString();
  await deps.repo.appendEvent(
    smsEvent(record.caseId, smsAt, 'reopened', outcome),
    `reopened-sms-${continuation}`,
  );
}
