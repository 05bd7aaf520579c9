/**
 * The Wait state: Seconds, SecondsPath, Timestamp or TimestampPath on the engine clock. The
 * thread sleeps in phase `wait` with its output computed; the timer wakes it at the due time.
 */
import type { Json } from '../../language/json';
import type { StateRun } from '../ports';
import { exitState } from '../transitions';

export function runWait(run: StateRun, input: Json): void {
  const { interpreter, execution, thread, state } = run;
  const now = interpreter.host.now();
  const due = (state.waitUntil as NonNullable<typeof state.waitUntil>)(input, run.context, now);
  const output = state.outputPath(input, run.context);
  if (due <= now) {
    exitState(run, output);
    return;
  }
  thread.phase = 'wait';
  thread.dueAt = due;
  thread.output = output;
  interpreter.store.touchThread(execution, thread);
  interpreter.host.setTimer(due, thread.id);
}

/** The Wait's timer fired. */
export function waitElapsed(run: StateRun): void {
  const { thread } = run;
  const output = thread.output ?? null;
  thread.dueAt = undefined;
  thread.output = undefined;
  exitState(run, output);
  run.interpreter.queue.push(thread);
}
