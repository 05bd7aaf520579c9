import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  type IChainable,
  IntegrationPattern,
  JsonPath,
  TaskInput,
  type Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { OpenStepField } from '../../../functions/domain/open-step-payload';
import { LAMBDA_TRANSIENT, OPEN_STEP_TRANSIENT, retryTransient } from './retry';

/** The open-step payload's fields; only the stage's first step hands over the stage entry time (step-branch.ts). */
export type WaitPayload = Omit<Record<OpenStepField, unknown>, 'stageEnteredAt'> & {
  stageEnteredAt?: unknown;
};

/** A wait's payload: every field of the contract, but the stage entry time only from the stage's first step. */
export function waitPayload(contract: Record<OpenStepField, unknown>, logsStageEntry: boolean): WaitPayload {
  if (logsStageEntry) return contract;
  const { stageEnteredAt: _entry, ...withoutEntry } = contract;
  return withoutEntry;
}

/**
 * One wait of a step: a callback task to open-step with a fresh token, waiting `timeout`. Its answer
 * ends the branch (the Submission is the branch's output), or, when a step follows it in the stage
 * (`then`, workflows/stage-order.ts), opens that one: the answer is dropped and the branch input
 * (caseId, entry) goes on to the next step's payload.
 */
export function waitTask(
  scope: Construct,
  id: string,
  openStep: IFunction,
  payload: WaitPayload,
  timeout: Timeout,
  then?: IChainable,
): LambdaInvoke {
  const task = new LambdaInvoke(scope, id, {
    lambdaFunction: openStep,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject(payload),
    taskTimeout: timeout,
    // The case policy below replaces CDK's default Lambda retry.
    retryOnServiceExceptions: false,
    ...(then && { resultPath: JsonPath.DISCARD }),
  });
  // Lambda's transient errors, and open-step's own: it is idempotent. Never States.Timeout.
  retryTransient(task, [...LAMBDA_TRANSIENT, ...OPEN_STEP_TRANSIENT]);
  if (then) task.next(then);
  return task;
}
