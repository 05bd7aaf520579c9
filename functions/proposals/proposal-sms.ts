import type { Step } from '../../workflows/schema';
import { caseCipher } from '../domain/case-keys';
import { smsEvent, textCitizen } from '../domain/citizen-sms';
import { formatDay } from '../domain/messages';
import type { CaseRecord, Locale, ProposalRecord, StepRecord } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import type { PiiVault } from '../domain/pii';
import type { CaseRepository, Notifier } from '../domain/ports';
import { gsmSafe } from '../domain/sms-texts';

// The citizen hears of the provider's proposal by SMS. On their own step (which has a short code in
// their phone's open steps) they can answer it right there, "<code> JA" or "<code> NEE"; on the
// provider's step the text points to their page. One GSM-7 segment with the longest realistic values
// (test/functions/proposals/proposal-sms.test.ts). Like every SMS, its outcome is an event.

export interface ProposalSmsDeps {
  repo: Pick<CaseRepository, 'appendEvent' | 'isOptedOut'>;
  notifier: Notifier;
  vault: PiiVault;
  publicUrl: string;
}

export const PROPOSAL_TEXTS: Record<
  Locale,
  {
    byCode: (org: string, step: string, day: string, code: string) => string;
    byLink: (org: string, step: string, day: string, link: string) => string;
  }
> = {
  nl: {
    byCode: (org, step, day, code) =>
      `${org} stelt voor: ${step} uiterlijk ${formatDay(day)}. Akkoord? Stuur ${code} JA of ${code} NEE.`,
    byLink: (org, step, day, link) => `${org} stelt ${formatDay(day)} voor (${step}). Reageer: ${link}`,
  },
  en: {
    byCode: (org, step, day, code) =>
      `${org} proposes: ${step} by ${formatDay(day)}. Agreed? Send ${code} YES or ${code} NO.`,
    byLink: (org, step, day, link) => `${org} proposes ${formatDay(day)} (${step}). Reply at ${link}`,
  },
};

export async function textProposal(
  deps: ProposalSmsDeps,
  record: CaseRecord,
  definition: Step,
  step: StepRecord,
  proposal: ProposalRecord,
  at: string,
): Promise<void> {
  const { locale } = record.citizen;
  const title = gsmSafe(definition.title[locale]);
  const texts = PROPOSAL_TEXTS[locale];
  // Every text says who sends it, as the invitations do.
  const org = gsmSafe(orgDisplayName(record.org));
  const link = `${deps.publicUrl}/c/${deps.vault.linkToken(record.caseId)}`;
  const text = () =>
    step.shortCode
      ? texts.byCode(org, title, proposal.dueAt, step.shortCode)
      : texts.byLink(org, title, proposal.dueAt, link);
  const outcome = await textCitizen(deps, record, caseCipher(deps.vault, record), text);
  const smsAt = new Date(Date.parse(at) + 1).toISOString();
  await deps.repo.appendEvent(
    smsEvent(record.caseId, smsAt, 'proposal', outcome, step.stepId),
    `proposal-sms-${proposal.proposalId}`,
  );
}
