/**
 * What bench:local prints at the end: the timed cases' figures, the floor (the bare writes, timed before
 * and after the cases) and the two ratios, in wall time and in CPU. The bench measures (local.ts); this
 * only words what it measured.
 */
import type { BareResult } from './local-bare';
import { percentile, type Samples } from './local-case';
import { machineLoadLine } from './machine-load';
import type { Stretch } from './stretch';
import { cpuBetween, ownCpuLine, threadCpuLines } from './thread-cpu';

export interface LocalFigures {
  setting: { n: number; concurrency: number; citizen: string };
  completed: number;
  failed: number;
  /** The deadline ended the timed run: `cut` cases were cut off (not failed). */
  deadlineReached: boolean;
  cut: number;
  samples: Samples;
  /** The timed stretch: wall time, CPU over all threads, each thread's and the AWS calls. */
  stretch: Stretch;
  /** Lines of AWS calls and invocations per case (call-counts.ts). */
  calls: { dynamo: string; invocations: string };
  coldStartsWhileTimed: number;
  writesPerCase: number;
  floor: { cold: BareResult; before: BareResult; after: BareResult };
  /** Share of the wall time the main thread's event loop was busy, 0-1. */
  mainBusy: number;
  /** The driver thread's own CPU, ms, when known. */
  driverCpuMs: number | undefined;
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '-' : ms.toFixed(1));
const stat = (v: number[]) =>
  `p50 ${fmt(percentile(v, 50))} ms, p99 ${fmt(percentile(v, 99))} ms (${v.length})`;

/** The other threads less those measured apart: the Lambda environments' own threads (and any unnamed). */
function functionsLine(threads: Stretch['threads'], driverMs: number | undefined, cases: number): string[] {
  const { before, after } = threads;
  const [others, dynamo, helpers] = (['othersMs', 'dynamoMs', 'helpersMs'] as const).map((part) =>
    cpuBetween(before, after, part),
  );
  if (others === undefined || dynamo === undefined || helpers === undefined || driverMs === undefined)
    return [];
  const rest = others - dynamo - helpers - driverMs;
  return [`${ownCpuLine('', rest, cases, 'the rest')} (the functions: the Lambda environments' threads)`];
}

export function localReportLines(f: LocalFigures): string[] {
  const { n, concurrency, citizen } = f.setting;
  const { cold, before, after } = f.floor;
  const wall = f.stretch.wallMs;
  const cases = Math.max(1, f.completed);
  const wallPerCase = wall / cases;
  // The floor timed before and after the cases: on a shared machine the load drifts during a run.
  const bare = (before.msPerCase + after.msPerCase) / 2;
  const bareCpu = (before.cpuMsPerCase + after.cpuMsPerCase) / 2;
  const finished = f.completed + f.failed;
  const { threads } = f.stretch;
  return [
    '',
    `bench:local  N=${n}  concurrency=${concurrency}  citizen=${citizen}`,
    `completed               ${f.completed}/${n}${f.failed ? ` (${f.failed} failed)` : ''}${f.deadlineReached ? ` - DEADLINE REACHED (${f.cut} cut off; per-case ops include their partial work)` : ''}`,
    `cases/s                 ${(f.completed / (wall / 1000)).toFixed(2)}`,
    `wall time               ${(wall / 1000).toFixed(1)} s (${wallPerCase.toFixed(2)} ms per case)`,
    `step submit latency     ${stat(f.samples.all('submit'))}`,
    ...[...f.samples.byLabel].filter(([k]) => k !== 'poll').map(([k, v]) => `  ${k.padEnd(22)}${stat(v)}`),
    `polls per case          ${(f.samples.all('poll').length / Math.max(1, finished)).toFixed(1)}`,
    `DynamoDB ops per case   ${f.calls.dynamo}`,
    `invocations per case    ${f.calls.invocations}`,
    `cold starts while timed ${f.coldStartsWhileTimed} (Lambda environments the timed cases had to start)`,
    `bare writes per case    ${Math.round(f.writesPerCase)} PutItem: ${bare.toFixed(2)} ms per case (before the cases ${before.msPerCase.toFixed(2)} ms over ${before.cases}, after ${after.msPerCase.toFixed(2)} ms over ${after.cases}; the untimed first ${cold.cases}, cold: ${cold.msPerCase.toFixed(2)} ms)`,
    `  their CPU             ${bareCpu.toFixed(1)} ms per case (all threads of this process)`,
    `main thread busy        ${(f.mainBusy * 100).toFixed(0)}% of the wall time`,
    `CPU per case            ${(f.stretch.cpuMs / cases).toFixed(1)} ms (all threads of this process)`,
    ...threadCpuLines(threads.before, threads.after, f.completed),
    ...(f.driverCpuMs === undefined
      ? []
      : [
          `${ownCpuLine('', f.driverCpuMs, f.completed, 'the driver')} (the clients' HTTP, JSON and polls, counted in the other threads)`,
        ]),
    ...functionsLine(threads, f.driverCpuMs, f.completed),
    `wall / bare writes      ${(wallPerCase / bare).toFixed(2)}x (target <= 3)`,
    `CPU / bare writes' CPU  ${(f.stretch.cpuMs / cases / bareCpu).toFixed(2)}x (the same in CPU: steadier on a shared machine)`,
    machineLoadLine(f.stretch.machine),
  ];
}
