/**
 * The Task state: Parameters, TimeoutSeconds and HeartbeatSeconds evaluated, a task token for
 * `.waitForTaskToken`, the scheduled/started history events, then the integration call is handed
 * to the scheduler (it runs once this batch is journaled). The outcome comes back through
 * task-outcome.ts; a timer past TimeoutSeconds or HeartbeatSeconds fails the attempt here.
 */

import type { Json } from '../../language/json';
import { describeResource, isLambdaArn, splitResource } from '../../language/resource-arns';
import { HeartbeatTimeout, TaskTimeout } from '../../language/states-errors';
import { checkInput } from '../payload-checks';
import type { StateRun } from '../ports';
import { taskFailed } from '../task-outcome';

export function runTask(run: StateRun, input: Json): void {
  const { interpreter, execution, thread, state } = run;
  const resource = state.resource as string;
  const { pattern } = splitResource(resource);
  thread.attempt++;
  thread.taskToken = pattern === 'token' ? interpreter.host.issueToken(execution, thread) : undefined;
  const parameters = state.parameters ? state.parameters(input, run.context) : input;
  checkInput(state.name, parameters);
  const now = interpreter.host.now();
  const timeout = state.timeoutSeconds?.(input, run.context);
  const heartbeat = state.heartbeatSeconds?.(input, run.context);
  thread.phase = 'task';
  thread.submitted = false;
  thread.effectiveInput = parameters;
  thread.timeoutAt = timeout ? now + timeout * 1000 : undefined;
  thread.heartbeatAt = heartbeat ? now + heartbeat * 1000 : undefined;
  thread.heartbeatSeconds = heartbeat;
  interpreter.store.touchThread(execution, thread);
  if (thread.timeoutAt) interpreter.host.setTimer(thread.timeoutAt, thread.id);
  if (thread.heartbeatAt) interpreter.host.setTimer(thread.heartbeatAt, thread.id);
  const history = interpreter.history;
  if (isLambdaArn(resource)) {
    history.emit(execution, thread, 'LambdaFunctionScheduled', {
      resource,
      input: JSON.stringify(parameters),
      inputDetails: { truncated: false },
      ...(timeout ? { timeoutInSeconds: timeout } : {}),
    });
    history.emit(execution, thread, 'LambdaFunctionStarted');
  } else {
    const described = describeResource(resource);
    history.emit(execution, thread, 'TaskScheduled', {
      ...described,
      region: interpreter.host.region,
      parameters: JSON.stringify(parameters),
      ...(timeout ? { timeoutInSeconds: timeout } : {}),
      ...(heartbeat ? { heartbeatInSeconds: heartbeat } : {}),
    });
    history.emit(execution, thread, 'TaskStarted', described);
  }
  interpreter.host.dispatchTask(execution, thread);
}

/** A timer fired while the task runs: past TimeoutSeconds, or a heartbeat missed. */
export function taskTimerFired(run: StateRun): void {
  const { interpreter, execution, thread } = run;
  const now = interpreter.host.now();
  if (thread.timeoutAt !== undefined && thread.timeoutAt <= now) {
    taskFailed(interpreter, execution, thread, thread.attempt, new TaskTimeout(), true);
  } else if (thread.heartbeatAt !== undefined && thread.heartbeatAt <= now) {
    taskFailed(interpreter, execution, thread, thread.attempt, new HeartbeatTimeout(), true);
  }
}
