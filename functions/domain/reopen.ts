import { ConflictError } from '../shared/errors';
import { caseCipher } from './case-keys';
import { type LogDeps, logChange } from './case-reads';
import { requireService } from './definitions';
import type { CaseRecord } from './model';
import type { PiiVault } from './pii';
import type { CaseReopener, CaseResumer, Clock } from './ports';
import type { Staff } from './processing-log';
import { type ReopenSmsDeps, textReopened } from './reopen-sms';
import { reopenWindowEnd } from './reopen-window';

// "It is not done": within the window its definition sets, either partner reopens a COMPLETED case with
// a reason. The case goes back to ACTIVE in one conditional write (so repeated or concurrent requests
// change it once), the event log says who reopened it and why (the reason sealed with the case's key,
// like a cancel reason), and a new execution starts at the definition's stage, named and numbered
// like a continuation. Its input is rebuilt from the case, so a retry starts the same execution.

/** Who reopens: staff (logged in the processing log) or the citizen through their link. */
export type Reopener = { actor: 'provider'; staff: Staff } | { actor: 'citizen' };

export interface ReopenDeps extends LogDeps, ReopenSmsDeps {
  reopener: CaseReopener;
  engine: CaseResumer;
  clock: Clock;
  vault: PiiVault;
}

/**
 * `record` is the case as the caller read it, after its access check. Its completion time is its
 * `updatedAt`: the state machine's last write, and nothing changes a completed case but this.
 */
export async function reopenCase(
  deps: ReopenDeps,
  record: CaseRecord,
  by: Reopener,
  reason: string,
): Promise<CaseRecord> {
  const settings = requireService(record.serviceId).reopen;
  if (!settings)
    throw new ConflictError('REOPEN_NOT_OFFERED', 'Cases of this service cannot be reopened.', {
      status: record.status,
    });
  if (record.status !== 'COMPLETED') {
    // A retry of a reopening whose start was lost: the same name and input start it (once).
    const { reopened } = record;
    if (record.status === 'ACTIVE' && reopened && record.execution === reopened.execution)
      await resume(deps, record, settings.stage, reopened.execution);
    throw notCompleted(record.status);
  }
  const now = deps.clock.now();
  const closes = reopenWindowEnd(record.updatedAt, settings.windowDays);
  if (!(now.getTime() <= closes))
    throw new ConflictError(
      'REOPEN_WINDOW_CLOSED',
      `A case can be reopened up to ${settings.windowDays} days after it was completed; that was on ${record.updatedAt.slice(0, 10)}.`,
      { status: record.status, completedAt: record.updatedAt, windowDays: settings.windowDays },
    );
  // Throws CASE_ERASED (409) for a case whose key is gone: it takes no new personal data.
  const reasonEnc = caseCipher(deps.vault, record).seal(reason);
  const at = now.toISOString();
  const reopened = await deps.reopener.reopen(record.caseId, record.updatedAt, at);
  // Another request reopened it (or the machine changed it) since the read.
  if (!reopened) throw notCompleted('ACTIVE');
  const stageId = settings.stage;
  await deps.repo.appendEvent(
    {
      caseId: record.caseId,
      at,
      type: 'CASE_REOPENED',
      actor: by.actor,
      detail: {
        reasonEnc,
        by: by.actor === 'provider' ? by.staff.provider.who : 'citizen',
        stageId,
        execution: reopened.execution,
      },
    },
    `reopened-${reopened.continuation}`,
  );
  // Staff wrote a note into the case: a change of personal data, on record in the processing log.
  if (by.actor === 'provider') await logChange(deps, by.staff, 'update', record, ['notes']);
  await resume(deps, record, stageId, reopened.execution);
  await textReopened(deps, record, at, reopened.continuation);
  const { failure: _none, ...rest } = record;
  return {
    ...rest,
    status: 'ACTIVE',
    // Where the new execution starts; the machine records it when it enters the stage.
    stage: stageId,
    updatedAt: at,
    execution: reopened.execution,
    reopened: { at, execution: reopened.execution },
  };
}

function notCompleted(status: string): ConflictError {
  return new ConflictError(
    'CASE_NOT_COMPLETED',
    `Only a completed case can be reopened; this one is ${status.toLowerCase()}.`,
    { status },
  );
}

/**
 * The execution's input, like a continuation's: the first execution's fields, resumeAt and the
 * number. Nothing personal. A round's case leaves its roundId out: the round counted its end once,
 * and a reopening is not part of the round.
 */
function resume(deps: Pick<ReopenDeps, 'engine'>, record: CaseRecord, stageId: string, execution: string) {
  const continuation = Number(execution.slice(record.caseId.length + 1));
  return deps.engine.resumeCase(record.serviceId, execution, {
    caseId: record.caseId,
    serviceId: record.serviceId,
    org: record.org,
    createdAt: record.createdAt,
    resumeAt: stageId,
    continuation,
  });
}
