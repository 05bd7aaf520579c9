import type { StepRecord } from './model';
import type { CaseRepository } from './ports';

// An answer can reach a step between two of its waits: the wait whose token it completed has just
// ended, and the next one has not recorded its token yet. The engine then refuses the old token. The
// answer need not be refused with it: the next wait's open-step finds the step answered and hands
// the answer to its own token ('already-done'). This says whether such a next wait comes.

/** How close to its expiry a step's refused token may have been its last wait (clock skew, latency). */
export const LAST_WAIT_MARGIN_MS = 60_000;

/**
 * True when another wait of this step follows the one that refused `step`'s token: an accepted
 * proposal ended it (Step.Retimed, tokenRetimed), or its expiry is still ahead, so the wait was a
 * reminder's or the due date's segment; and the case is still active. A refusal near or after the
 * expiry (the last wait timed out) or of a stopped case (cancelled, erased: its status is written
 * before the execution is stopped) has no next wait.
 */
export async function nextWaitTakesOver(repo: CaseRepository, step: StepRecord, now: Date): Promise<boolean> {
  const expiryAhead = Date.parse(step.expiresAt) - now.getTime() >= LAST_WAIT_MARGIN_MS;
  if (!step.tokenRetimed && !expiryAhead) return false;
  const record = await repo.getCase(step.caseId);
  return record?.status === 'ACTIVE';
}
