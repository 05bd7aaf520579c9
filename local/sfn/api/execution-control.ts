/** StopExecution and RedriveExecution. */
import type * as Sfn from '@aws-sdk/client-sfn';
import { earlierRedrive, redriveBlocker, resumeExecution } from '../interpreter/redrive';
import { closeExecution, parkTree } from '../interpreter/transitions';
import type { EngineCore } from '../scheduler/engine-core';
import { executionTimeoutId } from '../scheduler/timers';
import { SfnApiError } from './api-errors';
import { executionOf } from './executions';

export async function stopExecution(
  core: EngineCore,
  input: Sfn.StopExecutionInput,
): Promise<Sfn.StopExecutionOutput> {
  const execution = executionOf(core, input.executionArn);
  if (execution.running) {
    const root = execution.rootThread();
    if (root) parkTree(core.interpreter, execution, root);
    execution.payloads.error = input.error;
    execution.payloads.cause = input.cause;
    const details: Record<string, string> = {};
    if (input.error !== undefined) details.error = input.error;
    if (input.cause !== undefined) details.cause = input.cause;
    closeExecution(core.interpreter, execution, 'ABORTED', 'ExecutionAborted', details, root ?? null);
    await core.settle();
  }
  return { stopDate: new Date(execution.record.stopDate ?? core.now()) };
}

/**
 * Continues a FAILED, TIMED_OUT or ABORTED execution from the states that did not succeed
 * (interpreter/redrive.ts). A repeated clientToken within 15 minutes answers like the first call.
 */
export async function redriveExecution(
  core: EngineCore,
  input: Sfn.RedriveExecutionInput,
): Promise<Sfn.RedriveExecutionOutput> {
  const token = input.clientToken;
  if (token !== undefined && (typeof token !== 'string' || !/^[!-~]{1,64}$/.test(token))) {
    throw new SfnApiError('ValidationException', 'clientToken must be 1 to 64 printable ASCII characters');
  }
  const execution = executionOf(core, input.executionArn);
  const record = execution.record;
  const now = core.now();
  const earlier = earlierRedrive(record, token, now);
  if (earlier !== undefined) {
    await core.journal?.sync();
    return { redriveDate: new Date(earlier) };
  }
  const blocker = redriveBlocker(record, core.store.machines.get(record.stateMachineArn), now);
  if (blocker !== null) throw new SfnApiError('ExecutionNotRedrivable', blocker);
  resumeExecution(core.interpreter, execution, now, token);
  if (record.timeoutAt !== undefined) core.timers.add(record.timeoutAt, executionTimeoutId(record.key));
  core.notices.record(execution);
  await core.settle();
  return { redriveDate: new Date(record.redriveDate ?? now) };
}
