/**
 * The Lambda functions a Distributed Map runs in its child executions, and how many at once.
 *
 * On AWS a Distributed Map runs up to MaxConcurrency child executions at the same time, and each
 * invocation of the function they call gets an execution environment of its own. The local Lambda
 * gives a function about one environment per core (runtime.ts), which is right for functions
 * that compute, but not for these: the round machine's batches pace their StartExecution calls on
 * the assumption that all MaxConcurrency of them run at once (functions/rounds/start-cases.ts), so
 * with 4 of its 10 batches running a round started 40 cases/s where AWS starts 100. A function a
 * Distributed Map calls may therefore have as many environments as the map runs children.
 */

/** Environments such a function may have locally when MaxConcurrency is 0 (AWS: up to 10,000). */
export const MAP_ENVIRONMENTS_LIMIT = 16;

const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:::lambda:invoke(\.waitForTaskToken)?$/;

type State = {
  Type?: string;
  Resource?: unknown;
  Parameters?: { FunctionName?: unknown };
  Arguments?: { FunctionName?: unknown };
  MaxConcurrency?: unknown;
  ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States?: Record<string, State> };
  Iterator?: { States?: Record<string, State> };
  Branches?: { States?: Record<string, State> }[];
};

/** The function a Task state invokes (its name or ARN as written), if it invokes one. */
function invokedFunction(state: State): string | undefined {
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return undefined;
  if (state.Resource.includes(':lambda:') && state.Resource.includes(':function:')) return state.Resource;
  if (!LAMBDA_INVOKE.test(state.Resource)) return undefined;
  const name = state.Parameters?.FunctionName ?? state.Arguments?.FunctionName;
  return typeof name === 'string' ? name : undefined;
}

/** MaxConcurrency as a number of environments (a path or 0: the limit). */
function width(state: State): number {
  const max = state.MaxConcurrency;
  return typeof max === 'number' && max > 0 ? Math.min(max, MAP_ENVIRONMENTS_LIMIT) : MAP_ENVIRONMENTS_LIMIT;
}

function walk(states: Record<string, State> | undefined, inMap: number, found: Map<string, number>): void {
  for (const state of Object.values(states ?? {})) {
    const fn = inMap > 0 ? invokedFunction(state) : undefined;
    if (fn !== undefined) found.set(fn, Math.max(found.get(fn) ?? 0, inMap));
    for (const branch of state.Branches ?? []) walk(branch.States, inMap, found);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (state.Type === 'Map' && processor) {
      const distributed = state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
      walk(processor.States, distributed ? Math.max(inMap, width(state)) : inMap, found);
    }
  }
}

/**
 * Function (as the definitions name it: ARN, qualified ARN or name) → children a Distributed Map runs
 * at once that invoke it, the largest over all the definitions. Definitions that do not parse are skipped
 * (the engine reports them).
 */
export function distributedMapWidths(definitions: string[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const text of definitions) {
    let definition: { States?: Record<string, State> };
    try {
      definition = JSON.parse(text) as { States?: Record<string, State> };
    } catch {
      continue;
    }
    walk(definition.States, 0, found);
  }
  return found;
}
