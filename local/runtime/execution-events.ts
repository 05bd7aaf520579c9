/**
 * Step Functions' "Execution Status Change" events: every status change of a Standard execution
 * (started, redriven, succeeded, failed, timed out, aborted) becomes the event Step Functions sends
 * to EventBridge's default bus. Express executions send none, as on AWS.
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from './events';
import { ACCOUNT, REGION } from './names';

/** What the engine reports on a status change (the engine stream's `onStatusChange` contract). */
export interface ExecutionStatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number | Date;
  stopDate?: number | Date | null;
  input?: string | null;
  output?: string | null;
  error?: string | null;
  cause?: string | null;
  redriveCount?: number;
}

export type StatusListener = (change: ExecutionStatusChange) => void | Promise<void>;

interface StatusSource {
  onStatusChange?: (listener: StatusListener) => unknown;
}

/**
 * Subscribes to the engine's status changes. Returns false when this engine cannot report them
 * (an engine from before `onStatusChange`), so the caller can say that the rules will not fire.
 */
export function subscribeStatusChanges(engine: object, listener: StatusListener): boolean {
  const source = engine as StatusSource;
  if (typeof source.onStatusChange !== 'function') return false;
  source.onStatusChange.call(engine, listener);
  return true;
}

const millis = (d: number | Date | null | undefined) =>
  d === undefined || d === null ? null : typeof d === 'number' ? d : d.getTime();

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
      startDate: millis(change.startDate),
      stopDate: millis(change.stopDate),
      input: change.input ?? null,
      inputDetails: { included: true },
      output,
      outputDetails: output === null ? null : { included: true },
      error: change.error ?? null,
      cause: change.cause ?? null,
      redriveCount: change.redriveCount ?? 0,
    },
  };
}
