/**
 * How a thread moves on: leaving a state for the next one, reaching the end of its graph (the
 * execution succeeds, or a branch or iteration reports to its parent), failing for good, and
 * how a closed execution's threads are parked (for RedriveExecution) or dropped.
 */
import { flat, type Json } from '../language/json';
import { overLimit } from '../language/payload-size';
import { DataLimitExceeded, type StatesError } from '../language/states-errors';
import type { Execution, Thread } from './execution';
import type { ExecutionStatus } from './execution-records';
import type { InterpreterHub, StateRun } from './ports';

/**
 * Leaves the current state with `output`, to `next` (default: the state's Next) or the end. An
 * output over the payload quota fails the state instead (States.DataLimitExceeded, which only a
 * Retry or Catch naming it handles); `caught` says the output is a Catch's, whose failure is final.
 */
export function exitState(
  run: StateRun,
  output: Json,
  next: string | null = run.state.next,
  caught = false,
): void {
  const { interpreter, execution, thread, state } = run;
  if (overLimit(output)) {
    const error = new DataLimitExceeded(
      `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
    if (caught) terminateThread(interpreter, execution, thread, error);
    else interpreter.handleError(run, error);
    return;
  }
  if (state.type !== 'Fail') interpreter.history.exited(execution, thread, state.type, state.name, output);
  thread.items = undefined;
  thread.effectiveInput = undefined;
  thread.mapRun = undefined;
  if (next === null) {
    finishThread(interpreter, execution, thread, output);
    return;
  }
  thread.state = next;
  thread.input = output;
  thread.phase = 'enter';
  interpreter.store.touchThread(execution, thread);
}

/** The thread reached an end state. */
function finishThread(interpreter: InterpreterHub, execution: Execution, thread: Thread, output: Json): void {
  if (thread.parentId !== undefined) {
    interpreter.childSucceeded(execution, thread, output);
    return;
  }
  dropTree(interpreter, execution, thread);
  execution.payloads.output = flat(JSON.stringify(output));
  closeExecution(
    interpreter,
    execution,
    'SUCCEEDED',
    'ExecutionSucceeded',
    { output: execution.payloads.output, outputDetails: { truncated: false } },
    thread,
  );
  execution.succeeded();
}

/**
 * The thread fails for good: its parent state fails, or the execution does. Nothing is dropped
 * here: the failed thread and its still-running siblings keep their positions until the
 * parent's Retry or Catch handles the error (retry-and-catch.ts drops them then). When nothing
 * does, the execution fails with every position parked, and RedriveExecution resumes exactly
 * the unsuccessful branches, iterations and states (redrive.ts).
 */
export function terminateThread(
  interpreter: InterpreterHub,
  execution: Execution,
  thread: Thread,
  error: StatesError,
): void {
  if (thread.parentId !== undefined) {
    interpreter.childFailed(execution, thread, error);
    return;
  }
  parkTree(interpreter, execution, thread);
  const details: Record<string, string> = {};
  if (error.error) details.error = error.error;
  if (error.causeText) details.cause = error.causeText;
  execution.payloads.error = error.error || undefined;
  execution.payloads.cause = error.causeText || undefined;
  closeExecution(interpreter, execution, 'FAILED', 'ExecutionFailed', details, thread);
}

export function closeExecution(
  interpreter: InterpreterHub,
  execution: Execution,
  status: ExecutionStatus,
  eventType: string,
  details: Record<string, unknown>,
  thread: Thread | null,
): void {
  const record = execution.record;
  record.status = status;
  record.stopDate = interpreter.host.now();
  record.timeoutAt = undefined;
  interpreter.history.emit(execution, thread, eventType, details);
  interpreter.store.touchPayloads(execution);
  interpreter.host.executionClosed(execution);
}

/**
 * Stops a thread tree that ended unsuccessfully without forgetting it: its task tokens are
 * answered TaskTimedOut (the execution no longer runs) and ItemReader feeds close, but every
 * thread keeps its state, input and phase for RedriveExecution (in-flight results are ignored,
 * and a resumed task runs as a new attempt).
 */
export function parkTree(interpreter: InterpreterHub, execution: Execution, thread: Thread): void {
  for (const child of execution.children.get(thread.id) ?? [])
    if (child) parkTree(interpreter, execution, child);
  if (thread.mapRun) interpreter.host.closeItemFeed(thread.id);
}

/** Removes a thread and all its descendants (their task tokens with them). */
export function dropTree(interpreter: InterpreterHub, execution: Execution, thread: Thread): void {
  for (const child of execution.children.get(thread.id) ?? [])
    if (child) dropTree(interpreter, execution, child);
  if (thread.mapRun) interpreter.host.closeItemFeed(thread.id);
  interpreter.store.dropThread(execution, thread);
}
