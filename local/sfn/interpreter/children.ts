/**
 * Child threads: the branches of a Parallel and the iterations (or Distributed Map units) of a
 * Map. Launching them, collecting their results in branch or item order, and what a parent
 * does when one ends.
 */
import type { Graph } from '../language/definition';
import type { Json } from '../language/json';
import {
  asStatesError,
  FailStateError,
  StatesError as PlainError,
  type StatesError,
} from '../language/states-errors';
import type { Execution, Thread } from './execution';
import type { InterpreterHub, StateRun } from './ports';

import { dropTree, exitState } from './transitions';

export interface ChildSpec {
  slot: number;
  graph: number;
  input: Json;
  /** The parent's event the child's first event points at. */
  startedEvent: number;
  mapIndex?: number;
  quiet?: boolean;
}

export function launchChild(
  interpreter: InterpreterHub,
  execution: Execution,
  parent: Thread,
  spec: ChildSpec,
): void {
  const record = execution.record;
  const graph = execution.machine.compiled.graphs[spec.graph] as Graph;
  const child: Thread = {
    id: `${record.key}.${record.nextThreadNumber++}`,
    executionKey: record.key,
    graph: spec.graph,
    state: graph.startAt,
    input: spec.input,
    phase: 'enter',
    enteredAt: 0,
    retryCount: 0,
    attempt: 0,
    parentId: parent.id,
    slot: spec.slot,
    lastEventId: spec.startedEvent,
  };
  if (spec.mapIndex !== undefined) child.mapIndex = spec.mapIndex;
  if (spec.quiet || parent.quiet) child.quiet = true;
  interpreter.store.touchExecution(execution);
  interpreter.store.addThread(execution, child);
  interpreter.queue.push(child);
}

/** Drops the children of a Parallel/Map thread whose error a Retry or Catch handles. */
export function dropChildren(interpreter: InterpreterHub, execution: Execution, thread: Thread): void {
  const children = execution.children.get(thread.id);
  if (!children) return;
  for (const child of children) if (child) dropTree(interpreter, execution, child);
  execution.dropChildSlots(thread.id);
  thread.items = undefined;
  // Without children the thread is no longer waiting for them: should the Catch still fail
  // (its ResultPath), a redrive runs the whole state again.
  if (thread.phase === 'children') thread.phase = 'run';
}

/** Every branch or iteration is done: the Parallel or Map completes with their outputs in order. */
export function completeChildren(run: StateRun): void {
  const { interpreter, execution, thread, state } = run;
  const done = execution.children.get(thread.id) ?? [];
  const results = done.map((child) => child.output ?? null);
  for (const child of done) interpreter.store.dropThread(execution, child);
  execution.dropChildSlots(thread.id);
  interpreter.history.emit(
    execution,
    thread,
    state.type === 'Map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded',
  );
  thread.phase = 'run';
  finishWithResults(run, results);
  interpreter.queue.push(thread);
}

/** The children's results through ResultSelector, ResultPath and OutputPath (inline and distributed). */
export function finishWithResults(run: StateRun, results: Json[]): void {
  const { state, thread } = run;
  try {
    const result = state.resultSelector ? state.resultSelector(results, run.context) : results;
    exitState(run, state.outputPath(state.resultPath(thread.input, result), run.context));
  } catch (e) {
    run.interpreter.handleError(run, asStatesError(e));
  }
}

/** A branch or iteration reached its end with `output`. */
export function childSucceeded(
  interpreter: InterpreterHub,
  execution: Execution,
  child: Thread,
  output: Json,
): void {
  const parent = execution.threads.get(child.parentId as string);
  const parentState = parent && execution.stateOf(parent);
  if (parent && parentState?.distributed) {
    interpreter.unitEnded(execution, parent, child, output, null);
    return;
  }
  child.phase = 'done';
  child.output = output;
  interpreter.store.touchThread(execution, child);
  if (!parent || !parentState) return;
  if (parentState.type === 'Map') {
    interpreter.history.emit(execution, parent, 'MapIterationSucceeded', {
      name: parentState.name,
      index: child.mapIndex ?? 0,
    });
  }
  interpreter.pump(execution, parent);
}

/** A branch or iteration failed for good: the parent state fails with its error. */
export function childFailed(
  interpreter: InterpreterHub,
  execution: Execution,
  child: Thread,
  error: StatesError,
): void {
  const parent = execution.threads.get(child.parentId as string);
  const parentState = parent && execution.stateOf(parent);
  if (parent && parentState?.distributed) {
    interpreter.unitEnded(execution, parent, child, null, error);
    return;
  }
  if (!parent || !parentState) {
    dropTree(interpreter, execution, child);
    return;
  }
  const isMap = parentState.type === 'Map';
  if (isMap) {
    interpreter.history.emit(execution, parent, 'MapIterationFailed', {
      name: parentState.name,
      index: child.mapIndex ?? 0,
    });
  }
  interpreter.history.emit(execution, parent, isMap ? 'MapStateFailed' : 'ParallelStateFailed');
  // A Fail state's error is final only for the Fail state; the parent's Retry/Catch see it.
  const seen = error instanceof FailStateError ? new PlainError(error.error, error.causeText) : error;
  interpreter.handleError(interpreter.runOf(execution, parent, parentState), seen);
  interpreter.queue.push(parent);
}
