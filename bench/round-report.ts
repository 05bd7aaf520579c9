/**
 * What bench:round prints at the end: the round's rates beside the baseline's, the CPU and calls per
 * case, and where the memory went. The bench measures (round.ts); this only words what it measured.
 */
import { availableParallelism } from 'node:os';
import type { EngineStats } from '../local/sfn/scheduler/engine-stats';
import { machineLoadLine } from './machine-load';
import type { CaseworkerFigures } from './round-caseworker';
import { kb, mb, type restingMemory } from './round-memory';
import type { Stretch } from './stretch';
import { threadCpuLines } from './thread-cpu';

type Estimate = { environments: number; megabytes: number; lines: string[] };
type Heap = { used: number; total: number };

export interface RoundFigures {
  n: number;
  /** Seconds: the round's validation, from POST start to STARTED, and to the last invitation sent. */
  seconds: { validate: number; run: number; invited: number; total: number };
  /** A case started by hand once the round had started its cases. */
  caseworker: CaseworkerFigures;
  bytes: number;
  base: {
    n: number;
    concurrency: number;
    rate: number;
    stretch: Stretch;
    calls: { dynamo: string; invocations: string };
  };
  round: { stretch: Stretch; calls: { dynamo: string; invocations: string } };
  memory: {
    idle: { rss: number; heap: number };
    peak: { rss: number; heap: number };
    before: NodeJS.MemoryUsage;
    validation: { rss: number; heap: number };
    resting: Awaited<ReturnType<typeof restingMemory>>;
    environmentsAtRest: Estimate;
    environmentsAtPeak: Estimate;
    dynamoHeap: Heap;
    residentByKind: string;
  };
  outbox: { count: number; inMemory: number };
  failedExecutions: string;
  unansweredPolls: number;
  engine: EngineStats;
}

/**
 * How many cores the process kept busy, and the most cases per second this machine's cores could
 * take through to their invitations at that CPU per case (it is counted until the last SMS): an
 * invited rate near the ceiling is set by the machine, not by waiting. The started rate may pass it,
 * since a case is started before its invitations are sent.
 */
function coresLine(round: Stretch, cases: number, base: Stretch) {
  const cores = availableParallelism();
  const ceiling = (cores * 1000) / (round.cpuMs / cases);
  return `cores busy               ${(round.cpuMs / round.wallMs).toFixed(2)} of ${cores} in the round, ${(base.cpuMs / base.wallMs).toFixed(2)} in the baseline; at the round's CPU per case ${cores} cores invite at most ${ceiling.toFixed(1)} cases/s`;
}

export function roundReportLines(f: RoundFigures): string[] {
  const { n, seconds, base, round, memory: m } = f;
  const rate = n / seconds.run;
  const { resting, before, environmentsAtRest: rest, environmentsAtPeak: peakEnvs, dynamoHeap } = m;
  const rest_ =
    resting.rss - resting.heapTotal - resting.external - rest.megabytes * 2 ** 20 - dynamoHeap.total;
  return [
    '',
    `bench:round  N=${n}  (file ${(f.bytes / 1024).toFixed(0)} kB, generated and uploaded as streams)`,
    `cases started/s          ${rate.toFixed(1)}  (POST start -> STARTED: ${seconds.run.toFixed(1)} s, of which validation ${seconds.validate.toFixed(1)} s)`,
    `cases invited/s          ${(n / seconds.invited).toFixed(1)}  (POST start -> the last invitation SMS sent: ${seconds.invited.toFixed(1)} s; the households have heard)`,
    `a case by hand           invited ${f.caseworker.seconds.toFixed(1)} s after its POST /cases, made as the round had started every case (${f.caseworker.queued} task calls queued then)`,
    `total time               ${seconds.total.toFixed(1)} s  (file, create, upload, start, wait)`,
    `baseline POST /cases/s   ${base.rate.toFixed(1)}  (${base.n} at concurrency ${base.concurrency})`,
    `round / baseline         ${(rate / base.rate).toFixed(2)}x`,
    machineLoadLine(round.stretch.machine, 'machine in the round', 25),
    machineLoadLine(base.stretch.machine, 'machine in the baseline', 25),
    `CPU per started case     ${(round.stretch.cpuMs / n).toFixed(1)} ms in the round, ${(base.stretch.cpuMs / base.n).toFixed(1)} ms in the baseline (all threads, until the invitations are sent)`,
    ...threadCpuLines(round.stretch.threads.before, round.stretch.threads.after, n, 'round: '),
    ...threadCpuLines(base.stretch.threads.before, base.stretch.threads.after, base.n, 'baseline: '),
    `DynamoDB ops per case    round: ${round.calls.dynamo}`,
    `                         baseline: ${base.calls.dynamo}`,
    `invocations per case     round: ${round.calls.invocations}`,
    `                         baseline: ${base.calls.invocations}`,
    coresLine(round.stretch, n, base.stretch),
    `peak RSS                 ${mb(m.peak.rss)} during the round, ${mb(m.idle.rss)} idle: +${mb(m.peak.rss - m.idle.rss)}`,
    `peak heap used           ${mb(m.peak.heap)} during the round, ${mb(m.idle.heap)} idle`,
    `before the round         RSS ${mb(before.rss)}, heap ${mb(before.heapUsed)} (after the warm-up and the baseline cases)`,
    `peak while validating    RSS ${mb(m.validation.rss)}, heap ${mb(m.validation.heap)} (the file streamed once)`,
    `per started case         peak RSS +${kb((m.peak.rss - before.rss) / n)}, heap at rest +${kb((resting.heapUsed - before.heapUsed) / n)}, RSS at rest +${kb((resting.rss - before.rss) / n)}, external at rest +${kb((resting.external - before.external) / n)}${resting.collected ? '' : ' (no --expose-gc: heap not collected first)'}`,
    `memory at rest           RSS ${mb(resting.rss)}: main heap used ${mb(resting.heapUsed)} (of ${mb(resting.heapTotal)}), external ${mb(resting.external)}, Lambda environments ~${mb(rest.megabytes * 2 ** 20)} (${rest.environments}), DynamoDB thread heap used ${mb(dynamoHeap.used)} (of ${mb(dynamoHeap.total)}), the rest ${mb(rest_)} (LevelDB, code, stacks)`,
    `Lambda environments      at the peak ${peakEnvs.environments}, ~${mb(peakEnvs.megabytes * 2 ** 20)} heap used: ${peakEnvs.lines.join(', ')}`,
    `resident by mapping      ${m.residentByKind}`,
    `outbox                   ${f.outbox.count} messages, the latest ${f.outbox.inMemory} in memory`,
    `failed executions        ${f.failedExecutions}`,
    `status polls unanswered  ${f.unansweredPolls} (5xx, polled again)`,
    `engine at rest           ${f.engine.executions} executions, ${f.engine.running} running, ${f.engine.resident} in memory, ${f.engine.tasksInFlight} task calls in flight, ${f.engine.tasksQueued} queued`,
    'A waiting case costs the engine about 1 KB of heap (test/local/sfn/memory-per-waiting.test.ts): the',
    "RSS beyond the main heap is the Lambda environments' isolates and native memory, set by concurrency, not N.",
  ];
}
