import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Errors,
  type Fail,
  type IChainable,
  JsonPath,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { OpenStepField } from '../../../functions/domain/open-step-payload';
import { RETIMED_ERROR } from '../../../functions/proposals/ports';
import type { RetimeField } from '../../../functions/proposals/retime-payload';
import { LAMBDA_TRANSIENT, retryTransient } from './retry';
import { waitPayload, waitTask } from './wait-task';

// The re-time loop of a step that takes proposals. A wait that ends with Step.Retimed (an accepted
// proposal moved the schedule) comes here: retime-step reads the step's shifted schedule at the
// engine's "now" and says which segment runs and for how long; one re-armed callback task waits that
// long (TimeoutSecondsPath) with that segment's notice (none when this visit sent it already); its
// timeout or another Step.Retimed comes back to retime-step. Past the shifted expiry the step expires.
// Every pass is bounded (budget.ts, retimeCost): at most one per accepted proposal and per segment.

/** Where retime-step's answer goes in the branch's state: the branch input (caseId, entry) stays. */
const RESULT = '$.retime';

export function retimeLoop(
  scope: Construct,
  serviceId: string,
  stageId: string,
  stepId: string,
  fns: { openStep: IFunction; retimeStep: IFunction },
  expired: Fail,
  logsStageEntry: boolean,
  then?: IChainable,
): IChainable {
  const input: Record<RetimeField, unknown> = {
    caseId: JsonPath.stringAt('$.caseId'),
    serviceId,
    stepId,
    visit: JsonPath.stringAt('$.entry.visit'),
    now: JsonPath.stringAt('$$.State.EnteredTime'),
  };
  const retime = new LambdaInvoke(scope, `Step ${stepId} retime`, {
    lambdaFunction: fns.retimeStep,
    payload: TaskInput.fromObject(input),
    payloadResponseOnly: true,
    resultPath: RESULT,
    retryOnServiceExceptions: false,
  });
  retryTransient(retime, LAMBDA_TRANSIENT);
  const contract: Record<OpenStepField, unknown> = {
    caseId: JsonPath.stringAt('$.caseId'),
    serviceId,
    stageId,
    stepId,
    notice: JsonPath.stringAt(`${RESULT}.notice`),
    visit: JsonPath.stringAt('$.entry.visit'),
    taskToken: JsonPath.taskToken,
    enteredAt: JsonPath.stringAt('$$.State.EnteredTime'),
    stageEnteredAt: JsonPath.stringAt('$.entry.at'),
    shiftSeconds: JsonPath.numberAt(`${RESULT}.shiftSeconds`),
  };
  // As in step-branch.ts: only the stage's first step logs its entry.
  const payload = waitPayload(contract, logsStageEntry);
  const rearmed = waitTask(
    scope,
    `Step ${stepId} rearmed`,
    fns.openStep,
    payload,
    Timeout.at(`${RESULT}.seconds`),
    then,
  );
  rearmed.addCatch(retime, { errors: [Errors.TIMEOUT, RETIMED_ERROR], resultPath: JsonPath.DISCARD });
  const choice = new Choice(scope, `Step ${stepId} expired after retime?`)
    .when(Condition.booleanEquals(`${RESULT}.expired`, true), expired)
    .otherwise(rearmed);
  return retime.next(choice);
}
