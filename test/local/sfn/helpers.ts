/** Shared helpers for the local Step Functions engine tests. */
import type { Engine } from '../../../local/sfn/api/engine';

export interface Outcome {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

let seq = 0;

/** Turns an in-flight integration call may take before it counts as hung (a scripted 'hang'). */
const HUNG_AFTER_TURNS = 5;

/**
 * Runs a definition to completion on the local engine. The engine clock is fast-forwarded to
 * the next timer (retry interval, wait, timeout) only when nothing runs: no thread is runnable,
 * no task waits for a slot, no ItemReader reads, and the calls in flight have not returned for a
 * few event-loop turns (they hang). Advancing earlier could fire a top-level TimeoutSeconds
 * while work was still under way.
 */
export async function runLocal(engine: Engine, definition: unknown, input: unknown): Promise<Outcome> {
  return settleLocal(engine, await startLocal(engine, definition, input));
}

/** Creates a machine for `definition` and starts it; returns the execution ARN. */
export async function startLocal(engine: Engine, definition: unknown, input: unknown): Promise<string> {
  const { stateMachineArn } = await engine.createStateMachine({
    name: `m${++seq}-${Date.now()}`,
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  return executionArn as string;
}

/** Redrives a failed execution and runs it to completion, as runLocal does. */
export async function redriveLocal(engine: Engine, executionArn: string): Promise<Outcome> {
  await engine.redriveExecution({ executionArn });
  return settleLocal(engine, executionArn);
}

/** Runs a started (or redriven) execution to completion (see runLocal). */
export async function settleLocal(engine: Engine, arn: string): Promise<Outcome> {
  const done = engine.waitForExecution(arn);
  let finished = false;
  void done.then(() => {
    finished = true;
  });
  let quiet = 0;
  for (let i = 0; i < 5000 && !finished; i++) {
    await new Promise((r) => setImmediate(r));
    const s = engine.stats();
    if (s.runnable || s.tasksQueued || s.reading) quiet = 0;
    else quiet++;
    const idle = quiet >= (s.tasksInFlight ? HUNG_AFTER_TURNS : 1);
    const due = engine.nextTimer();
    if (!finished && idle && due !== undefined) {
      quiet = 0;
      await engine.advance(Math.max(0, (due - engine.now()) / 1000));
    }
  }
  const d = await done;
  return {
    status: d.status as string,
    output: d.output !== undefined ? JSON.parse(d.output) : undefined,
    error: d.error,
    cause: d.cause,
  };
}

/**
 * Waits until `done()` holds, checking every 5 ms, for at most `checks` checks (4000: 20 s, since
 * journal syncs are slow on a busy machine). The caller asserts what it waited for.
 */
export async function until(done: () => boolean, checks = 4000): Promise<void> {
  for (let i = 0; i < checks && !done(); i++) await new Promise((r) => setTimeout(r, 5));
}

/**
 * A gate for stubbed task calls: a call that awaits `held` stays in flight until the test calls `release`,
 * so that the test can queue calls behind it before any of them returns (on a busy machine they may all
 * return before anything is queued).
 */
export function heldCalls(): { held: Promise<void>; release: () => void } {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { held, release };
}

export function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const promise = new Promise((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise, resolve, reject };
  };
}

/** Every state name in a definition, nested branches included (for peer overrides). */
export function stateNames(def: unknown, out: string[] = []): string[] {
  const states = (def as { States?: Record<string, Record<string, unknown>> }).States ?? {};
  for (const [name, s] of Object.entries(states)) {
    out.push(name);
    for (const b of (s.Branches as unknown[]) ?? []) stateNames(b, out);
    if (s.Iterator) stateNames(s.Iterator, out);
    if (s.ItemProcessor) stateNames(s.ItemProcessor, out);
  }
  return out;
}
