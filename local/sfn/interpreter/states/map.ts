/**
 * The (inline) Map state: one child thread per item of ItemsPath, started in item order while
 * fewer than MaxConcurrency run (0 = all at once); each gets its item through ItemSelector
 * (with $$.Map.Item). The state completes with the iteration outputs in item order.
 */
import type { Json } from '../../language/json';
import { StatesRuntimeError } from '../../language/states-errors';
import { completeChildren, launchChild } from '../children';
import type { StateRun } from '../ports';

export function runMap(run: StateRun, input: Json): void {
  const { interpreter, execution, thread, state } = run;
  const items = (state.itemsPath as NonNullable<typeof state.itemsPath>)(input, run.context);
  if (!Array.isArray(items)) {
    throw new StatesRuntimeError(
      `Invalid path 'ItemsPath': the value at ItemsPath is not an array: ${JSON.stringify(items)}`,
    );
  }
  interpreter.history.emit(execution, thread, 'MapStateStarted', { length: items.length });
  thread.phase = 'children';
  thread.items = items;
  thread.effectiveInput = input;
  interpreter.store.touchThread(execution, thread);
  pumpMap(run);
}

/** Starts more iterations if MaxConcurrency allows; completes the state when all are done. */
export function pumpMap(run: StateRun): void {
  const { interpreter, execution, thread, state } = run;
  const children = execution.children.get(thread.id) ?? [];
  let running = 0;
  for (const child of children) if (child && child.phase !== 'done') running++;
  const items = thread.items ?? [];
  const max = state.maxConcurrency ?? 0;
  for (let i = children.length; i < items.length && (max <= 0 || running < max); i++, running++) {
    const item = items[i] as Json;
    const input = state.itemSelector
      ? state.itemSelector(thread.effectiveInput ?? null, () =>
          run.context({ Map: { Item: { Index: i, Value: item } } }),
        )
      : item;
    const startedEvent = interpreter.history.emit(execution, thread, 'MapIterationStarted', {
      name: state.name,
      index: i,
    });
    launchChild(interpreter, execution, thread, {
      slot: i,
      graph: state.itemProcessor as number,
      input,
      startedEvent,
      mapIndex: i,
    });
  }
  if (running > 0 || (execution.children.get(thread.id)?.length ?? 0) < items.length) return;
  completeChildren(run);
}
