/**
 * What becomes of a task attempt: its integration's result (through ResultSelector, ResultPath
 * and OutputPath), its error (to Retry and Catch), or, for a callback task, the moment its
 * integration call returned (TaskSubmitted) and only the token is awaited. Outcomes of an older
 * attempt, or of a thread that moved on, are ignored.
 */

import type { Json } from '../language/json';
import { overLimit } from '../language/payload-size';
import { describeResource, isLambdaArn } from '../language/resource-arns';
import { asStatesError, DataLimitExceeded, type StatesError } from '../language/states-errors';
import type { Execution, Thread } from './execution';
import type { InterpreterHub } from './ports';
import { exitState } from './transitions';

function isLive(execution: Execution, thread: Thread, attempt: number): boolean {
  return (
    execution.running &&
    execution.threads.get(thread.id) === thread &&
    thread.phase === 'task' &&
    thread.attempt === attempt
  );
}

/** Forgets the running task: its token, timers and input (a late result for it is then ignored). */
export function forgetTask(thread: Thread): void {
  thread.taskToken = undefined;
  thread.submitted = undefined;
  thread.timeoutAt = undefined;
  thread.heartbeatAt = undefined;
  thread.heartbeatSeconds = undefined;
  thread.effectiveInput = undefined;
}

function leaveTask(interpreter: InterpreterHub, execution: Execution, thread: Thread): void {
  forgetTask(thread);
  thread.phase = 'run';
  interpreter.store.touchThread(execution, thread);
}

export function taskSucceeded(
  interpreter: InterpreterHub,
  execution: Execution,
  thread: Thread,
  attempt: number,
  result: Json,
): void {
  if (!isLive(execution, thread, attempt)) return;
  const state = execution.stateOf(thread);
  const resource = state.resource as string;
  if (overLimit(result)) {
    // As AWS reports a connector's result over the quota: TaskFailed, named by resource type.
    const cause = `The state/task '${describeResource(resource).resourceType}' returned a result with a size exceeding the maximum number of bytes service limit.`;
    taskFailed(interpreter, execution, thread, attempt, new DataLimitExceeded(cause));
    return;
  }
  leaveTask(interpreter, execution, thread);
  const output = { output: JSON.stringify(result), outputDetails: { truncated: false } };
  if (isLambdaArn(resource)) interpreter.history.emit(execution, thread, 'LambdaFunctionSucceeded', output);
  else
    interpreter.history.emit(execution, thread, 'TaskSucceeded', {
      ...describeResource(resource),
      ...output,
    });
  const run = interpreter.runOf(execution, thread, state);
  try {
    const selected = state.resultSelector ? state.resultSelector(result, run.context) : result;
    exitState(run, state.outputPath(state.resultPath(thread.input, selected), run.context));
  } catch (e) {
    interpreter.handleError(run, asStatesError(e));
  }
  interpreter.queue.push(thread);
}

export function taskFailed(
  interpreter: InterpreterHub,
  execution: Execution,
  thread: Thread,
  attempt: number,
  error: StatesError,
  timedOut = false,
): void {
  if (!isLive(execution, thread, attempt)) return;
  const state = execution.stateOf(thread);
  const resource = state.resource as string;
  leaveTask(interpreter, execution, thread);
  // An empty cause is left out, as AWS does for timeouts.
  const details = error.causeText ? { error: error.error, cause: error.causeText } : { error: error.error };
  if (isLambdaArn(resource)) {
    interpreter.history.emit(
      execution,
      thread,
      timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed',
      details,
    );
  } else {
    interpreter.history.emit(execution, thread, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
      ...describeResource(resource),
      ...details,
    });
  }
  interpreter.handleError(interpreter.runOf(execution, thread, state), error);
  interpreter.queue.push(thread);
}

/** A callback task's integration call returned: the task now waits for its token only. */
export function taskSubmitted(
  interpreter: InterpreterHub,
  execution: Execution,
  thread: Thread,
  attempt: number,
  response: Json,
): void {
  if (!isLive(execution, thread, attempt)) return;
  const base = (execution.stateOf(thread).resource as string).replace(/\.waitForTaskToken$/, '');
  thread.submitted = true;
  interpreter.store.touchThread(execution, thread);
  interpreter.history.emit(execution, thread, 'TaskSubmitted', {
    resourceType: base.split(':')[5] ?? 'lambda',
    resource: `${base.split(':')[6] ?? ''}.waitForTaskToken`,
    output: JSON.stringify(response),
    outputDetails: { truncated: false },
  });
}
