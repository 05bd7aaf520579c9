/**
 * The executions a bench run left FAILED, counted by error and the start of their cause: a round
 * that reports all its cases started can still have cases that failed afterwards (an invocation
 * timed out on a loaded machine, a function's error), and a figure is only worth quoting when
 * nothing failed, or when it is known what did.
 */
import type { Engine } from '../local/sfn';

export function failedExecutions(engine: Engine): string {
  const counts = new Map<string, number>();
  for (const machine of engine.listStateMachines({ maxResults: 1000 }).stateMachines ?? []) {
    let nextToken: string | undefined;
    do {
      const page = engine.listExecutions({
        stateMachineArn: machine.stateMachineArn,
        statusFilter: 'FAILED',
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      });
      for (const e of page.executions ?? []) {
        const d = engine.describeExecution({ executionArn: e.executionArn as string });
        const what = `${machine.name}: ${d.error ?? '?'} ${(d.cause ?? '').slice(0, 160)}`;
        counts.set(what, (counts.get(what) ?? 0) + 1);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  if (counts.size === 0) return 'none';
  return [...counts].map(([what, n]) => `${n} x ${what}`).join('\n                         ');
}
