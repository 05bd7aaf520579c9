import type { Runtime } from '../local/runtime/runtime';

/**
 * What a stretch of a bench asked of the runtime: DynamoDB requests by operation and Lambda
 * invocations by function. A case's CPU is mostly its number of AWS calls times the SDK's cost per
 * call, so these lines say where a change to the per-case cost has to come from.
 */
export interface CallCounts {
  dynamo: Map<string, number>;
  /** By handler name (functions/handlers/<name>.ts). */
  invocations: Map<string, number>;
}

export function callCounts(rt: Runtime): CallCounts {
  const handler = (name: string) => rt.lambda.find(name)?.handlerName ?? name;
  return {
    dynamo: new Map(rt.dynamo.requests),
    invocations: new Map([...rt.lambda.stats].map(([name, stats]) => [handler(name), stats.invocations])),
  };
}

/** "PutItem 25.7, UpdateItem 17.0" and "get-case 4.7, open-step 4.0" per case, between two counts. */
export function callLines(before: CallCounts, after: CallCounts, cases: number) {
  const perCase = (now: Map<string, number>, was: Map<string, number>) =>
    [...now]
      .map(([key, n]) => [key, (n - (was.get(key) ?? 0)) / Math.max(1, cases)] as const)
      .filter(([, n]) => n > 0);
  const text = (pairs: (readonly [string, number])[]) =>
    pairs.map(([key, n]) => `${key} ${n.toFixed(1)}`).join(', ');
  const invoked = perCase(after.invocations, before.invocations).sort((a, b) => b[1] - a[1]);
  return { dynamo: text(perCase(after.dynamo, before.dynamo)), invocations: text(invoked) };
}
