/**
 * BENCH_TRACE=1 for bench/local.ts: which function makes which AWS calls, and how long its
 * invocations take. Nothing in the runtime changes: the runtime's `lambda.invoke` is wrapped to
 * run each invocation in an AsyncLocalStorage context, and Node's `http.client.request.start`
 * diagnostics channel attributes every outgoing request (X-Amz-Target) to the invocation that made it.
 * Requests outside any invocation (the engine's DynamoDB integrations, the bench itself) count as 'other'.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../local/runtime/runtime';

export interface Trace {
  reset(): void;
  report(cases: number): string[];
}

export function installTrace(rt: Runtime): Trace {
  const current = new AsyncLocalStorage<string>();
  const calls = new Map<string, number>();
  const invocations = new Map<string, { n: number; ms: number }>();
  const short = (name: string) => /Functions(.+?)[0-9A-F]{8}$/.exec(name)?.[1] ?? name;

  const invoke = rt.lambda.invoke.bind(rt.lambda);
  rt.lambda.invoke = async (arn: string, payload: unknown) => {
    const name = short(rt.lambda.find(arn)?.logicalId ?? arn);
    const t = performance.now();
    try {
      return await current.run(name, () => invoke(arn, payload));
    } finally {
      const s = invocations.get(name) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - t;
      invocations.set(name, s);
    }
  };
  subscribe('http.client.request.start', (message) => {
    const req = (message as { request: ClientRequest }).request;
    const target = String(req.getHeader('x-amz-target') ?? '').split('.')[1];
    if (!target) return; // a request to the gateway (the bench's own)
    const key = `${current.getStore() ?? 'other'} ${target}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
  });

  return {
    reset() {
      calls.clear();
      invocations.clear();
    },
    report(cases) {
      const per = (n: number) => (n / Math.max(1, cases)).toFixed(1);
      const lines = ['trace (per case): function invocations, mean duration, AWS calls'];
      for (const [name, s] of [...invocations].sort((a, b) => b[1].ms - a[1].ms)) {
        const own = [...calls]
          .filter(([k]) => k.startsWith(`${name} `))
          .map(([k, n]) => `${k.slice(name.length + 1)} ${per(n)}`)
          .join(', ');
        lines.push(`  ${name.padEnd(14)} ${per(s.n)} x ${(s.ms / s.n).toFixed(1)} ms   ${own}`);
      }
      const other = [...calls].filter(([k]) => k.startsWith('other '));
      if (other.length)
        lines.push(`  ${'other'.padEnd(14)} ${other.map(([k, n]) => `${k.slice(6)} ${per(n)}`).join(', ')}`);
      return lines;
    },
  };
}
