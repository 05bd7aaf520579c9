/**
 * The Parallel state: one child thread per branch, all started at once on the same input
 * (Parameters applied); the state completes with the branch outputs in branch order.
 */
import type { Json } from '../../language/json';
import { completeChildren, launchChild } from '../children';
import { checkInput } from '../payload-checks';
import type { StateRun } from '../ports';

export function runParallel(run: StateRun, input: Json): void {
  const { interpreter, execution, thread, state } = run;
  const parameters = state.parameters ? state.parameters(input, run.context) : input;
  checkInput(state.name, parameters);
  const startedEvent = interpreter.history.emit(execution, thread, 'ParallelStateStarted');
  thread.phase = 'children';
  interpreter.store.touchThread(execution, thread);
  for (const [slot, graph] of (state.branches ?? []).entries()) {
    launchChild(interpreter, execution, thread, { slot, graph, input: parameters, startedEvent });
  }
  pumpParallel(run);
}

/** Completes the state once every branch is done. */
export function pumpParallel(run: StateRun): void {
  const children = run.execution.children.get(run.thread.id) ?? [];
  let running = 0;
  for (const child of children) if (child && child.phase !== 'done') running++;
  if (running > 0 || children.length < (run.state.branches?.length ?? 0)) return;
  completeChildren(run);
}
