/**
 * `npm run bench:cost`: what one case of each service costs on AWS, measured on the local runtime
 * (the synthesized template: state machines on the project's engine, the Lambda bundles, dynalite).
 * For each service a case runs on the happy path and on the slow path (every reminder and the
 * escalation, see cost-scenario.ts), and the bench counts
 * - state transitions: StateEntered events in GetExecutionHistory of the case's executions,
 * - Lambda invocations (`runtime.lambda.stats`) and their duration at each function's memory,
 * - DynamoDB read/write request units (`runtime.dynamo.consumed()`, when the runtime has it),
 * and prints $ per case at eu-west-1 list prices (cost-prices.ts), next to the transitions of the
 * hand-minimal machine for the same process (cost-minimal.ts) run with the same answers.
 * Lambda duration is the local wall time of each invocation: a floor for AWS's billed duration.
 */
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../local/runtime/runtime';
import { services } from '../workflows/catalog';
import { exitWith, withBenchRuntime } from './bench-runtime';
import { driveCase, executionsOf } from './cost-case';
import { countEntered, minimalTransitions } from './cost-minimal';
import { PRICES } from './cost-prices';
import { PACES, type Pace } from './cost-scenario';

interface Units {
  readUnits: number;
  writeUnits: number;
}
interface Usage {
  invocations: number;
  gbSeconds: number;
  units?: Units;
}
interface Row extends Usage {
  serviceId: string;
  pace: Pace;
  transitions: number;
  minimal: number;
}

/** Duration per function, measured around the runtime's own invoke (as bench/local-trace.ts does). */
function meterDurations(rt: Runtime): Map<string, number> {
  const ms = new Map<string, number>();
  const invoke = rt.lambda.invoke.bind(rt.lambda);
  rt.lambda.invoke = async (arn: string, payload: unknown) => {
    const name = rt.lambda.find(arn)?.name ?? arn;
    const t = performance.now();
    try {
      return await invoke(arn, payload);
    } finally {
      ms.set(name, (ms.get(name) ?? 0) + performance.now() - t);
    }
  };
  return ms;
}

function usage(rt: Runtime, durations: Map<string, number>): Usage {
  let invocations = 0;
  let gbSeconds = 0;
  for (const f of rt.lambda.functions) {
    invocations += rt.lambda.stats.get(f.name)?.invocations ?? 0;
    gbSeconds += ((durations.get(f.name) ?? 0) / 1000) * (f.memoryMb / 1024);
  }
  // The runtime stream adds `consumed()`; until then the bench says so instead of guessing.
  const dynamo = rt.dynamo as Partial<{ consumed(): Units }>;
  return { invocations, gbSeconds, ...(dynamo.consumed && { units: dynamo.consumed() }) };
}

function minus(a: Usage, b: Usage): Usage {
  return {
    invocations: a.invocations - b.invocations,
    gbSeconds: a.gbSeconds - b.gbSeconds,
    ...(a.units &&
      b.units && {
        units: {
          readUnits: a.units.readUnits - b.units.readUnits,
          writeUnits: a.units.writeUnits - b.units.writeUnits,
        },
      }),
  };
}

function dollars(r: Row): { total: number; transitions: number } {
  const transitions = r.transitions * PRICES.transition;
  const lambda = r.invocations * PRICES.lambdaRequest + r.gbSeconds * PRICES.lambdaGbSecond;
  const dynamo = r.units ? r.units.writeUnits * PRICES.writeUnit + r.units.readUnits * PRICES.readUnit : 0;
  return { total: transitions + lambda + dynamo, transitions };
}

function report(rows: Row[]): string[] {
  const pad = (v: string | number, n: number) => String(v).padStart(n);
  const lines = [
    'bench:cost  one case per service and path, eu-west-1 list prices (Standard transitions,',
    "            Lambda arm64 requests + GB-s at each function's memory, DynamoDB on-demand RRU/WRU)",
    '',
    `${'service'.padEnd(18)}${'path'.padEnd(7)}${pad('transitions', 12)}${pad('minimal', 9)}${pad('ratio', 7)}` +
      `${pad('Lambda', 8)}${pad('GB-s', 8)}${pad('RRU', 7)}${pad('WRU', 7)}${pad('$ per case', 12)}${pad('SFN share', 13)}`,
  ];
  for (const r of rows) {
    const d = dollars(r);
    lines.push(
      `${r.serviceId.padEnd(18)}${r.pace.padEnd(7)}${pad(r.transitions, 12)}${pad(r.minimal, 9)}` +
        `${pad(`${(r.transitions / r.minimal).toFixed(2)}x`, 7)}${pad(r.invocations, 8)}${pad(r.gbSeconds.toFixed(3), 8)}` +
        `${pad(r.units ? r.units.readUnits.toFixed(1) : 'n/a', 7)}${pad(r.units ? r.units.writeUnits.toFixed(1) : 'n/a', 7)}` +
        `${pad(`$${d.total.toFixed(6)}`, 12)}${pad(`${((100 * d.transitions) / d.total).toFixed(0)}%`, 13)}`,
    );
  }
  const worst = Math.max(...rows.map((r) => r.transitions / r.minimal));
  lines.push('', `highest ratio to the minimal machine: ${worst.toFixed(2)}x (target <= 1.3x)`);
  if (!rows[0]?.units)
    lines.push(
      'DynamoDB read/write units: not available (this runtime has no dynamo.consumed()); $ per case excludes DynamoDB.',
    );
  lines.push('Lambda GB-s from local wall time per invocation (a floor for the billed duration on AWS).');
  return lines;
}

async function measure(rt: Runtime): Promise<Row[]> {
  const durations = meterDurations(rt);
  let n = 0;
  // A warm-up case loads every function once: cold starts are bench:coldstart's business.
  const first = services[0];
  if (first) await driveCase(rt, first, 'happy', n++);
  const rows: Row[] = [];
  for (const service of services) {
    for (const pace of PACES) {
      const before = usage(rt, durations);
      const caseId = await driveCase(rt, service, pace, n++);
      const used = minus(usage(rt, durations), before);
      const transitions = executionsOf(rt, service.id, caseId)
        .map((arn) => countEntered(rt.engine.engine, arn))
        .reduce((a, b) => a + b, 0);
      const minimal = await minimalTransitions(service, pace);
      rows.push({ serviceId: service.id, pace, transitions, minimal, ...used });
    }
  }
  return rows;
}

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
exitWith(
  withBenchRuntime({ name: 'cost', say: console.log }, async (rt) => {
    console.log(report(await measure(rt)).join('\n'));
    return true;
  }),
);
