import { caseOfProvider } from '../domain/access';
import { categoriesHeld, type LogDeps, logChange } from '../domain/case-reads';
import { type CaseRecord, executionName } from '../domain/model';
import type { PiiVault } from '../domain/pii';
import type { CaseEraser, CaseRepository, RoundCounters, WorkflowEngine } from '../domain/ports';
import type { Staff } from '../domain/processing-log';
import { NotFoundError } from '../shared/errors';

// Erasing a case's personal data on request (AVG art. 17), by staff of the case's organisation with a
// reason. A running case is stopped first (it cannot go on without its citizen's data), then the
// erasure is logged, then the case's data key and every sealed value go (dynamo-erasure.ts).
// What stays is anonymous: statuses, stage timings, the event types, and the processing log, whose
// erase record keeps the reason sealed with the stack's key (it must outlive the case's key).

export interface EraseDeps extends LogDeps {
  repo: CaseRepository;
  eraser: CaseEraser;
  engine: Pick<WorkflowEngine, 'stopCase'>;
  rounds: RoundCounters;
  vault: PiiVault;
}

/** What Step Functions records as the stop's cause. */
export const ERASE_CAUSE = "Stopped: the case's personal data was erased.";

export async function eraseCase(
  deps: EraseDeps,
  staff: Staff,
  caseId: string,
  reason: string,
): Promise<CaseRecord> {
  const { repo } = deps;
  const record = await caseOfProvider(repo, caseId, staff.provider);
  const at = deps.clock.now().toISOString();
  if (record.status === 'ACTIVE' || record.status === 'FAILED') await stop(deps, record);
  if (!record.erased) {
    const held = categoriesHeld(record, (await repo.getCaseView(caseId))?.steps ?? []);
    await logChange(deps, staff, 'erase', record, held, deps.vault.encrypt(reason));
  }
  // A retry of an erasure that crashed half-way finishes it; the first erasure's time and author hold.
  const erasure = await deps.eraser.erase(caseId, { at, by: staff.provider.who });
  await repo.appendEvent(
    { caseId, at: erasure.at, type: 'CASE_ERASED', actor: 'provider', detail: { by: erasure.by } },
    'erased',
  );
  const after = await repo.getCase(caseId);
  if (!after) throw new NotFoundError('There is no such case.', { caseId });
  return { ...after, erased: erasure };
}

/** The case ends as cancelled; the execution is stopped with a cause that names no one. */
async function stop(deps: EraseDeps, record: CaseRecord): Promise<void> {
  const { repo } = deps;
  if (await repo.closeCase(record.caseId, 'CANCELLED')) {
    if (record.roundId)
      await deps.rounds.addToCounters(record.roundId, { cancelled: 1 }).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
    await repo.appendEvent(
      {
        caseId: record.caseId,
        at: deps.clock.now().toISOString(),
        type: 'CASE_CANCELLED',
        actor: 'provider',
      },
      'erase-cancelled',
    );
  }
  const closed = (await repo.getCase(record.caseId)) ?? record;
  await deps.engine.stopCase(record.serviceId, executionName(closed), ERASE_CAUSE);
}
