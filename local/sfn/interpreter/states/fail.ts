/**
 * The Fail state: fails its branch (or the execution) with its Error and Cause (or ErrorPath and
 * CausePath, read from the raw state input). Its own error is not retried or caught by itself.
 */
import { FailStateError } from '../../language/states-errors';
import type { StateRun } from '../ports';
import { terminateThread } from '../transitions';

export function runFail(run: StateRun): void {
  const { interpreter, execution, thread, state } = run;
  const error = state.failError?.(thread.input, run.context);
  const cause = state.failCause?.(thread.input, run.context);
  terminateThread(interpreter, execution, thread, new FailStateError(error, cause));
}
