/**
 * Step Functions' "Execution Status Change" events: every status change of a Standard execution
 * (started, redriven, succeeded, failed, timed out, aborted) becomes the event Step Functions sends
 * to EventBridge's default bus. Express executions send none, as on AWS.
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionStatusChange } from '../sfn/index';
import type { EventBridgeEvent } from './events';
import { ACCOUNT, REGION } from './names';

export function statusChangeEvent(change: ExecutionStatusChange, now: number): EventBridgeEvent {
  const output = change.output ?? null;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: ACCOUNT,
    // EventBridge's event time has whole seconds.
    time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: [change.executionArn],
    detail: {
      executionArn: change.executionArn,
      stateMachineArn: change.stateMachineArn,
      name: change.name,
      status: change.status,
      startDate: change.startDate,
      stopDate: change.stopDate,
      input: change.input ?? null,
      inputDetails: { included: true },
      output,
      outputDetails: output === null ? null : { included: true },
      error: change.error ?? null,
      cause: change.cause ?? null,
      redriveCount: change.redriveCount,
    },
  };
}
