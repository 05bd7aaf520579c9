/**
 * `npm run bench:local [-- N]`: N complete waste-collection cases driven over HTTP against the
 * embedded default (in process, temp DATA_DIR). Prints cases/s, p50/p99 step-submit latency, and
 * the wall time per case against the bare DynamoDB writes a case needs, timed on the same dynalite
 * in the same run (target: ratio <= 3), and the same ratio in CPU.
 * Environment: N (default 500; the first argument wins), CONCURRENCY (cases at a time, default 4),
 * BENCH_WARM (cases run untimed first, default 400),
 * BENCH_DEADLINE_S (whole run after the synth, default 300), CASE_TIMEOUT_S (one case, default 60),
 * POLL_MS (first pause between polls of a case, default 20), BENCH_CITIZEN (sms | json | mixed: how
 * the citizen answers, default mixed), BENCH_DEBUG=1 (REPORT lines), BENCH_TRACE=1 (AWS calls and
 * mean duration per function, see local-trace.ts), BENCH_PROFILE=<folder> (every Lambda environment
 * writes a CPU profile there; printed at the end by origin and function, see cpu-profiles.ts).
 * Past the deadline, or when any case fails, it prints what it got and exits 1.
 */
import { performance } from 'node:perf_hooks';
import { providerToken } from '../local/runtime/demo';
import type { Runtime } from '../local/runtime/runtime';
import { exitWith, withBenchRuntime } from './bench-runtime';
import { callLines } from './call-counts';
import { bareWrites } from './local-bare';
import { CaseDriver, type CitizenChannel, Samples } from './local-case';
import { type DriverThread, startDriver } from './local-client';
import type { DriverJob } from './local-driver';
import { localReportLines } from './local-report';
import { installTrace } from './local-trace';
import { positiveInt } from './settings';
import { stretch } from './stretch';

const N = positiveInt('N', process.argv[2] ?? process.env.N, 500);
const CONCURRENCY = positiveInt('CONCURRENCY', process.env.CONCURRENCY, 4);
const DEADLINE_S = positiveInt('BENCH_DEADLINE_S', process.env.BENCH_DEADLINE_S, 300);
const CASE_TIMEOUT_S = positiveInt('CASE_TIMEOUT_S', process.env.CASE_TIMEOUT_S, 60);
const POLL_MS = positiveInt('POLL_MS', process.env.POLL_MS, 20);
/** Cases' worth of bare writes timed before and after the cases (each also bounded to 30 s). */
const BARE_CASES = 200;
/** Cases run untimed before the timed ones, and the number of the first (apart from the timed cases' numbers). */
const WARM = positiveInt('BENCH_WARM', process.env.BENCH_WARM, 400);
const WARM_FIRST = 1_000_000;
/** Cases' worth of bare writes run first, untimed, to warm the floor's own path. */
const BARE_WARM_CASES = 50;
const CITIZEN = (process.env.BENCH_CITIZEN ?? 'mixed') as CitizenChannel;
if (!['sms', 'json', 'mixed'].includes(CITIZEN)) throw new Error(`BENCH_CITIZEN: sms, json or mixed`);
const TWILIO = 'bench-twilio-token';
const WRITE_OPS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'];
const started = performance.now();
const secs = () => ((performance.now() - started) / 1000).toFixed(1).padStart(6);
const say = (line: string) => console.log(`[${secs()} s] ${line}`);

/** The untimed cases before the timed ones; the writes of the first, alone, size the floor. Throws on failure. */
async function warmUp(
  rt: Runtime,
  driver: CaseDriver,
  client: DriverThread,
  options: DriverJob['options'],
  deadline: AbortSignal,
) {
  // Warm-up, untimed: one case alone (its writes size the bare floor), then WARM cases at the bench's
  // width from the client's thread, as the timed cases run. The width starts the Lambda environments it
  // keeps busy (cold starts are bench:coldstart's business), and the cases warm each environment's JIT:
  // every environment is an isolate of its own that compiles the SDK and the handler for itself. Over
  // 1,000 cases after the old warm-up of 9, the rate climbed from 6 to 9-10 cases/s per 5 s and levelled
  // off after about 400, with V8's compiler threads taking ~17% of the process's CPU until then.
  say(`warm-up: 1 case, then ${WARM} at ${CONCURRENCY} at a time`);
  const writesAtStart = writes(rt.dynamo.requests);
  await driver.run(-1);
  const warmWrites = writes(rt.dynamo.requests) - writesAtStart;
  const warmFailures: string[] = [];
  const warmStart = performance.now();
  const job = { options, first: WARM_FIRST, count: WARM, width: CONCURRENCY };
  const warming = client.run(job, deadline, (m) => {
    if (m.ok || m.cut) return; // cut off by the deadline: said below
    warmFailures.push(m.error);
    if (warmFailures.length >= 10) warming.halt(); // something is broken: no need to run the rest
  });
  await warming.finished;
  if (warmFailures.length > 0) throw new Error(`${warmFailures.length} failed, first: ${warmFailures[0]}`);
  if (deadline.aborted) throw new Error('deadline reached');
  say(`warm-up: ${WARM} cases at ${(WARM / ((performance.now() - warmStart) / 1000)).toFixed(1)} cases/s`);
  return warmWrites;
}

const writes = (m: Map<string, number>) => WRITE_OPS.reduce((n, op) => n + (m.get(op) ?? 0), 0);

async function bench(rt: Runtime, deadline: AbortSignal): Promise<boolean> {
  const samples = new Samples();
  const options = {
    url: rt.url,
    staffToken: providerToken(rt.issuer, 'gemeente-bench', 'municipality'),
    twilioToken: TWILIO,
    citizen: CITIZEN,
    caseTimeoutMs: CASE_TIMEOUT_S * 1000,
    pollMs: POLL_MS,
    requestTimeoutMs: 30_000,
  };
  const driver = new CaseDriver({ ...options, signal: deadline }, samples);
  const client = startDriver();
  try {
    return await timedBench(rt, deadline, { samples, driver, client, options });
  } finally {
    await client.close();
  }
}

/** The warm-up, then the bare writes and the timed cases, and the report. */
async function timedBench(
  rt: Runtime,
  deadline: AbortSignal,
  parts: { samples: Samples; driver: CaseDriver; client: DriverThread; options: DriverJob['options'] },
): Promise<boolean> {
  const { samples, driver, client, options } = parts;
  const coldStarts = () => [...rt.lambda.stats.values()].reduce((n, st) => n + st.coldStarts, 0);
  let warmWrites: number;
  try {
    warmWrites = await warmUp(rt, driver, client, options, deadline);
  } catch (e) {
    say(`warm-up FAILED, no figures: ${(e as Error).message}`);
    return false;
  }
  samples.byLabel.clear();
  const trace = process.env.BENCH_TRACE ? installTrace(rt) : undefined;

  say(`timing the bare writes (${warmWrites} PutItems per case, as the warm-up case wrote)`);
  // Untimed first: the floor's client warms up like any other. Its first 50 cases' worth ran at 36-38 ms per
  // case against 26-28 ms for the 200 timed after them (fresh tables both; 50 ms after a warm-up of 9 cases).
  // Timed cold, the floor before the cases read 25-68% slower than after, and flattered the ratio.
  const floor = (tag: string, cases: number, writesPerCase: number, boundMs = 30_000) =>
    bareWrites(rt, { tag, cases, writesPerCase, width: CONCURRENCY, boundMs });
  const coldFloor = await floor('warm-up', BARE_WARM_CASES, warmWrites, 10_000);
  const beforeFloor = await floor('before', Math.min(BARE_CASES, N), warmWrites);
  say(`${N} waste-collection cases, concurrency ${CONCURRENCY}, citizen by ${CITIZEN}`);
  const coldBefore = coldStarts();
  const failures: string[] = [];
  let completed = 0;
  let cut = 0;
  trace?.reset();
  const elu0 = performance.eventLoopUtilization();
  const timed = await stretch(rt);
  const t0 = performance.now();
  const progress = setInterval(() => {
    const s = (performance.now() - t0) / 1000;
    say(
      `${completed}/${N} completed, ${failures.length} failed, ${Math.min(CONCURRENCY, N - completed - failures.length - cut)} in flight, ` +
        `${(completed / s).toFixed(1)} cases/s`,
    );
  }, 5000);
  // The cases are driven from a thread of their own (local-driver.ts), as clients in other processes would:
  // the thread that drove the warm-up, so the client is as warm as the runtime.
  const timedJob = client.run({ options, first: 0, count: N, width: CONCURRENCY }, deadline, (m) => {
    if (m.ok) completed++;
    else if (m.cut || deadline.aborted)
      cut++; // cut off, not failed: reported as not completed
    else {
      failures.push(m.error);
      if (failures.length <= 3) say(`FAILED ${m.error}`);
      if (failures.length >= 10) timedJob.halt(); // many failures: something is broken, stop early
    }
  });
  const done = await timedJob.finished;
  for (const [label, values] of done.samples) for (const v of values) samples.add(label, v);
  // Where the time goes: the main thread (gateway, engine, every emulated service) and the process's CPU
  // over all its threads (the functions' workers, the driver's), per completed case.
  const figures = await timed(); // before the driver's thread ends
  const mainBusy = performance.eventLoopUtilization(elu0).utilization;
  clearInterval(progress);
  const finished = completed + failures.length;
  const { before: callsBefore, after: callsAfter } = figures.calls;
  const writesPerCase = (writes(callsAfter.dynamo) - writes(callsBefore.dynamo)) / Math.max(1, finished);
  const traced = trace?.report(finished) ?? [];
  say(`${completed}/${N} completed in ${(figures.wallMs / 1000).toFixed(1)} s; timing the bare writes`);
  const afterFloor = await floor(
    'after',
    Math.min(BARE_CASES, Math.max(1, completed)),
    Math.round(writesPerCase),
  );

  const lines = localReportLines({
    setting: { n: N, concurrency: CONCURRENCY, citizen: CITIZEN },
    completed,
    failed: failures.length,
    deadlineReached: deadline.aborted,
    cut,
    samples,
    stretch: figures,
    calls: callLines(callsBefore, callsAfter, finished),
    coldStartsWhileTimed: coldStarts() - coldBefore,
    writesPerCase,
    floor: { cold: coldFloor, before: beforeFloor, after: afterFloor },
    mainBusy,
    driverCpuMs: done.cpuMs,
  });
  console.log([...lines, ...traced].join('\n'));
  if (failures.length > 3) console.log(`further failures:\n  ${failures.slice(3, 10).join('\n  ')}`);
  return completed === N;
}

process.env.TWILIO_AUTH_TOKEN = TWILIO;
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
exitWith(
  withBenchRuntime(
    {
      name: 'bench',
      say,
      deadlineS: DEADLINE_S,
      runtime: process.env.BENCH_DEBUG ? { log: console.log, verbose: true } : {},
    },
    bench,
  ),
);
