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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { providerToken } from '../local/runtime/demo';
import { type Runtime, startRuntime } from '../local/runtime/runtime';
import { ensureSynth } from '../local/runtime/synth';
import { callLines } from './call-counts';
import { benchProfileDir, runtimeProfileLines } from './cpu-profiles';
import { bareWrites } from './local-bare';
import { CaseDriver, type CitizenChannel, percentile, Samples } from './local-case';
import { startDriver } from './local-client';
import { installTrace } from './local-trace';
import { positiveInt } from './settings';
import { stretch } from './stretch';
import { ownCpuLine, threadCpuLines } from './thread-cpu';

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
const PROFILE_DIR = benchProfileDir();
if (!['sms', 'json', 'mixed'].includes(CITIZEN)) throw new Error(`BENCH_CITIZEN: sms, json or mixed`);
const TWILIO = 'bench-twilio-token';
const WRITE_OPS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'];
const root = resolve(__dirname, '..');
const started = performance.now();
const secs = () => ((performance.now() - started) / 1000).toFixed(1).padStart(6);
const say = (line: string) => console.log(`[${secs()} s] ${line}`);

const fmt = (ms: number) => (Number.isNaN(ms) ? '-' : ms.toFixed(1));
const stat = (v: number[]) =>
  `p50 ${fmt(percentile(v, 50))} ms, p99 ${fmt(percentile(v, 99))} ms (${v.length})`;

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
  const ops = () => new Map(rt.dynamo.requests);
  const coldStarts = () => [...rt.lambda.stats.values()].reduce((n, st) => n + st.coldStarts, 0);
  const writes = (m: Map<string, number>) => WRITE_OPS.reduce((n, op) => n + (m.get(op) ?? 0), 0);

  // Warm-up, untimed: one case alone (its writes size the bare floor), then WARM cases at the bench's
  // width from the client's thread, as the timed cases run. The width starts the Lambda environments it
  // keeps busy (cold starts are bench:coldstart's business), and the cases warm each environment's JIT:
  // every environment is an isolate of its own that compiles the SDK and the handler for itself. Over
  // 1,000 cases after the old warm-up of 9, the rate climbed from 6 to 9-10 cases/s per 5 s and levelled
  // off after about 400, with V8's compiler threads taking ~17% of the process's CPU until then.
  say(`warm-up: 1 case, then ${WARM} at ${CONCURRENCY} at a time`);
  const writesAtStart = writes(ops());
  let warmWrites = 0;
  try {
    await driver.run(-1);
    warmWrites = writes(ops()) - writesAtStart;
    const warmFailures: string[] = [];
    const warmStart = performance.now();
    const job = { options, first: WARM_FIRST, count: WARM, width: CONCURRENCY };
    const warming = startDriver(job, deadline, (m) => {
      if (m.ok || m.cut) return; // cut off by the deadline: said below
      warmFailures.push(m.error);
      if (warmFailures.length >= 10) warming.halt(); // something is broken: no need to run the rest
    });
    await warming.finished;
    await warming.terminate();
    if (warmFailures.length > 0) throw new Error(`${warmFailures.length} failed, first: ${warmFailures[0]}`);
    if (deadline.aborted) throw new Error('deadline reached');
    say(`warm-up: ${WARM} cases at ${(WARM / ((performance.now() - warmStart) / 1000)).toFixed(1)} cases/s`);
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
  const coldFloor = await bareWrites(rt, {
    tag: 'warm-up',
    cases: BARE_WARM_CASES,
    writesPerCase: warmWrites,
    width: CONCURRENCY,
    boundMs: 10_000,
  });
  const before1 = await bareWrites(rt, {
    tag: 'before',
    cases: Math.min(BARE_CASES, N),
    writesPerCase: warmWrites,
    width: CONCURRENCY,
    boundMs: 30_000,
  });
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
  // The cases are driven from a thread of their own (local-driver.ts), as clients in other processes would.
  const client = startDriver({ options, first: 0, count: N, width: CONCURRENCY }, deadline, (m) => {
    if (m.ok) completed++;
    else if (m.cut || deadline.aborted)
      cut++; // cut off, not failed: reported as not completed
    else {
      failures.push(m.error);
      if (failures.length <= 3) say(`FAILED ${m.error}`);
      if (failures.length >= 10) client.halt(); // many failures: something is broken, stop early
    }
  });
  const done = await client.finished;
  for (const [label, values] of done.samples) for (const v of values) samples.add(label, v);
  const driverCpuMs = done.cpuMs;
  // Where the time goes: the main thread (gateway, engine, every emulated service) and the process's CPU
  // over all its threads (the functions' workers, the driver's), per completed case.
  const figures = await timed(); // before the driver's thread ends
  const mainBusy = performance.eventLoopUtilization(elu0).utilization;
  await client.terminate();
  clearInterval(progress);
  const wall = figures.wallMs;
  const coldInCases = coldStarts() - coldBefore;
  const finished = completed + failures.length;
  const { before: callsBefore, after: callsAfter } = figures.calls;
  const calls = callLines(callsBefore, callsAfter, finished);
  const writesPerCase = (writes(callsAfter.dynamo) - writes(callsBefore.dynamo)) / Math.max(1, finished);
  const traced = trace?.report(finished) ?? [];
  say(`${completed}/${N} completed in ${(wall / 1000).toFixed(1)} s; timing the bare writes`);

  // The floor, timed before and after the cases: on a shared machine the load drifts during a run.
  const after1 = await bareWrites(rt, {
    tag: 'after',
    cases: Math.min(BARE_CASES, Math.max(1, completed)),
    writesPerCase: Math.round(writesPerCase),
    width: CONCURRENCY,
    boundMs: 30_000,
  });
  const bare = (before1.msPerCase + after1.msPerCase) / 2;
  const bareCpu = (before1.cpuMsPerCase + after1.cpuMsPerCase) / 2;

  const wallPerCase = wall / Math.max(1, completed);
  const submits = samples.all('submit');
  const lines = [
    '',
    `bench:local  N=${N}  concurrency=${CONCURRENCY}  citizen=${CITIZEN}`,
    `completed               ${completed}/${N}${failures.length ? ` (${failures.length} failed)` : ''}${deadline.aborted ? ` - DEADLINE REACHED (${cut} cut off; per-case ops include their partial work)` : ''}`,
    `cases/s                 ${(completed / (wall / 1000)).toFixed(2)}`,
    `wall time               ${(wall / 1000).toFixed(1)} s (${wallPerCase.toFixed(2)} ms per case)`,
    `step submit latency     ${stat(submits)}`,
    ...[...samples.byLabel].filter(([k]) => k !== 'poll').map(([k, v]) => `  ${k.padEnd(22)}${stat(v)}`),
    `polls per case          ${(samples.all('poll').length / Math.max(1, finished)).toFixed(1)}`,
    `DynamoDB ops per case   ${calls.dynamo}`,
    `invocations per case    ${calls.invocations}`,
    `cold starts while timed ${coldInCases} (Lambda environments the timed cases had to start)`,
    `bare writes per case    ${Math.round(writesPerCase)} PutItem: ${bare.toFixed(2)} ms per case (before the cases ${before1.msPerCase.toFixed(2)} ms over ${before1.cases}, after ${after1.msPerCase.toFixed(2)} ms over ${after1.cases}; the untimed first ${coldFloor.cases}, cold: ${coldFloor.msPerCase.toFixed(2)} ms)`,
    `  their CPU             ${bareCpu.toFixed(1)} ms per case (all threads of this process)`,
    `main thread busy        ${(mainBusy * 100).toFixed(0)}% of the wall time`,
    `CPU per case            ${(figures.cpuMs / Math.max(1, completed)).toFixed(1)} ms (all threads of this process)`,
    ...threadCpuLines(figures.threads.before, figures.threads.after, completed),
    ...(driverCpuMs === undefined
      ? []
      : [
          `${ownCpuLine('', driverCpuMs, completed, 'the driver')} (the clients' HTTP, JSON and polls, counted in the other threads)`,
        ]),
    `wall / bare writes      ${(wallPerCase / bare).toFixed(2)}x (target <= 3)`,
    `CPU / bare writes' CPU  ${(figures.cpuMs / Math.max(1, completed) / bareCpu).toFixed(2)}x (the same in CPU: steadier on a shared machine)`,
  ];
  console.log([...lines, ...traced].join('\n'));
  if (failures.length > 3) console.log(`further failures:\n  ${failures.slice(3, 10).join('\n  ')}`);
  return completed === N;
}

async function main(): Promise<number> {
  process.env.TWILIO_AUTH_TOKEN = TWILIO;
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let rt: Runtime | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'coproduce-bench-'));
  // Also on a crash that skips `finally` (an exception thrown from a callback inside the runtime).
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  let cleaning: Promise<void> | undefined;
  const cleanup = () => (cleaning ??= stopAll());
  const stopAll = async () => {
    clearTimeout(timer);
    const stuck = setTimeout(() => {
      console.error('runtime did not stop within 15 s');
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(1);
    }, 15_000);
    try {
      await rt?.stop();
    } finally {
      clearTimeout(stuck);
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  process.once('SIGINT', () => {
    say('SIGINT: stopping');
    deadline.abort();
    void cleanup().finally(() => process.exit(130));
  });
  try {
    if (!process.env.CDK_OUT) await ensureSynth(root, say);
    // The deadline covers the run, not a synth another change made necessary.
    timer = setTimeout(() => {
      say(`deadline of ${DEADLINE_S} s reached: stopping`);
      deadline.abort();
    }, DEADLINE_S * 1000);
    rt = await startRuntime({
      cdkOut: resolve(process.env.CDK_OUT ?? join(root, 'cdk.out')),
      dataDir,
      port: 0,
      ...(process.env.BENCH_DEBUG ? { log: console.log, verbose: true } : {}),
      ...(PROFILE_DIR ? { cpuProfileDir: PROFILE_DIR } : {}),
    });
    say(`runtime at ${rt.url}, data in ${dataDir}`);
    return (await bench(rt, deadline.signal)) ? 0 : 1;
  } finally {
    await cleanup();
    say('runtime stopped, data removed');
    // The environments write their profiles as they end, that is when the runtime stops.
    if (PROFILE_DIR && rt) console.log(runtimeProfileLines(rt.lambda, PROFILE_DIR).join('\n'));
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
