/**
 * BENCH_TRACE=1 for bench/local.ts: which function makes which AWS calls, and how long its
 * invocations take. Nothing in the runtime changes: the runtime's `lambda.invoke` is wrapped to time
 * each invocation, and Node's `http.server.request.start` diagnostics channel sees every request the
 * emulated services receive. The functions run in worker threads, so a client-side hook on this thread
 * would miss their calls; the server side names the caller by the access key it signed with (each
 * function has its own, iam.ts). Unsigned or account-signed requests (the engine's DynamoDB
 * integrations, the bench itself) count as 'other'.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../local/runtime/runtime';
import { signedAccessKey } from '../local/runtime/sigv4';

export interface Trace {
  reset(): void;
  report(cases: number): string[];
}

export function installTrace(rt: Runtime): Trace {
  const calls = new Map<string, number>();
  const invocations = new Map<string, { n: number; ms: number }>();
  const short = (name: string) => /Functions(.+?)[0-9A-F]{8}$/.exec(name)?.[1] ?? name;
  const handlerOf = (arn: string) => rt.lambda.find(arn)?.handlerName ?? short(arn);

  const invoke = rt.lambda.invoke.bind(rt.lambda);
  rt.lambda.invoke = async (arn: string, payload: unknown) => {
    const name = handlerOf(arn);
    const started = performance.now();
    try {
      return await invoke(arn, payload);
    } finally {
      const s = invocations.get(name) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - started;
      invocations.set(name, s);
    }
  };
  subscribe('http.server.request.start', (message) => {
    const request = (message as { request: IncomingMessage }).request;
    const target = String(request.headers['x-amz-target'] ?? '').split('.')[1];
    if (!target) return; // a request to the gateway (the bench's own), or a service without targets
    const key = signedAccessKey(request.headers, request.url);
    const label = rt.iam.principal(key)?.label.replace(/^function /, '') ?? 'other';
    const entry = `${label} ${target}`;
    calls.set(entry, (calls.get(entry) ?? 0) + 1);
  });

  return {
    reset() {
      calls.clear();
      invocations.clear();
    },
    report(cases) {
      const per = (n: number) => (n / Math.max(1, cases)).toFixed(1);
      const callsOf = (name: string) =>
        [...calls]
          .filter(([k]) => k.startsWith(`${name} `))
          .map(([k, n]) => `${k.slice(name.length + 1)} ${per(n)}`)
          .join(', ');
      const lines = ['trace (per case): function invocations, mean duration, AWS calls'];
      for (const [name, s] of [...invocations].sort((a, b) => b[1].ms - a[1].ms))
        lines.push(`  ${name.padEnd(18)} ${per(s.n)} x ${(s.ms / s.n).toFixed(1)} ms   ${callsOf(name)}`);
      const other = callsOf('other');
      if (other) lines.push(`  ${'other'.padEnd(18)} ${other}`);
      return lines;
    },
  };
}
