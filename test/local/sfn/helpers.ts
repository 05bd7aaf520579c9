/** Shared helpers for the local Step Functions engine tests. */
import type { Engine } from '../../../local/sfn/api/engine';

export interface Outcome {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

let seq = 0;

/**
 * Runs a definition to completion on the local engine. Whenever the execution is idle on a
 * timer (retry interval, wait), the engine clock is fast-forwarded to that timer.
 */
export async function runLocal(engine: Engine, definition: unknown, input: unknown): Promise<Outcome> {
  const { stateMachineArn } = await engine.createStateMachine({
    name: `m${++seq}-${Date.now()}`,
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  const arn = executionArn as string;
  const done = engine.waitForExecution(arn);
  let finished = false;
  void done.then(() => {
    finished = true;
  });
  for (let i = 0; i < 200 && !finished; i++) {
    await new Promise((r) => setImmediate(r));
    const due = engine.nextTimer();
    if (!finished && due !== undefined) await engine.advance(Math.max(0, (due - engine.now()) / 1000));
  }
  const d = await done;
  return {
    status: d.status as string,
    output: d.output !== undefined ? JSON.parse(d.output) : undefined,
    error: d.error,
    cause: d.cause,
  };
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
