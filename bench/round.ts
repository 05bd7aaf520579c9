/**
 * `npm run bench:round [-- N]`: a round of N waste-collection households (default 10,000) through the
 * HTTP API against the embedded default (in process, temp DATA_DIR); the CSV is generated to a temp
 * file as a stream. Prints cases started per second (from POST start to STARTED) and invited per second
 * (to the last invitation SMS: a runtime that queues the invitations reaches STARTED sooner), the total time,
 * peak RSS and heap (sampled every 100 ms) against the idle runtime's, and a baseline timed in the same
 * run: BASE_N single POST /cases (default 500) at BASE_CONCURRENCY (default 10, the round machine's
 * MaxConcurrency), so the figure means something on a noisy machine. CPU per started case, and how many
 * cores that kept busy: the cases per second the machine's cores allow at that CPU per case.
 * Memory per started case: the peak RSS growth, and the heap and RSS growth once the round's cases
 * rest (waiting for answers), divided by N; run with NODE_OPTIONS=--expose-gc to collect first.
 * Where the memory is (round-memory.ts): the main heap, the Lambda environments (worker threads),
 * the resident memory by kind of mapping, the outbox; HEAP_SNAPSHOT=1 writes the main heap at rest.
 * `npm run bench:round -- 100000` (or N=100000) runs a round of 100,000 rows. BENCH_TRACE=1: the AWS
 * calls and mean duration per function, per started case (local-trace.ts). BENCH_PROFILE=<folder>: every
 * Lambda environment writes a CPU profile there, printed at the end by origin and function (cpu-profiles.ts).
 * BENCH_DEADLINE_S (default 600 + N / 10) bounds the run after the synth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { providerToken } from '../local/runtime/demo';
import { Api, ApiError, putFile } from '../local/runtime/round-client';
import { wasteRow, writeWasteCsv } from '../local/runtime/round-csv';
import { type Runtime, startRuntime } from '../local/runtime/runtime';
import { ensureSynth } from '../local/runtime/synth';
import { callLines } from './call-counts';
import { benchProfileDir, runtimeProfileLines } from './cpu-profiles';
import { installTrace } from './local-trace';
import { failedExecutions } from './round-failures';
import { kb, mb, Peaks, residentByKind, restingMemory, WorkerMemory } from './round-memory';
import { positiveInt } from './settings';
import { type Stretch, stretch } from './stretch';
import { threadCpuLines } from './thread-cpu';

const N = positiveInt('N', process.argv[2] ?? process.env.N, 10_000);
const BASE_N = positiveInt('BASE_N', process.env.BASE_N, 500);
const BASE_CONCURRENCY = positiveInt('BASE_CONCURRENCY', process.env.BASE_CONCURRENCY, 10);
// A round of N rows needs about N / 30 s on this machine's kind, every invitation sent; a busy machine up
// to three times that.
const DEADLINE_S = positiveInt('BENCH_DEADLINE_S', process.env.BENCH_DEADLINE_S, 600 + Math.ceil(N / 10));
const ORG = 'gemeente-bench';
const PROFILE_DIR = benchProfileDir();
const root = resolve(__dirname, '..');
const t00 = performance.now();
const say = (line: string) =>
  console.log(`[${((performance.now() - t00) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * How many cores the process kept busy, and the most cases per second this machine's cores could
 * start at that CPU per case: a rate near the ceiling is set by the machine, not by waiting.
 */
function coresLine(round: Stretch, cases: number, base: Stretch) {
  const cores = availableParallelism();
  const ceiling = (cores * 1000) / (round.cpuMs / cases);
  return `cores busy               ${(round.cpuMs / round.wallMs).toFixed(2)} of ${cores} in the round, ${(base.cpuMs / base.wallMs).toFixed(2)} in the baseline; at the round's CPU per case ${cores} cores start at most ${ceiling.toFixed(1)} cases/s`;
}

/**
 * Waits until the engine's background work (invitations after the last StartExecution) settles: no
 * new SMS in the outbox for a second. Returns when the last one was seen (performance.now()).
 */
async function settle(rt: Runtime): Promise<number> {
  let lastChange = performance.now();
  for (let count = rt.outbox.count; performance.now() - lastChange < 1000; ) {
    await sleep(100);
    if (rt.outbox.count === count) continue;
    count = rt.outbox.count;
    lastChange = performance.now();
  }
  return lastChange;
}

async function baseline(rt: Runtime, token: string): Promise<number> {
  let next = 0;
  const one = async (i: number) => {
    const row = wasteRow(i, 'base', 900_000);
    const res = await fetch(`${rt.url}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        serviceId: 'waste-collection',
        reference: row.reference,
        citizen: { name: 'Bench', ...(row.phone ? { phone: row.phone } : { email: row.email }) },
        context: { address: 'Benchstraat 1, Utrecht', collectionDate: '2026-12-15' },
      }),
    });
    if (res.status !== 201) throw new Error(`POST /cases ${res.status}: ${await res.text()}`);
  };
  const t0 = performance.now();
  const lane = async () => {
    while (next < BASE_N) await one(next++);
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
async function round(rt: Runtime, api: Api, name: string, rows: number, peaks?: Peaks) {
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
    await sleep(200);
  }
}

async function main(): Promise<number> {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const dataDir = mkdtempSync(join(tmpdir(), 'coproduce-bench-round-'));
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  if (!process.env.CDK_OUT) await ensureSynth(root, say);
  const deadline = setTimeout(() => {
    say(`deadline of ${DEADLINE_S} s reached`);
    process.exit(1);
  }, DEADLINE_S * 1000);
  const workers = new WorkerMemory();
  const rt = await startRuntime({
    cdkOut: resolve(process.env.CDK_OUT ?? join(root, 'cdk.out')),
    dataDir,
    port: 0,
    log: workers.log,
    verbose: true,
    ...(PROFILE_DIR ? { cpuProfileDir: PROFILE_DIR } : {}),
  });
  const token = providerToken(rt.issuer, ORG, 'municipality');
  const api = new Api(rt.url, token);
  const peaks = new Peaks(() => workers.sample(rt));
  try {
    await sleep(2000);
    const idle = { rss: peaks.rss, heap: peaks.heap };
    say(`runtime idle: peak RSS ${mb(idle.rss)}, heap ${mb(idle.heap)}; warm-up round of 20 rows`);
    await round(rt, api, 'warmup', 20);
    await settle(rt);
    say(`baseline: ${BASE_N} single POST /cases, ${BASE_CONCURRENCY} at a time`);
    const baseStretch = await stretch(rt);
    const base = await baseline(rt, token);
    await settle(rt);
    const baseFigures = await baseStretch();
    say(`round of ${N} rows`);
    const trace = process.env.BENCH_TRACE ? installTrace(rt) : undefined;
    peaks.reset();
    const before = process.memoryUsage();
    const roundStretch = await stretch(rt);
    const r = await round(rt, api, `bench-${N}`, N, peaks);
    const rate = N / r.run;
    // The started cases at rest: each waits for an answer (a task token) and a timer.
    const invited = ((await settle(rt)) - r.startedAt) / 1000;
    // Up to here each case has had its invitations sent: the same work as a baseline case.
    const roundFigures = await roundStretch();
    const calls = callLines(roundFigures.calls.before, roundFigures.calls.after, N);
    const baseCalls = callLines(baseFigures.calls.before, baseFigures.calls.after, BASE_N);
    const resting = await restingMemory();
    const stats = rt.engine.engine.stats();
    const dynamoHeap = (await rt.dynamo.threadStats()) ?? { used: 0, total: 0 };
    // HEAP_SNAPSHOT=1: the main isolate at rest, for a look at what the started cases left in it.
    if (process.env.HEAP_SNAPSHOT) say(`heap snapshot ${writeHeapSnapshot()}`);
    const rest = workers.estimate(rt);
    console.log(
      [
        '',
        `bench:round  N=${N}  (file ${(r.bytes / 1024).toFixed(0)} kB, generated and uploaded as streams)`,
        `cases started/s          ${rate.toFixed(1)}  (POST start -> STARTED: ${r.run.toFixed(1)} s, of which validation ${r.validate.toFixed(1)} s)`,
        `cases invited/s          ${(N / invited).toFixed(1)}  (POST start -> the last invitation SMS sent: ${invited.toFixed(1)} s; the households have heard)`,
        `total time               ${r.total.toFixed(1)} s  (file, create, upload, start, wait)`,
        `baseline POST /cases/s   ${base.toFixed(1)}  (${BASE_N} at concurrency ${BASE_CONCURRENCY})`,
        `round / baseline         ${(rate / base).toFixed(2)}x`,
        `CPU per started case     ${(roundFigures.cpuMs / N).toFixed(1)} ms in the round, ${(baseFigures.cpuMs / BASE_N).toFixed(1)} ms in the baseline (all threads, until the invitations are sent)`,
        ...threadCpuLines(roundFigures.threads.before, roundFigures.threads.after, N, 'round: '),
        ...threadCpuLines(baseFigures.threads.before, baseFigures.threads.after, BASE_N, 'baseline: '),
        `DynamoDB ops per case    round: ${calls.dynamo}`,
        `                         baseline: ${baseCalls.dynamo}`,
        `invocations per case     round: ${calls.invocations}`,
        `                         baseline: ${baseCalls.invocations}`,
        coresLine(roundFigures, N, baseFigures),
        `peak RSS                 ${mb(peaks.rss)} during the round, ${mb(idle.rss)} idle: +${mb(peaks.rss - idle.rss)}`,
        `peak heap used           ${mb(peaks.heap)} during the round, ${mb(idle.heap)} idle`,
        `before the round         RSS ${mb(before.rss)}, heap ${mb(before.heapUsed)} (after the warm-up and the baseline cases)`,
        `peak while validating    RSS ${mb(r.validation.rss)}, heap ${mb(r.validation.heap)} (the file streamed once)`,
        `per started case         peak RSS +${kb((peaks.rss - before.rss) / N)}, heap at rest +${kb((resting.heapUsed - before.heapUsed) / N)}, RSS at rest +${kb((resting.rss - before.rss) / N)}, external at rest +${kb((resting.external - before.external) / N)}${resting.collected ? '' : ' (no --expose-gc: heap not collected first)'}`,
        `memory at rest           RSS ${mb(resting.rss)}: main heap used ${mb(resting.heapUsed)} (of ${mb(resting.heapTotal)}), external ${mb(resting.external)}, Lambda environments ~${mb(rest.megabytes * 2 ** 20)} (${rest.environments}), DynamoDB thread heap used ${mb(dynamoHeap.used)} (of ${mb(dynamoHeap.total)}), the rest ${mb(resting.rss - resting.heapTotal - resting.external - rest.megabytes * 2 ** 20 - dynamoHeap.total)} (LevelDB, code, stacks)`,
        `Lambda environments      at the peak ${workers.peak.environments}, ~${mb(workers.peak.megabytes * 2 ** 20)} heap used: ${workers.peak.lines.join(', ')}`,
        `resident by mapping      ${residentByKind()}`,
        `outbox                   ${rt.outbox.count} messages, the latest ${rt.outbox.list().length} in memory`,
        `failed executions        ${failedExecutions(rt.engine.engine)}`,
        `status polls unanswered  ${unansweredPolls} (5xx, polled again)`,
        `engine at rest           ${stats.executions} executions, ${stats.running} running, ${stats.resident} in memory, ${stats.tasksInFlight} task calls in flight, ${stats.tasksQueued} queued`,
        'A waiting case costs the engine about 1 KB of heap (test/local/sfn/memory-per-waiting.test.ts): the',
        "RSS beyond the main heap is the Lambda environments' isolates and native memory, set by concurrency, not N.",
        ...(trace?.report(N) ?? []),
      ].join('\n'),
    );
    return 0;
  } finally {
    peaks.stop();
    clearTimeout(deadline);
    await rt.stop();
    // The environments write their profiles as they end, that is when the runtime stops.
    if (PROFILE_DIR) console.log(runtimeProfileLines(rt.lambda, PROFILE_DIR).join('\n'));
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
