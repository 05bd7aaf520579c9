/**
 * The execution actions of the Step Functions API: Start, Describe, List, GetExecutionHistory,
 * and waitForExecution for in-process callers. Stop and Redrive are in execution-control.ts.
 */
import { randomUUID } from 'node:crypto';
import type * as Sfn from '@aws-sdk/client-sfn';
import { Execution, type Thread } from '../interpreter/execution';
import type { StateMachine } from '../interpreter/execution-records';
import { eventView } from '../interpreter/history';
import { redriveBlocker } from '../interpreter/redrive';
import { flat, type Json } from '../language/json';
import type { EngineCore } from '../scheduler/engine-core';
import { executionTimeoutId } from '../scheduler/timers';
import { ACCOUNT, checkArn, checkName, checkPayloadText, SfnApiError } from './api-errors';
import { paginate } from './paging';
import { stateMachineOf } from './state-machines';

export function executionOf(core: EngineCore, arn: unknown): Execution {
  const checked = checkArn(arn, 'execution');
  const execution = core.store.executionByArn(checked);
  if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${checked}'`);
  return execution;
}

export async function startExecution(
  core: EngineCore,
  input: Sfn.StartExecutionInput,
  startedBy?: string,
): Promise<Sfn.StartExecutionOutput> {
  const machine = stateMachineOf(core, input.stateMachineArn);
  const name = flat(input.name === undefined ? randomUUID() : checkName(input.name));
  const text = flat(input.input ?? '{}');
  checkPayloadText(text, 'input');
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${text}'`);
  }
  const arn = flat(`arn:aws:states:${core.region}:${ACCOUNT}:execution:${machine.name}:${name}`);
  // A name we drew (randomUUID) is new: only a caller's name can repeat one.
  if (input.name !== undefined) {
    const old = core.store.executionByArn(arn);
    // Same name and input on a running execution is an idempotent retry (AWS behaviour).
    if (old?.running && old.payloads.input === text) {
      await core.journaled();
      return answer(old);
    }
    const queued = old ? undefined : core.starts.find(arn);
    if (queued?.input === text) return answer(await queued.done);
    if (old || queued) throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }
  // The start is begun and run by the next tick and answered once that commit is durable (in
  // memory mode at once).
  return answer(await core.start(arn, text, () => begin(core, machine, arn, name, text, value, startedBy)));
}

const answer = ({ record }: Execution): Sfn.StartExecutionOutput => ({
  executionArn: record.arn,
  startDate: new Date(record.startDate),
});

function begin(
  core: EngineCore,
  machine: StateMachine,
  arn: string,
  name: string,
  input: string,
  value: Json,
  startedBy: string | undefined,
): Execution {
  const startDate = core.now();
  const key = core.store.nextExecutionKey;
  const record = {
    key,
    arn,
    name,
    stateMachineArn: machine.arn,
    revision: machine.revision,
    status: 'RUNNING' as const,
    startDate,
    nextEventId: 1,
    nextThreadNumber: 1,
    ...(startedBy !== undefined && { startedBy }),
  };
  const execution = new Execution(record, { input }, machine);
  core.store.addExecution(execution);
  const root: Thread = {
    id: `${key}.0`,
    executionKey: key,
    graph: 0,
    state: machine.compiled.graphs[0]?.startAt ?? '',
    input: value,
    phase: 'enter',
    enteredAt: startDate,
    retryCount: 0,
    attempt: 0,
    lastEventId: 0,
  };
  core.interpreter.history.emit(execution, root, 'ExecutionStarted', {
    input,
    inputDetails: { truncated: false },
    roleArn: machine.roleArn,
  });
  const seconds = machine.compiled.timeoutSeconds;
  if (seconds) {
    execution.record.timeoutAt = startDate + seconds * 1000;
    core.timers.add(execution.record.timeoutAt, executionTimeoutId(key));
  }
  core.store.addThread(execution, root);
  core.interpreter.queue.push(root);
  core.notices.record(execution);
  return execution;
}

export function describeExecution(
  core: EngineCore,
  input: Sfn.DescribeExecutionInput,
): Sfn.DescribeExecutionOutput {
  const { record, payloads } = executionOf(core, input.executionArn);
  // "redriveStatus is NOT_REDRIVABLE if calling the RedriveExecution API action would return
  // the ExecutionNotRedrivable error" (DescribeExecution API reference).
  const blocker = redriveBlocker(record, core.store.machines.get(record.stateMachineArn), core.now());
  return {
    executionArn: record.arn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: new Date(record.startDate),
    stopDate: record.stopDate !== undefined ? new Date(record.stopDate) : undefined,
    input: payloads.input,
    inputDetails: { included: true },
    output: payloads.output,
    outputDetails: payloads.output !== undefined ? { included: true } : undefined,
    error: payloads.error,
    cause: payloads.cause,
    redriveCount: record.redriveCount ?? 0,
    redriveDate: record.redriveDate !== undefined ? new Date(record.redriveDate) : undefined,
    redriveStatus: blocker === null ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
    redriveStatusReason: blocker ?? undefined,
  };
}

export function listExecutions(core: EngineCore, input: Sfn.ListExecutionsInput): Sfn.ListExecutionsOutput {
  const machine = core.store.machines.get(checkArn(input.stateMachineArn, 'stateMachine'));
  if (!machine)
    throw new SfnApiError(
      'StateMachineDoesNotExist',
      `State Machine Does Not Exist: '${input.stateMachineArn}'`,
    );
  let list = (core.store.byMachine.get(machine.arn) ?? []).map((entry) => entry.record).reverse();
  if (input.statusFilter) list = list.filter((r) => r.status === input.statusFilter);
  if (input.redriveFilter === 'REDRIVEN') list = list.filter((r) => (r.redriveCount ?? 0) > 0);
  if (input.redriveFilter === 'NOT_REDRIVEN') list = list.filter((r) => !r.redriveCount);
  const { page, nextToken } = paginate(list, input.maxResults, input.nextToken);
  return {
    executions: page.map((r) => ({
      executionArn: r.arn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: new Date(r.startDate),
      stopDate: r.stopDate !== undefined ? new Date(r.stopDate) : undefined,
      redriveCount: r.redriveCount ?? 0,
      redriveDate: r.redriveDate !== undefined ? new Date(r.redriveDate) : undefined,
    })),
    nextToken,
  };
}

export function getExecutionHistory(
  core: EngineCore,
  input: Sfn.GetExecutionHistoryInput,
): Sfn.GetExecutionHistoryOutput {
  const execution = executionOf(core, input.executionArn);
  let events = core.store.history(execution.record.key);
  if (input.reverseOrder) events = [...events].reverse();
  const { page, nextToken } = paginate(events, input.maxResults, input.nextToken);
  return { events: page.map((e) => eventView(e) as unknown as Sfn.HistoryEvent), nextToken };
}

/** Resolves when the execution is no longer RUNNING (in-process helper). */
export function waitForExecution(
  core: EngineCore,
  executionArn: string,
): Promise<Sfn.DescribeExecutionOutput> {
  const execution = executionOf(core, executionArn);
  if (!execution.running) return Promise.resolve(describeExecution(core, { executionArn }));
  return new Promise((resolve) => {
    let waiting = core.waiters.get(executionArn);
    if (!waiting) {
      waiting = [];
      core.waiters.set(executionArn, waiting);
    }
    waiting.push(() => resolve(describeExecution(core, { executionArn })));
  });
}
