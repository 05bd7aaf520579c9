/**
 * `npm run bench:round [-- N]`: a round of N waste-collection households (default 10,000) through the
 * HTTP API against the embedded default (in process, temp DATA_DIR); the CSV is generated to a temp
 * file as a stream. Prints cases started per second (from POST start to STARTED) and invited per second
 * (to the last invitation SMS: a runtime that queues the invitations reaches STARTED sooner), the total time,
 * peak RSS and heap (sampled every 100 ms) against the idle runtime's, and a baseline timed in the same
 * run: BASE_N single POST /cases (default 500) at BASE_CONCURRENCY (default 10, the round machine's
 * MaxConcurrency), so the figure means something on a noisy machine. CPU per started case, and how many
 * cores that kept busy: the cases per second the machine's cores allow at that CPU per case. And how
 * long a case a caseworker starts by hand, as the round has started every case, waits for its
 * invitation while the round's are still queued (round-caseworker.ts).
 * Memory per started case: the peak RSS growth, and the heap and RSS growth once the round's cases
 * rest (waiting for answers), divided by N; run with NODE_OPTIONS=--expose-gc to collect first.
 * Where the memory is (round-memory.ts): the main heap, the Lambda environments (worker threads),
 * the resident memory by kind of mapping, the outbox; HEAP_SNAPSHOT=1 writes the main heap at rest.
 * `npm run bench:round -- 100000` (or N=100000) runs a round of 100,000 rows. BENCH_TRACE=1: the AWS
 * calls and mean duration per function, per started case (local-trace.ts). BENCH_PROFILE=<folder>: every
 * Lambda environment writes a CPU profile there, printed at the end by origin and function (cpu-profiles.ts).
 * BENCH_DEADLINE_S (default 600 + N / 10) bounds the run after the synth.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { providerToken } from '../local/runtime/demo';
import { Api, ApiError, putFile } from '../local/runtime/round-client';
import { wasteRow, writeWasteCsv } from '../local/runtime/round-csv';
import type { Runtime } from '../local/runtime/runtime';
import { exitWith, withBenchRuntime } from './bench-runtime';
import { callLines } from './call-counts';
import { installTrace } from './local-trace';
import { caseworkerCase, postCase } from './round-caseworker';
import { failedExecutions } from './round-failures';
import { mb, Peaks, residentByKind, restingMemory, WorkerMemory } from './round-memory';
import { roundReportLines } from './round-report';
import { positiveInt } from './settings';
import { stretch } from './stretch';

const N = positiveInt('N', process.argv[2] ?? process.env.N, 10_000);
const BASE_N = positiveInt('BASE_N', process.env.BASE_N, 500);
const BASE_CONCURRENCY = positiveInt('BASE_CONCURRENCY', process.env.BASE_CONCURRENCY, 10);
// A round of N rows needs about N / 30 s on this machine's kind, every invitation sent; a busy machine up
// to three times that.
const DEADLINE_S = positiveInt('BENCH_DEADLINE_S', process.env.BENCH_DEADLINE_S, 600 + Math.ceil(N / 10));
const ORG = 'gemeente-bench';
const t00 = performance.now();
const say = (line: string) =>
  console.log(`[${((performance.now() - t00) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the engine's background work (invitations after the last StartExecution) settles: no
 * new SMS in the outbox for a second. Returns when the last one was seen (performance.now()).
 */
async function settle(rt: Runtime, deadline: AbortSignal): Promise<number> {
  let lastChange = performance.now();
  for (let count = rt.outbox.count; performance.now() - lastChange < 1000; ) {
    deadline.throwIfAborted();
    await sleep(100);
    if (rt.outbox.count === count) continue;
    count = rt.outbox.count;
    lastChange = performance.now();
  }
  return lastChange;
}

async function baseline(rt: Runtime, token: string, deadline: AbortSignal): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < BASE_N) await postCase(rt, token, next++, 'base', 900_000, deadline);
  };
  await Promise.all(Array.from({ length: BASE_CONCURRENCY }, lane));
  return BASE_N / ((performance.now() - t0) / 1000);
}

let unansweredPolls = 0;

/**
 * One status poll. A poll the API could not answer in time (a 5xx: under a starved machine get-round can
 * run past its own timeout) is said and polled again, as a console would: one late answer must not end
 * an hour-long round. The round itself is judged by its status, and failed executions are listed at the end.
 */
async function pollRound(api: Api, roundId: string) {
  try {
    return await api.round(roundId);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status < 500) throw error;
    unansweredPolls++;
    say(`a status poll was not answered (${error.status}); polling again`);
    return 'unanswered' as const;
  }
}
async function round(
  rt: Runtime,
  api: Api,
  name: string,
  rows: number,
  deadline: AbortSignal,
  peaks?: Peaks,
) {
  const file = join(rt.dataDir, `${name}.csv`);
  const t0 = performance.now();
  const bytes = await writeWasteCsv(file, rows, (i) => wasteRow(i, name).fields);
  const created = await api.createRound('waste-collection', name, 'reject');
  await putFile(created.upload, file);
  const tStart = performance.now();
  const start = await api.startRound(created.roundId);
  if (start === 'running') throw new Error('the round is already running');
  let validatedAt = 0;
  let lastSaid = performance.now();
  let validation = { rss: 0, heap: 0 };
  for (;;) {
    const r = await pollRound(api, created.roundId);
    if (r === 'unanswered') {
      await sleep(1000);
      continue;
    }
    if (!validatedAt && r.status !== 'VALIDATING') {
      validatedAt = performance.now();
      // The peaks so far belong to validation alone: streaming the file, not the cases it starts.
      peaks?.sample();
      validation = { rss: peaks?.rss ?? 0, heap: peaks?.heap ?? 0 };
    }
    if (r.attempt >= start.attempt && ['STARTED', 'REJECTED', 'FAILED'].includes(r.status)) {
      const end = performance.now();
      if (r.status !== 'STARTED' || r.started !== rows)
        throw new Error(`round ${r.status}, ${r.started}/${rows} started: ${r.error ?? ''}`);
      return {
        bytes,
        total: (end - t0) / 1000,
        run: (end - tStart) / 1000,
        startedAt: tStart,
        validate: (validatedAt - tStart) / 1000,
        validation,
      };
    }
    peaks?.sample();
    if (performance.now() - lastSaid > 30_000) {
      lastSaid = performance.now();
      const { rss, heapUsed } = process.memoryUsage();
      const { resident, tasksInFlight, tasksQueued } = rt.engine.engine.stats();
      say(
        `${r.status}: ${r.started ?? 0} started, RSS ${mb(rss)}, heap ${mb(heapUsed)}, ${resident} executions in memory, ` +
          `task calls ${tasksInFlight} in flight and ${tasksQueued} queued`,
      );
    }
    deadline.throwIfAborted();
    await sleep(200);
  }
}

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const workers = new WorkerMemory();

async function bench(rt: Runtime, deadline: AbortSignal): Promise<boolean> {
  const token = providerToken(rt.issuer, ORG, 'municipality');
  const api = new Api(rt.url, token);
  const peaks = new Peaks(() => workers.sample(rt));
  try {
    await sleep(2000);
    const idle = { rss: peaks.rss, heap: peaks.heap };
    say(`runtime idle: peak RSS ${mb(idle.rss)}, heap ${mb(idle.heap)}; warm-up round of 20 rows`);
    await round(rt, api, 'warmup', 20, deadline);
    await settle(rt, deadline);
    say(`baseline: ${BASE_N} single POST /cases, ${BASE_CONCURRENCY} at a time`);
    const baseStretch = await stretch(rt);
    const base = await baseline(rt, token, deadline);
    await settle(rt, deadline);
    const baseFigures = await baseStretch();
    say(`round of ${N} rows`);
    const trace = process.env.BENCH_TRACE ? installTrace(rt) : undefined;
    peaks.reset();
    const before = process.memoryUsage();
    const roundStretch = await stretch(rt);
    const r = await round(rt, api, `bench-${N}`, N, deadline, peaks);
    // Every case started and the most invitations queued: a caseworker starts one by hand.
    const caseworker = caseworkerCase(rt, token, deadline);
    // The started cases at rest: each waits for an answer (a task token) and a timer.
    const invited = ((await settle(rt, deadline)) - r.startedAt) / 1000;
    // Up to here each case has had its invitations sent: the same work as a baseline case.
    const roundFigures = await roundStretch();
    const resting = await restingMemory();
    const dynamoHeap = (await rt.dynamo.threadStats()) ?? { used: 0, total: 0 };
    // HEAP_SNAPSHOT=1: the main isolate at rest, for a look at what the started cases left in it.
    if (process.env.HEAP_SNAPSHOT) say(`heap snapshot ${writeHeapSnapshot()}`);
    const lines = roundReportLines({
      n: N,
      seconds: { validate: r.validate, run: r.run, invited, total: r.total },
      caseworker: await caseworker,
      bytes: r.bytes,
      base: {
        n: BASE_N,
        concurrency: BASE_CONCURRENCY,
        rate: base,
        stretch: baseFigures,
        calls: callLines(baseFigures.calls.before, baseFigures.calls.after, BASE_N),
      },
      round: {
        stretch: roundFigures,
        calls: callLines(roundFigures.calls.before, roundFigures.calls.after, N),
      },
      memory: {
        idle,
        peak: { rss: peaks.rss, heap: peaks.heap },
        before,
        validation: r.validation,
        resting,
        environmentsAtRest: workers.estimate(rt),
        environmentsAtPeak: workers.peak,
        dynamoHeap,
        residentByKind: residentByKind(),
      },
      outbox: { count: rt.outbox.count, inMemory: rt.outbox.list().length },
      failedExecutions: failedExecutions(rt.engine.engine),
      unansweredPolls,
      engine: rt.engine.engine.stats(),
    });
    console.log([...lines, ...(trace?.report(N) ?? [])].join('\n'));
    return true;
  } catch (e) {
    if (!deadline.aborted) throw e;
    // What the round got so far is in the progress lines; a cut round has no figures to compare.
    say(`bench:round FAILED, no figures: deadline of ${DEADLINE_S} s reached`);
    return false;
  } finally {
    peaks.stop();
  }
}

exitWith(
  withBenchRuntime(
    { name: 'bench-round', say, deadlineS: DEADLINE_S, runtime: { log: workers.log, verbose: true } },
    bench,
  ),
);
