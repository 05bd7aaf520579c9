import { ConflictError, NotFoundError } from '../shared/errors';
import { caseOfProvider } from './access';
import { caseCipher } from './case-keys';
import type { CaseDeps } from './cases';
import type { Provider } from './model';
import { type CaseRecord, executionName } from './model';
import type { RoundCounters } from './ports';

// A provider stops a case for good (POST /cases/{caseId}/cancel, and the console's Cancel).

/**
 * Stops a case for good. Staff write the reason (it may name the citizen), so it is sealed with the
 * case's key like its other personal data, and the execution is stopped with a neutral cause: Step
 * Functions keeps a stop's cause in the history.
 */
export async function cancelCase(
  deps: Pick<CaseDeps, 'repo' | 'engine' | 'clock' | 'vault'> & {
    rounds: RoundCounters;
  },
  provider: Provider,
  caseId: string,
  reason: string,
): Promise<CaseRecord> {
  const record = await caseOfProvider(deps.repo, caseId, provider);
  const sealed = caseCipher(deps.vault, record).seal(reason);
  if (!(await deps.repo.closeCase(caseId, 'CANCELLED', sealed))) {
    // Read ACTIVE or FAILED but refused: another request cancelled it just now.
    const status = record.status === 'ACTIVE' || record.status === 'FAILED' ? 'CANCELLED' : record.status;
    throw new ConflictError('CASE_CLOSED', `The case is already ${status.toLowerCase()}.`, { status });
  }
  // Only after closeCase succeeded, so a repeated cancel counts once on the round. The round item may
  // have expired before its cases (it was created first): the case is still cancelled.
  if (record.roundId)
    await deps.rounds.addToCounters(record.roundId, { cancelled: 1 }).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
  // The current execution, read again now that the case is closed: a continuation may have begun
  // since the first read, and the machine names a new one only while the case is ACTIVE.
  const closed = (await deps.repo.getCase(caseId)) ?? record;
  await deps.engine.stopCase(record.serviceId, executionName(closed), CANCEL_CAUSE);
  const at = deps.clock.now().toISOString();
  await deps.repo.appendEvent({
    caseId,
    at,
    type: 'CASE_CANCELLED',
    actor: 'provider',
    detail: { reasonEnc: sealed, by: provider.who },
  });
  const { failure: _gone, ...rest } = record;
  return { ...rest, status: 'CANCELLED', cancelReasonEnc: sealed, updatedAt: at };
}

/** What Step Functions records as the stop's cause: the reason itself stays sealed on the case. */
export const CANCEL_CAUSE = 'Cancelled by the provider; the reason is on the case.';
