import { ConflictError } from '../shared/errors';
import { caseOfProvider } from './access';
import type { Provider } from './model';
import { CAUSE_MAX_LENGTH, type CaseFailure, type CaseRecord, executionName } from './model';
import type { CaseRepository, Clock, ExecutionDescriber, WorkflowEngine } from './ports';

// A case whose execution failed after its retries (or timed out, or was aborted) is FAILED for both
// partners to see, with what went wrong; a redrive resumes the execution from the states that did
// not succeed and makes the case ACTIVE again. Both are conditional writes on the case item, so a
// repeated status event changes nothing and of concurrent redrives exactly one goes through.

/** A closed execution as the status event (EventBridge) tells it, made plain by the handler. */
export interface ExecutionStopped {
  caseId: string;
  /** The execution's name: the case id, or `<caseId>-<n>` for a continuation. */
  execution: string;
  executionArn: string;
  status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  error?: string;
  cause?: string;
  stoppedAt: string;
  /** Absent when the event leaves it out; DescribeExecution then tells it with error and cause. */
  redriveCount?: number;
}

export type MarkOutcome = 'failed' | 'already-failed' | 'ignored';

export async function markCaseFailed(
  deps: { repo: CaseRepository; executions: ExecutionDescriber },
  stopped: ExecutionStopped,
): Promise<MarkOutcome> {
  const { repo } = deps;
  const record = await repo.getCase(stopped.caseId);
  // A cancelled or finished case, or an execution the case has left behind (a continuation).
  if (!record || executionName(record) !== stopped.execution) return 'ignored';
  if (record.status !== 'ACTIVE' && record.status !== 'FAILED') return 'ignored';
  const failure = await failureOf(deps, stopped);
  if (record.status === 'ACTIVE' && (await repo.failCase(record.caseId, failure))) {
    await recordFailure(repo, record.caseId, failure);
    return 'failed';
  }
  // A repeated event, or the write above lost to another delivery of it: the event log is rewritten
  // under the same key (a crash may have come between the two writes). Anything else is stale.
  const now = record.status === 'FAILED' ? record : await repo.getCase(record.caseId);
  if (now?.status !== 'FAILED' || !sameAttempt(now.failure, failure)) return 'ignored';
  await recordFailure(repo, record.caseId, now.failure as CaseFailure);
  return 'already-failed';
}

async function failureOf(
  deps: { executions: ExecutionDescriber },
  stopped: ExecutionStopped,
): Promise<CaseFailure> {
  let { error, cause, redriveCount } = stopped;
  if ((error === undefined && cause === undefined) || redriveCount === undefined) {
    const described = await deps.executions.describeFailure(stopped.executionArn);
    error ??= described.error;
    cause ??= described.cause;
    redriveCount ??= described.redriveCount;
  }
  return {
    error: error || (stopped.status === 'TIMED_OUT' ? 'States.Timeout' : `Execution.${stopped.status}`),
    cause: (cause ?? '').slice(0, CAUSE_MAX_LENGTH),
    at: stopped.stoppedAt,
    execution: stopped.execution,
    redriveCount,
  };
}

const sameAttempt = (a: CaseFailure | undefined, b: CaseFailure) =>
  a?.execution === b.execution && a.redriveCount === b.redriveCount;

function recordFailure(repo: CaseRepository, caseId: string, failure: CaseFailure): Promise<void> {
  return repo.appendEvent(
    {
      caseId,
      at: failure.at,
      type: 'CASE_FAILED',
      actor: 'system',
      detail: { error: failure.error, cause: failure.cause, execution: failure.execution },
    },
    `failed-${failure.execution}-${failure.redriveCount}`,
  );
}

/**
 * "Try again" (API and console): the case back to ACTIVE first, so the resumed states find it
 * active, then RedriveExecution; a redrive Step Functions refuses puts the failure back.
 */
export async function redriveFailedCase(
  deps: { repo: CaseRepository; engine: Pick<WorkflowEngine, 'redriveCase'>; clock: Clock },
  provider: Provider,
  caseId: string,
): Promise<CaseRecord> {
  const { repo } = deps;
  const record = await caseOfProvider(repo, caseId, provider);
  const { failure } = record;
  if (record.status !== 'FAILED' || !failure || !(await repo.reactivateCase(caseId, failure))) {
    // Not failed, or another request is resuming it right now.
    const status = record.status === 'FAILED' ? 'ACTIVE' : record.status;
    throw new ConflictError(
      'CASE_NOT_FAILED',
      `Only a failed case can be tried again; this one is ${status.toLowerCase()}.`,
      {
        status,
      },
    );
  }
  // Taken before the redrive: a case that fails again at once logs CASE_FAILED after this event.
  const at = deps.clock.now().toISOString();
  try {
    await deps.engine.redriveCase(record.serviceId, executionName(record));
  } catch (error) {
    await repo.restoreFailure(caseId, failure);
    throw error;
  }
  await repo.appendEvent({
    caseId,
    at,
    type: 'CASE_REDRIVEN',
    actor: 'provider',
    detail: { by: provider.who, execution: failure.execution },
  });
  const { failure: _resumed, ...rest } = record;
  return { ...rest, status: 'ACTIVE', updatedAt: at };
}
