import { formatDay } from '../domain/messages';
import type { CaseRecord, Locale, ProposalRecord, StepRecord } from '../domain/model';
import { type AnswerDeps, answerProposal } from '../proposals/answer';
import { AppError } from '../shared/errors';
import { fold } from './reply';

// The citizen answers the provider's proposal by SMS: "<code> JA" / "<code> NEE" (YES / NO), with an
// optional note after it, like a step's own SMS answer. While a step has such a proposal open, a yes
// or no with its code answers the proposal; the step itself is answered on the page or by a later
// SMS. The replies fit one GSM-7 segment (test/functions/proposals/proposal-sms.test.ts).

const YES = new Set(['ja', 'j', 'yes', 'y']);
const NO = new Set(['nee', 'n', 'no']);

/** The provider's proposal awaiting the citizen's answer on this step, if any. */
export function openProviderProposal(step: StepRecord): ProposalRecord | undefined {
  const open = step.proposalOpen ? step.proposals?.[step.proposalOpen] : undefined;
  return open?.status === 'OPEN' && open.by === 'provider' && open.visit === step.visit ? open : undefined;
}

/** JA or NEE (YES or NO) as the first word, and the note after it; undefined for anything else. */
export function readYesNo(text: string): { accept: boolean; note?: string } | undefined {
  const [first = '', ...rest] = text.trim().split(/[\s.,:;!?]+/);
  const word = fold(first);
  const accept = YES.has(word) ? true : NO.has(word) ? false : undefined;
  if (accept === undefined) return undefined;
  const note = text
    .trim()
    .slice(first.length)
    .replace(/^[\s.,:;!?-]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
  return rest.length > 0 && note !== '' ? { accept, note } : { accept };
}

export const SMS_ANSWER_TEXTS: Record<
  Locale,
  { accepted: (day: string) => string; declined: string; gone: string }
> = {
  nl: {
    accepted: (day) => `Dank u. De nieuwe datum is ${formatDay(day)}; herinneringen schuiven mee.`,
    declined: 'Dank u. U ging niet akkoord; de datum blijft zoals hij was.',
    gone: 'Dit voorstel staat niet meer open, dus we hebben niets opgeslagen.',
  },
  en: {
    accepted: (day) => `Thank you. The new date is ${formatDay(day)}; reminders move along.`,
    declined: 'Thank you. You did not agree; the date stays as it was.',
    gone: 'This proposal is no longer open, so nothing was saved.',
  },
};

/** The answer, and the reply to text back. */
export async function answerBySms(
  deps: AnswerDeps,
  record: CaseRecord,
  proposal: ProposalRecord,
  reply: { accept: boolean; note?: string },
): Promise<string> {
  const t = SMS_ANSWER_TEXTS[record.citizen.locale];
  try {
    await answerProposal(deps, {
      record,
      proposalId: proposal.proposalId,
      by: 'citizen',
      accept: reply.accept,
      ...(reply.note !== undefined && { note: reply.note }),
      channel: 'sms',
    });
  } catch (error) {
    if (error instanceof AppError) return t.gone;
    throw error;
  }
  return reply.accept ? t.accepted(proposal.dueAt) : t.declined;
}
