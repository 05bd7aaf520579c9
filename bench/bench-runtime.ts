/**
 * The runtime a bench measures, as `npm start` runs it: synthesized first when the app changed, on a
 * DATA_DIR of its own that is removed afterwards (also when the process exits early), stopped within
 * 15 s or the process exits. An optional deadline covers the run (not the synth) and aborts the bench's
 * signal; SIGINT does the same and stops the runtime. With BENCH_PROFILE the environments' CPU profiles
 * are summed up once the runtime has stopped (they are written as the environments end).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Runtime, type RuntimeOptions, startRuntime } from '../local/runtime/runtime';
import { ensureSynth } from '../local/runtime/synth';
import { benchProfileDir, runtimeProfileLines } from './cpu-profiles';
import { markHelperThreads } from './thread-cpu';

export interface BenchRun {
  /** Names the temp DATA_DIR. */
  name: string;
  say: (line: string) => void;
  deadlineS?: number;
  /** Options for startRuntime beyond the bench's own (cdk.out, DATA_DIR, a free port, the profiles). */
  runtime?: Partial<RuntimeOptions>;
}

const root = resolve(__dirname, '..');

/** Runs `body` on a fresh runtime; the exit code: 0 when `body` says the bench passed, else 1. */
export async function withBenchRuntime(
  run: BenchRun,
  body: (rt: Runtime, deadline: AbortSignal) => Promise<boolean>,
): Promise<number> {
  const { say } = run;
  const profileDir = benchProfileDir();
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let rt: Runtime | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), `coproduce-${run.name}-`));
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
    if (run.deadlineS !== undefined)
      timer = setTimeout(() => {
        say(`deadline of ${run.deadlineS} s reached: stopping`);
        deadline.abort();
      }, run.deadlineS * 1000);
    // Before the runtime's threads start. libuv's pool is up by now: the TypeScript loader reads files
    // through it (under tsx a process has its four pool threads before any code of ours runs).
    markHelperThreads();
    rt = await startRuntime({
      cdkOut: resolve(process.env.CDK_OUT ?? join(root, 'cdk.out')),
      dataDir,
      port: 0,
      ...run.runtime,
      ...(profileDir ? { cpuProfileDir: profileDir } : {}),
    });
    say(`runtime at ${rt.url}, data in ${dataDir}`);
    return (await body(rt, deadline.signal)) ? 0 : 1;
  } finally {
    await cleanup();
    say('runtime stopped, data removed');
    if (profileDir && rt) console.log(runtimeProfileLines(rt.lambda, profileDir).join('\n'));
  }
}

/** A bench's `main().then(...)`: exits with its code, or 1 with the stack of what it threw. */
export function exitWith(code: Promise<number>): void {
  code.then(
    (value) => process.exit(value),
    (e: Error) => {
      console.error(e.stack ?? e.message);
      process.exit(1);
    },
  );
}
