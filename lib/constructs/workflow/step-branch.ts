import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Errors,
  Fail,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { OpenStepField } from '../../../functions/domain/open-step-payload';
import type { Step } from '../../../workflows/schema';
import { LAMBDA_TRANSIENT, OPEN_STEP_TRANSIENT, retryTransient } from './retry';
import { waitSegments } from './segments';

export const EXPIRED_ERROR = 'Case.Expired';

/**
 * One Parallel branch: the step's wait segments, each a callback task to open-step with a fresh
 * token. A segment's timeout starts the next one; the last one's timeout fails with Case.Expired.
 * The branch's output is the Submission that completed the token (SendTaskSuccess output).
 */
export function stepBranch(
  scope: Construct,
  serviceId: string,
  stageId: string,
  step: Step,
  openStep: IFunction,
): IChainable {
  const tasks = waitSegments(step).map((segment) => {
    const label = segment.notice === 'reminder' ? `reminder ${segment.reminder}` : segment.notice;
    // Every field of the open-step payload contract, and nothing else (checked by the type).
    const payload: Record<OpenStepField, unknown> = {
      caseId: JsonPath.stringAt('$.caseId'),
      serviceId,
      stageId,
      stepId: step.id,
      notice: segment.notice,
      visit: JsonPath.stringAt('$.entry.visit'),
      taskToken: JsonPath.taskToken,
      enteredAt: JsonPath.stringAt('$$.State.EnteredTime'),
      stageEnteredAt: JsonPath.stringAt('$.entry.at'),
    };
    const task = new LambdaInvoke(scope, `Step ${step.id} ${label}`, {
      lambdaFunction: openStep,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject(payload),
      taskTimeout: Timeout.duration(Duration.seconds(segment.seconds)),
      // The case policy below replaces CDK's default Lambda retry.
      retryOnServiceExceptions: false,
    });
    // Lambda's transient errors, and open-step's own: it is idempotent. Never States.Timeout.
    return retryTransient(task, [...LAMBDA_TRANSIENT, ...OPEN_STEP_TRANSIENT]);
  });
  const expired = new Fail(scope, `Step ${step.id} expired`, {
    error: EXPIRED_ERROR,
    cause: `step ${step.id} was not submitted before its expiry`,
  });
  tasks.forEach((task, i) => {
    // DISCARD keeps the branch input (caseId, entry.visit) for the next segment's payload.
    task.addCatch(tasks[i + 1] ?? expired, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
  });
  const first = tasks[0];
  if (!first) throw new Error(`step ${step.id} has no wait segment`);
  return first;
}
