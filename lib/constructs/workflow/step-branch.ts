import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Errors, Fail, type IChainable, JsonPath, Timeout } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { OpenStepField } from '../../../functions/domain/open-step-payload';
import { RETIMED_ERROR } from '../../../functions/proposals/ports';
import type { Step } from '../../../workflows/schema';
import { retimeLoop } from './retime-loop';
import { waitSegments } from './segments';
import { waitPayload, waitTask } from './wait-task';

export const EXPIRED_ERROR = 'Case.Expired';

/** The functions a step branch invokes. */
export interface StepFunctions {
  readonly openStep: IFunction;
  /** Re-arms a wait whose schedule moved (functions/handlers/retime-step.ts). */
  readonly retimeStep: IFunction;
}

/**
 * One Parallel branch: the step's wait segments, each a callback task to open-step with a fresh
 * token. A segment's timeout starts the next one; the last one's timeout fails with Case.Expired.
 * The branch's output is the Submission that completed the token (SendTaskSuccess output).
 *
 * Only the stage's first step (`logsStageEntry`) hands open-step the stage entry time, so one
 * invocation writes STAGE_ENTERED instead of one per step, all the same item. Every branch of the
 * stage's Parallel runs its invite at the stage entry, the first one's included, and that invite logs
 * the entry before it opens its step: the stage's last answer, which counts its visit in the report,
 * always finds the entry logged.
 *
 * A step whose definition takes proposals also catches Step.Retimed on every segment: an accepted
 * proposal moved its schedule, and the wait goes on in the re-time loop (retime-loop.ts). The happy
 * path, without proposals accepted, is the same states and transitions as without the loop.
 *
 * `then`: the step that follows this one in the stage (workflows/stage-order.ts), which this step's
 * answer opens; the branch then ends with that step's answer.
 */
export function stepBranch(
  scope: Construct,
  serviceId: string,
  stageId: string,
  step: Step,
  fns: StepFunctions,
  logsStageEntry: boolean,
  then?: IChainable,
): IChainable {
  const expired = new Fail(scope, `Step ${step.id} expired`, {
    error: EXPIRED_ERROR,
    cause: `step ${step.id} was not submitted before its expiry`,
  });
  const tasks = waitSegments(step).map((segment) => {
    const label = segment.notice === 'reminder' ? `reminder ${segment.reminder}` : segment.notice;
    // Every field of the open-step payload contract, and nothing else (checked by the type).
    const contract: Record<OpenStepField, unknown> = {
      caseId: JsonPath.stringAt('$.caseId'),
      serviceId,
      stageId,
      stepId: step.id,
      notice: segment.notice,
      visit: JsonPath.stringAt('$.entry.visit'),
      taskToken: JsonPath.taskToken,
      enteredAt: JsonPath.stringAt('$$.State.EnteredTime'),
      stageEnteredAt: JsonPath.stringAt('$.entry.at'),
      // The definition's own schedule.
      shiftSeconds: 0,
    };
    const payload = waitPayload(contract, logsStageEntry);
    const timeout = Timeout.duration(Duration.seconds(segment.seconds));
    return waitTask(scope, `Step ${step.id} ${label}`, fns.openStep, payload, timeout, then);
  });
  const retime = step.proposals
    ? retimeLoop(scope, serviceId, stageId, step.id, fns, expired, logsStageEntry, then)
    : undefined;
  tasks.forEach((task, i) => {
    // DISCARD keeps the branch input (caseId, entry.visit) for the next segment's payload.
    task.addCatch(tasks[i + 1] ?? expired, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
    if (retime) task.addCatch(retime, { errors: [RETIMED_ERROR], resultPath: JsonPath.DISCARD });
  });
  const first = tasks[0];
  if (!first) throw new Error(`step ${step.id} has no wait segment`);
  return first;
}
