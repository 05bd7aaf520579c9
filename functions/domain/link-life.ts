import { DAY_MS } from './clock';
import type { CaseRecord, StepRecord } from './model';

// How long the citizen's own link works. It is made for LINK_TTL_DAYS from the case's start; a case
// whose steps run longer (a child's development over a school year, a care plan sent back twice) would
// then lock the citizen out while a step still waits on them, and the reminder would carry a dead link.
// So a citizen step that opens past what the link covers moves its end on: to LINK_TTL_DAYS after the
// step's own expiry, within the case's retention. Most steps open well inside it, and write nothing.

/**
 * After the step can no longer be answered, the citizen still reads how it ended, downloads their data
 * and may say "it is not done" (reopening, within at most 28 days): the link covers that much at least.
 */
export const LINK_MARGIN_DAYS = 30;

/** The link's new end when this step needs one (an ISO time), else undefined. */
export function linkExtension(
  record: Pick<CaseRecord, 'linkExpiresAt' | 'ttl'>,
  step: Pick<StepRecord, 'expiresAt'>,
  linkTtlDays: number,
): string | undefined {
  const current = Date.parse(record.linkExpiresAt);
  const answerableUntil = Date.parse(step.expiresAt);
  if (Number.isNaN(answerableUntil) || current >= answerableUntil + LINK_MARGIN_DAYS * DAY_MS)
    return undefined;
  const until = Math.min(answerableUntil + linkTtlDays * DAY_MS, record.ttl * 1000);
  return until > current ? new Date(until).toISOString() : undefined;
}
